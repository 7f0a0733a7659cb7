import {
  MAX_REFERENCES_ANY_MODEL,
  MODELS,
  modelForReferences,
  tooBigFor,
  type ModelId,
} from '@shared/domain/models';
import { REFERENCE_SCALED_EDGE } from '@shared/domain/reference';

/**
 * The pure rules behind the compose panel's reference tray: ordering, which model the
 * references go to, how many fit, and what a drag or a link carries. Kept free of the DOM and of
 * the stores so they are tested on their own.
 */

/** Set on a gallery tile's drag: the dragged image ids, one per line. */
export const DRAG_IMAGE_MIME = 'application/x-banana-image-id';
/** Set on a reference chip's drag, so the window's drop overlay leaves tray reordering alone. */
export const DRAG_REFERENCE_MIME = 'application/x-banana-reference-id';

/** `list` with the item at `from` moved to `to` (both clamped); the same array when nothing moves. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (from < 0 || from >= list.length || from === target) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item as T);
  return next;
}

/** Moves the item with `id` to position `index` (counted in the list without it). */
export function moveById<T extends { id: string }>(list: readonly T[], id: string, index: number): T[] {
  return moveItem(
    list,
    list.findIndex((item) => item.id === id),
    index,
  );
}

/** Moves the item with `id` one place earlier (-1) or later (+1). */
export function nudgeById<T extends { id: string }>(list: readonly T[], id: string, delta: -1 | 1): T[] {
  const from = list.findIndex((item) => item.id === id);
  return from < 0 ? [...list] : moveItem(list, from, from + delta);
}

/**
 * Where a chip dragged from `from` lands when dropped on the chip at `over`, on its leading
 * (`after` false) or trailing half — as an index in the list without the dragged chip.
 */
export function dropIndex(from: number, over: number, after: boolean): number {
  const slot = after ? over + 1 : over;
  return from < slot ? slot - 1 : slot;
}

// ── the model ───────────────────────────────────────────────────────────────────────────────

/** What the panel says about a model it changed on its own. */
export type ModelHint =
  { kind: 'switched'; from: ModelId; to: ModelId } | { kind: 'restored'; from: ModelId; to: ModelId };

export interface ModelChoice {
  model: ModelId;
  /**
   * The user picked `model` while references were attached (or undid a switch): it is not
   * changed for them again until the tray is emptied.
   */
  pinned: boolean;
  hint: ModelHint | null;
}

/**
 * The model after the tray changed to `count` references. A text-only model hands over to its
 * edit counterpart once references arrive (and gets it back when they are all gone), with a
 * hint the user can undo; a model the user picked stays. Adding references to a pinned model
 * that takes none means the user does want them used, so the pin gives way.
 */
export function followReferences(choice: ModelChoice, count: number, added = false): ModelChoice {
  if (count === 0) {
    const model = modelForReferences(choice.model, 0);
    if (model !== choice.model)
      return { model, pinned: false, hint: { kind: 'restored', from: choice.model, to: model } };
    return { model, pinned: false, hint: choice.hint?.kind === 'restored' ? choice.hint : null };
  }
  const pinned = choice.pinned && !(added && MODELS[choice.model].maxReferences === 0);
  if (pinned) return choice;
  const model = modelForReferences(choice.model, count);
  if (model === choice.model) return { ...choice, pinned: false };
  return { model, pinned: false, hint: { kind: 'switched', from: choice.model, to: model } };
}

/** The user picked `model` in the select: it stays, whatever the tray holds. */
export function chooseModel(model: ModelId, count: number): ModelChoice {
  return { model, pinned: count > 0, hint: null };
}

/** "Undo" on a switch hint: back to the model the user had, kept even with references. */
export function undoSwitch(choice: ModelChoice): ModelChoice {
  if (choice.hint?.kind !== 'switched') return choice;
  return { model: choice.hint.from, pinned: true, hint: null };
}

/** How many references the tray takes at most when more are added: the receiving model's limit. */
export function referenceLimit(choice: ModelChoice, count: number): { model: ModelId; limit: number } {
  const model = followReferences(choice, count + 1, true).model;
  return { model, limit: Math.min(MODELS[model].maxReferences, MAX_REFERENCES_ANY_MODEL) };
}

export type ReferenceModelProblem = 'unused' | 'tooMany' | 'tooBig';

/**
 * Why the references cannot go with the chosen model: `unused` (it takes none: they stay in the
 * tray but are not sent), `tooMany` (more than it takes) or `tooBig` (a file over its size limit,
 * say after switching from Pro to the edit model): for those two nothing is sent until some go.
 */
export function referenceProblem(
  model: ModelId,
  references: readonly { bytes: number }[],
): ReferenceModelProblem | null {
  if (references.length === 0) return null;
  const limit = MODELS[model].maxReferences;
  if (limit === 0) return 'unused';
  if (references.length > limit) return 'tooMany';
  return tooBigFor(model, references).length > 0 ? 'tooBig' : null;
}

/** Whether the references keep Generate from sending (unused ones are simply left out). */
export function referencesBlockSubmit(model: ModelId, references: readonly { bytes: number }[]): boolean {
  const problem = referenceProblem(model, references);
  return problem === 'tooMany' || problem === 'tooBig';
}

/** The reference ids a submit sends: all of them in tray order, or none for a text-only model. */
export function referencesToSend(model: ModelId, ids: readonly string[]): string[] {
  return MODELS[model].maxReferences === 0 ? [] : [...ids];
}

// ── what a drag or a paste carries ──────────────────────────────────────────────────────────

const GALLERY_URL = /^gallery:\/\/(?:image|thumb)\/([^/?#]+)/;
const HARNESS_PATH = /^\/gallery\/(?:image|thumb)\/([^/?#]+)$/;

/**
 * The library image a URL points at: `gallery://image/<id>` in the desktop app, or
 * `<this origin>/gallery/image/<id>` in the web harness (thumbnails too: a dragged `<img>`
 * carries its thumbnail's URL). Null for anything else, staged references (`ref`) included.
 */
export function galleryImageIdFromUrl(raw: string, origin: string): string | null {
  const text = raw.trim();
  const decode = (id: string | undefined): string | null => {
    if (!id) return null;
    try {
      return decodeURIComponent(id);
    } catch {
      return null;
    }
  };
  const scheme = GALLERY_URL.exec(text);
  if (scheme) return decode(scheme[1]);
  let url: URL;
  try {
    url = new URL(text, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  return decode(HARNESS_PATH.exec(url.pathname)?.[1]);
}

/** The library image ids in a `text/uri-list` (comments and blank lines skipped), once each. */
export function galleryIdsFromUriList(list: string, origin: string): string[] {
  const ids = list
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => galleryImageIdFromUrl(line, origin))
    .filter((id): id is string => id !== null);
  return [...new Set(ids)];
}

/** MIME types KIE takes as references, as the OS reports them for a dragged file. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

/** What a drag over the window would do if dropped, from what can be read before the drop. */
export type DropIntent =
  | { kind: 'none' }
  | { kind: 'files'; images: number; others: number }
  | { kind: 'gallery' }
  | { kind: 'link' };

/**
 * Reads a drag's types and items (kind and type are readable while dragging; contents are not):
 * files are counted as images by the type the OS gave them — the drop checks their content —,
 * a gallery tile carries our own type, a link may be a library image. Tray reordering and plain
 * text are left to the page.
 */
export function dropIntent(
  types: readonly string[],
  items: readonly { kind: string; type: string }[],
): DropIntent {
  if (types.includes(DRAG_REFERENCE_MIME)) return { kind: 'none' };
  if (types.includes(DRAG_IMAGE_MIME)) return { kind: 'gallery' };
  if (types.includes('Files')) {
    const files = items.filter((item) => item.kind === 'file');
    const images = files.filter((item) => IMAGE_TYPES.has(item.type.toLowerCase())).length;
    return { kind: 'files', images, others: files.length - images };
  }
  if (types.includes('text/uri-list')) return { kind: 'link' };
  return { kind: 'none' };
}

/**
 * The "n / max" the tray shows: the chosen model's limit once references are attached, and
 * before that the limit of the model they would go to.
 */
export function trayLimit(choice: ModelChoice, count: number): { model: ModelId; limit: number } {
  if (count === 0) return referenceLimit(choice, 0);
  return { model: choice.model, limit: MODELS[choice.model].maxReferences };
}

// ── what the tray notes about a reference ───────────────────────────────────────────────────

/** Not a problem (the reference is sent): what KIE will make of it. */
export type ReferenceNote =
  /** Longer than REFERENCE_SCALED_EDGE on a side: KIE scales it down. */
  | { kind: 'large'; width: number; height: number }
  /** An animated WebP: only its first frame is used. */
  | { kind: 'animated'; frames: number };

export function referenceNotes(reference: {
  width: number;
  height: number;
  frames: number;
}): ReferenceNote[] {
  const notes: ReferenceNote[] = [];
  if (Math.max(reference.width, reference.height) > REFERENCE_SCALED_EDGE)
    notes.push({ kind: 'large', width: reference.width, height: reference.height });
  if (reference.frames > 1) notes.push({ kind: 'animated', frames: reference.frames });
  return notes;
}
