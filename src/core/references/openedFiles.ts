import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import {
  megabytes,
  nothingOpened,
  REFERENCE_MAX_BYTES,
  type OpenedFileProblem,
  type OpenedFileProblemKind,
  type OpenedReferences,
  type StagedReference,
} from '@shared/domain/reference';
import type { EmbeddedMetadata } from '@shared/domain/imageMetadata';
import type { AnyEvent } from '@shared/ipc/contract';
import { isAppError } from '@shared/ipc/result';
import { readMetadata } from '../gallery/metadata';
import type { Logger } from '../log/logger';
import type { ReferenceStore } from './staging';

/** What went wrong with one opened file, before it is put into words. */
export interface OpenedFileRefusal {
  problem: OpenedFileProblemKind;
  /** For `size`: the file's size in bytes. */
  size?: number;
  width?: number;
  height?: number;
  /** For `failed`: the error code, explained by the `errors.*` text. */
  code?: string;
}

export interface OpenedFilesDeps {
  references: Pick<ReferenceStore, 'add' | 'toWire'>;
  /** Core's translator (the user's language). */
  t(key: string, values?: Record<string, string>): string;
  emit(event: AnyEvent): void;
  log: Logger;
}

/**
 * Files the OS handed the app ("Open with → Banana Studio", paths on the command line, macOS
 * open-file). Each is checked and staged exactly like a dropped file (ReferenceStore.add), and
 * the outcome waits here until the renderer takes it: files opened at launch arrive before any
 * window has loaded, so nothing may depend on a listener being there. `references.opened` tells
 * a running renderer to come and take them; taking empties the list, so nothing arrives twice.
 */
export class OpenedFiles {
  private pending: OpenedReferences = nothingOpened();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: OpenedFilesDeps) {}

  /**
   * Checks and stages `paths` (absolute), one after the other and after any earlier call, so
   * the tray gets them in the order they were opened. Resolves with this call's outcome.
   */
  open(paths: readonly string[]): Promise<OpenedReferences> {
    const run = this.queue.then(() => this.openInOrder(paths));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Everything opened since the last take, and forgets it. */
  take(): OpenedReferences {
    const taken = this.pending;
    this.pending = nothingOpened();
    return taken;
  }

  private async openInOrder(paths: readonly string[]): Promise<OpenedReferences> {
    const outcome = nothingOpened();
    for (const path of paths) {
      const name = basename(path);
      const result = await this.openOne(path, name);
      if ('reference' in result) {
        outcome.references.push(result.reference);
        if (result.metadata)
          outcome.madeHere.push({ referenceId: result.reference.id, metadata: result.metadata });
        this.deps.log.info('Opened file staged', { name, referenceId: result.reference.id });
      } else {
        outcome.problems.push(this.describe(name, result));
        this.deps.log.info('Opened file refused', { name, problem: result.problem });
      }
    }
    if (outcome.references.length + outcome.problems.length === 0) return outcome;
    this.pending = {
      references: [...this.pending.references, ...outcome.references],
      problems: [...this.pending.problems, ...outcome.problems],
      madeHere: [...this.pending.madeHere, ...outcome.madeHere],
    };
    this.deps.emit({
      name: 'references.opened',
      payload: { count: this.pending.references.length + this.pending.problems.length },
    });
    return outcome;
  }

  private async openOne(
    path: string,
    name: string,
  ): Promise<{ reference: StagedReference; metadata: EmbeddedMetadata | null } | OpenedFileRefusal> {
    const read = await readOpenedFile(path);
    if (!read.ok) return read.refusal;
    try {
      const record = await this.deps.references.add(read.bytes, name);
      return { reference: this.deps.references.toWire(record), metadata: readMetadata(read.bytes) };
    } catch (error) {
      return refusalFromStaging(error, this.deps.log);
    }
  }

  private describe(name: string, refusal: OpenedFileRefusal): OpenedFileProblem {
    const { t } = this.deps;
    const shown = name.trim() === '' ? t('references.unnamed') : name;
    const message = ((): string => {
      switch (refusal.problem) {
        case 'missing':
          return t('references.problems.missing', { name: shown });
        case 'unreadable':
          return t('references.problems.unreadable', { name: shown });
        case 'folder':
          return t('references.problems.openedFolder', { name: shown });
        case 'empty':
          return t('references.problems.empty', { name: shown });
        case 'size':
          return t('references.problems.size', {
            name: shown,
            size: megabytes(refusal.size ?? 0),
            limit: megabytes(REFERENCE_MAX_BYTES),
          });
        case 'type':
          return t('references.problems.type', { name: shown });
        case 'damaged':
          return t('references.problems.damaged', { name: shown });
        case 'pixels':
          return t('references.problems.pixels', {
            name: shown,
            width: String(refusal.width ?? 0),
            height: String(refusal.height ?? 0),
          });
        case 'failed':
          return t('references.problems.failed', {
            name: shown,
            reason: t(`errors.${refusal.code ?? 'INTERNAL'}`),
          });
      }
    })();
    return { name, problem: refusal.problem, message };
  }
}

/**
 * An opened file's bytes, or why they cannot be used: it must exist, be a regular file (not a
 * folder, nor a pipe or device, which could block the read), and be within KIE's size limit,
 * all checked before a byte is read. The size is checked again on the open handle, so a file
 * swapped in between is not read unchecked.
 */
export async function readOpenedFile(
  path: string,
): Promise<{ ok: true; bytes: Buffer } | { ok: false; refusal: OpenedFileRefusal }> {
  if (!isAbsolute(path)) return { ok: false, refusal: { problem: 'missing' } };
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    return { ok: false, refusal: fsRefusal(error) };
  }
  const shape = shapeRefusal(info);
  if (shape) return { ok: false, refusal: shape };
  let handle: FileHandle | null = null;
  try {
    handle = await open(path, 'r');
    const current = await handle.stat();
    const changed = shapeRefusal(current);
    if (changed) return { ok: false, refusal: changed };
    return { ok: true, bytes: await handle.readFile() };
  } catch (error) {
    return { ok: false, refusal: fsRefusal(error) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function shapeRefusal(info: {
  isFile(): boolean;
  isDirectory(): boolean;
  size: number;
}): OpenedFileRefusal | null {
  if (info.isDirectory()) return { problem: 'folder' };
  if (!info.isFile()) return { problem: 'type' };
  if (info.size === 0) return { problem: 'empty' };
  if (info.size > REFERENCE_MAX_BYTES) return { problem: 'size', size: info.size };
  return null;
}

function fsRefusal(error: unknown): OpenedFileRefusal {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : null;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: 'missing' };
  if (code === 'EISDIR') return { problem: 'folder' };
  return { problem: 'unreadable' };
}

/** A refusal from ReferenceStore.add, by the problem it names (see checkReferenceImage). */
function refusalFromStaging(error: unknown, log: Logger): OpenedFileRefusal {
  if (!isAppError(error)) {
    log.warn('Staging an opened file failed', { error });
    return { problem: 'failed', code: 'INTERNAL' };
  }
  const details = error.details ?? {};
  const number = (key: string): number | undefined => {
    const value = details[key];
    return typeof value === 'number' ? value : undefined;
  };
  switch (error.code === 'VALIDATION' ? details['problem'] : null) {
    case 'empty':
      return { problem: 'empty' };
    case 'size':
      return { problem: 'size', size: number('bytes') };
    case 'type':
      return { problem: 'type' };
    case 'damaged':
      return { problem: 'damaged' };
    case 'pixels':
      return { problem: 'pixels', width: number('width'), height: number('height') };
  }
  log.warn('Staging an opened file failed', { error });
  return { problem: 'failed', code: error.code };
}
