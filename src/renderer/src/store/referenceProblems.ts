import { modelIdSchema, tooBigFor, type ModelId } from '@shared/domain/models';
import { REFERENCE_MAX_BYTES } from '@shared/domain/reference';
import type { WireError } from '@shared/ipc/result';

/**
 * Why a file or image did not make it into the reference tray. The compose panel turns each
 * into a sentence in the user's language (referenceProblemText); nothing else is lost with it.
 */
export type ReferenceProblem =
  /** Not a PNG, JPEG or WebP by its content. */
  | { kind: 'type'; name: string }
  | { kind: 'empty'; name: string }
  /**
   * Bigger than `model` takes (its limit is in models.ts), or with no model, bigger than any
   * model takes (core's staging cap).
   */
  | { kind: 'size'; name: string; bytes: number; model: ModelId | null }
  | { kind: 'folder'; name: string }
  /** More than the receiving model takes: `skipped` were left out. */
  | { kind: 'count'; model: ModelId; limit: number; skipped: number }
  /** Looks like an image but does not decode all the way (core's check). */
  | { kind: 'damaged'; name: string }
  | { kind: 'pixels'; name: string; width: number; height: number }
  /** Already in the tray (or twice in one drop): not added again, and not counted as no room. */
  | { kind: 'duplicate'; name: string }
  /** Several of those at once, said in one line. */
  | { kind: 'duplicates'; names: string[] }
  /** The browser could not read the file (removed, no permission). */
  | { kind: 'unreadable'; name: string }
  /** A dropped link or text that is neither a file nor a library image. */
  | { kind: 'notImage' }
  /** Core refused it for a reason the panel has no words of its own for: core's message. */
  | { kind: 'refused'; message: string }
  /** Anything else (offline, internal): the usual error text, with the file's name. */
  | { kind: 'failed'; name: string; error: WireError };

/**
 * What a file's size and name already tell, before any byte is read; null if it may go on.
 * `model` is the one the file would go to: its own size limit applies (10 MB for the edit model,
 * 30 MB for Pro and Nano Banana 2).
 */
export function checkFileShape(
  file: { name: string; size: number; type: string; isDirectory: boolean },
  model: ModelId,
): ReferenceProblem | null {
  // A folder dragged from a file manager arrives as an item without a type or a size.
  if (file.isDirectory) return { kind: 'folder', name: file.name };
  if (file.size === 0) return { kind: 'empty', name: file.name };
  return sizeProblem(model, { name: file.name, bytes: file.size });
}

/** A file (or a staged reference) too big for `model`, or null. */
export function sizeProblem(model: ModelId, file: { name: string; bytes: number }): ReferenceProblem | null {
  if (tooBigFor(model, [file]).length > 0) return { kind: 'size', name: file.name, bytes: file.bytes, model };
  if (file.bytes > REFERENCE_MAX_BYTES)
    return { kind: 'size', name: file.name, bytes: file.bytes, model: null };
  return null;
}

/** What to say about the files that were in the tray already: one line, or none. */
export function duplicateProblem(names: readonly string[]): ReferenceProblem | null {
  const [only] = names;
  if (only === undefined) return null;
  return names.length === 1 ? { kind: 'duplicate', name: only } : { kind: 'duplicates', names: [...names] };
}

/**
 * Core's refusal of a file the panel already checked by size and first bytes, as a problem:
 * a VALIDATION error naming only the file means the full decode failed (damaged); one with the
 * image's size means too many pixels; any other refusal keeps core's own message.
 */
export function stagingProblem(name: string, error: WireError): ReferenceProblem {
  if (error.code !== 'VALIDATION') return { kind: 'failed', name, error };
  const details = error.details ?? {};
  const width = details['width'];
  const height = details['height'];
  if (typeof width === 'number' && typeof height === 'number') return { kind: 'pixels', name, width, height };
  const bytes = details['bytes'];
  if (typeof bytes === 'number') {
    const model = modelIdSchema.safeParse(details['model']);
    return { kind: 'size', name, bytes, model: model.success ? model.data : null };
  }
  // Core names the problem; older builds only named the file when the decode failed.
  switch (details['problem']) {
    case 'damaged':
      return { kind: 'damaged', name };
    case 'type':
      return { kind: 'type', name };
    case 'empty':
      return { kind: 'empty', name };
  }
  if (Object.keys(details).every((key) => key === 'name')) return { kind: 'damaged', name };
  return { kind: 'refused', message: error.message };
}
