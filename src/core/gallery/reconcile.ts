import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { opendir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { UNKNOWN_MODEL, type ImageFormat, type ImageParams } from '@shared/domain/image';
import type { JobParams } from '@shared/domain/job';
import { jobParamsFromMetadata } from '@shared/domain/imageMetadata';
import { ASPECT_RATIOS, type AspectRatio } from '@shared/domain/models';
import { DEFAULT_SETTINGS } from '@shared/domain/settings';
import { transaction, type Database } from '../db/database';
import { TEMP_FILE_PATTERN } from '../fs/atomic';
import type { Logger } from '../log/logger';
import type { ImageFileEntry, ImageIndex, ImageRecord, NewImageRecord } from './index';
import { detectImageFormat, readImageDescription, readMetadata, type EmbeddedMetadata } from './metadata';

/** What reconcile needs of the thumbnail service (`Thumbnailer` fits it). */
export interface ThumbnailPort {
  has(imageId: string): Promise<boolean>;
  ensure(imageId: string, sourcePath: string, options: { priority: 'low' }): Promise<string>;
  /** Remakes a thumbnail whose source file changed; without it a stale thumbnail is kept. */
  generate?(imageId: string, sourcePath: string, options: { priority: 'low' }): Promise<string>;
}

export interface ReconcileDeps {
  index: ImageIndex;
  /** The index's database: index writes are grouped into one transaction per batch. */
  db: Database;
  libraryRoot: string;
  thumbs?: ThumbnailPort;
  log: Logger;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface ReconcileProgress {
  phase: 'scan' | 'import' | 'missing' | 'thumbnails';
  /** Image files found so far. */
  scanned: number;
  /** New files read so far (import phase), out of `toImport`. */
  imported: number;
  toImport: number;
}

export interface ReconcileOptions {
  /** Resolve only when the missing thumbnails are made (default: they are made in the background). */
  waitForThumbnails?: boolean;
  /** Files per index transaction (default 500). */
  batchSize?: number;
  /** Called after every batch, e.g. for a progress bar during a rebuild. */
  onProgress?: (progress: ReconcileProgress) => void;
}

export interface ReconcileError {
  relPath: string;
  message: string;
}

export interface ReconcileReport {
  /** Image files found on disk (in the scanned scope). */
  scanned: number;
  /** Indexed files found where the index expects them. */
  unchanged: number;
  /** Files new to the index imported as `imported`: foreign images and copies of ours. */
  imported: number;
  /** Our images (by their embedded metadata) put back into the index under their own id. */
  recovered: number;
  /** Indexed images found at another path (renamed or moved outside the app). */
  moved: number;
  /** Images newly marked missing. */
  missing: number;
  /** Images marked missing earlier whose file is back. */
  reappeared: number;
  /** Indexed files whose content changed (re-hashed, thumbnail remade). */
  modified: number;
  /** New files with the same content as an image already in the library (left out). */
  duplicates: number;
  /** Images whose thumbnail was missing and has been requested. */
  thumbnailsQueued: number;
  errors: ReconcileError[];
  durationMs: number;
}

/** Beyond this many changed paths a targeted reconcile is slower than a full one. */
export const TARGETED_RECONCILE_LIMIT = 1000;

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);
/** Library images are at most 30 MB; anything much bigger is not read into memory. */
const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
/** Our image ids: what the gallery resolver and the thumbnail cache accept. */
const IMAGE_ID = /^[0-9a-f]{32}$/;
const DEFAULT_BATCH = 500;
/** Longest stretch of index writes between turns of the event loop (bench/rebuild.ts: ~45 ms worst stall at 10k). */
const SLICE_MS = 12;
/** Files read at once while importing (each is held in memory while it is inspected). */
const READ_CONCURRENCY = 8;
const THUMB_CHECK_CONCURRENCY = 32;
/** Thumbnails requested at once: the thumbnailer refuses low-priority work beyond its queue limit. */
const THUMB_ENSURE_CONCURRENCY = 4;
/** How close width/height must be to a known ratio to be filed under it (log scale, ~2%). */
const ASPECT_TOLERANCE = 0.02;

/**
 * Names reconcile and the watcher never look at: dot entries (the `.trash` folder, other apps'
 * hidden folders, macOS `._*` resource forks) and our own half-written temp files.
 */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || TEMP_FILE_PATTERN.test(name);
}

/** Whether a library-relative path (POSIX separators) lies in an ignored file or folder. */
export function isIgnoredLibraryPath(relPath: string): boolean {
  return relPath.split('/').some((segment) => segment === '' || segment === '..' || isIgnoredName(segment));
}

export function hasImageExtension(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

/** An image id for a file that carries none of ours: its content, so re-importing it is idempotent. */
export function contentImageId(sha256Hex: string): string {
  return sha256Hex.slice(0, 32);
}

/**
 * Brings the index in line with the library folder: files removed outside the app are marked
 * missing, files added or moved in are imported (ours from their embedded metadata, anything
 * else as `imported`), and missing thumbnails are requested. Unchanged files (same size and
 * mtime as last seen) are not read. Index writes go in batches, one transaction each, with a
 * turn of the event loop in between; `signal` stops the run between batches (it rejects with
 * the abort reason; what was committed stays, and nothing is marked missing).
 *
 * Runs must not overlap (see `createLibraryReconciler`).
 */
export async function reconcileLibrary(
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const started = performance.now();
  const report = emptyReport();
  if (!(await rootIsReady(deps, report))) return finish(report, started);
  const entries = deps.index.allPaths();
  const byPath = new Map(entries.map((entry) => [entry.relPath, entry]));
  const unreadable: ReconcileError[] = [];
  const scan: Scan = {
    batches: walkBatches(deps.libraryRoot, '', options.batchSize ?? DEFAULT_BATCH, unreadable, deps.signal),
    lookup: (relPath) => byPath.get(relPath) ?? null,
    indexed: () => entries,
    covers: (relPath) => !isIgnoredLibraryPath(relPath) && !isUnder(relPath, unreadable),
  };
  await runReconcile(deps, scan, options, report);
  report.errors.push(...unreadable);
  return finish(report, started, deps.log, 'full');
}

/**
 * The watcher's fast path: reconciles only these library-relative paths (files or folders,
 * present or gone). More than `TARGETED_RECONCILE_LIMIT` paths run a full reconcile instead.
 */
export async function reconcilePaths(
  deps: ReconcileDeps,
  relPaths: readonly string[],
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const paths = [...new Set(relPaths.map(normaliseRelPath))].filter(
    (path): path is string => path !== null && !isIgnoredLibraryPath(path),
  );
  if (paths.length > TARGETED_RECONCILE_LIMIT) return reconcileLibrary(deps, options);
  const started = performance.now();
  const report = emptyReport();
  if (paths.length === 0 || !(await rootIsReady(deps, report))) return finish(report, started);

  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const files: DiskFile[] = [];
  const exact = new Set<string>();
  const folders: string[] = [];
  const unreadable: ReconcileError[] = [];
  for (const relPath of paths) {
    let info: Stats | null = null;
    try {
      info = await stat(join(deps.libraryRoot, relPath));
    } catch (error) {
      if (!isNotFound(error)) {
        report.errors.push({ relPath, message: errorMessage(error) });
        continue;
      }
    }
    if (info === null) {
      exact.add(relPath);
      // A gone path with no image extension may have been a folder: everything under it is gone.
      if (!hasImageExtension(relPath)) folders.push(relPath);
    } else if (info.isDirectory()) {
      folders.push(relPath);
    } else if (info.isFile()) {
      exact.add(relPath);
      if (hasImageExtension(relPath)) files.push(diskFile(deps.libraryRoot, relPath, info));
    }
  }
  // Folders to walk, each once: not one inside another that is walked anyway.
  const present = folders.filter(
    (folder) => !exact.has(folder) && !folders.some((other) => other !== folder && isInside(folder, other)),
  );
  let underFolders: ImageFileEntry[] | null = null;
  const indexedUnderFolders = (): ImageFileEntry[] => {
    underFolders ??=
      folders.length === 0
        ? []
        : deps.index.allPaths().filter((entry) => folders.some((folder) => isInside(entry.relPath, folder)));
    return underFolders;
  };
  const scan: Scan = {
    batches: (async function* () {
      for (let from = 0; from < files.length; from += batchSize) {
        yield { files: files.slice(from, from + batchSize), failed: [] };
      }
      for (const folder of present) {
        for await (const batch of walkBatches(deps.libraryRoot, folder, batchSize, unreadable, deps.signal)) {
          yield { ...batch, files: batch.files.filter((file) => !exact.has(file.relPath)) };
        }
      }
    })(),
    lookup: (relPath) => {
      const record = deps.index.byRelPath(relPath);
      return record === null ? null : fileEntry(record);
    },
    indexed: function* () {
      for (const relPath of exact) {
        const record = deps.index.byRelPath(relPath);
        if (record !== null) yield fileEntry(record);
      }
      yield* indexedUnderFolders();
    },
    covers: (relPath) =>
      !isIgnoredLibraryPath(relPath) &&
      (exact.has(relPath) || folders.some((folder) => isInside(relPath, folder))) &&
      !isUnder(relPath, unreadable),
  };
  await runReconcile(deps, scan, options, report);
  report.errors.push(...unreadable);
  return finish(report, started, deps.log, 'paths');
}

export interface LibraryReconciler {
  /** A full reconcile; a call while one is already waiting to start shares it. */
  full(options?: ReconcileOptions): Promise<ReconcileReport>;
  /** A targeted reconcile; paths given while one is waiting to start are merged into it. */
  paths(relPaths: readonly string[]): Promise<ReconcileReport>;
  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void>;
}

/**
 * Runs reconciles one at a time (start-up, "Rescan library" and the watcher would otherwise
 * race each other into duplicate imports). A run that fails rejects its own callers only; the
 * next one goes ahead.
 */
export function createLibraryReconciler(deps: () => ReconcileDeps): LibraryReconciler {
  let tail: Promise<unknown> = Promise.resolve();
  let waitingFull: Promise<ReconcileReport> | null = null;
  let waitingPaths: { paths: Set<string>; promise: Promise<ReconcileReport> } | null = null;

  const enqueue = (run: () => Promise<ReconcileReport>): Promise<ReconcileReport> => {
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  };
  return {
    full(options) {
      if (waitingFull) return waitingFull;
      const promise = enqueue(() => {
        waitingFull = null;
        return reconcileLibrary(deps(), options);
      });
      waitingFull = promise;
      return promise;
    },
    paths(relPaths) {
      if (waitingFull) return waitingFull;
      if (waitingPaths) {
        for (const path of relPaths) waitingPaths.paths.add(path);
        return waitingPaths.promise;
      }
      const paths = new Set(relPaths);
      const promise = enqueue(() => {
        waitingPaths = null;
        return reconcilePaths(deps(), [...paths]);
      });
      waitingPaths = { paths, promise };
      return promise;
    },
    async idle() {
      for (let seen: unknown = null; seen !== tail;) {
        seen = tail;
        await tail;
      }
    },
  };
}

interface DiskFile {
  relPath: string;
  absPath: string;
  size: number;
  mtimeMs: number;
}

interface ScanBatch {
  files: DiskFile[];
  /** Files found but not statable (other than gone): present, state unknown. */
  failed: ReconcileError[];
}

/** One reconcile's view of the library: what is on disk in scope, and what the index says. */
interface Scan {
  batches: AsyncIterable<ScanBatch>;
  /** The index entry at this path, if any. */
  lookup(relPath: string): ImageFileEntry | null;
  /** Index entries in scope (read after the walk): each one not found on disk is gone. */
  indexed(): Iterable<ImageFileEntry>;
  /** Whether the walk looked at this path, so that not finding it means the file is gone. */
  covers(relPath: string): boolean;
}

interface Inspected {
  file: DiskFile;
  format: ImageFormat;
  width: number;
  height: number;
  sha256: string;
  meta: EmbeddedMetadata | null;
  description: string | null;
}

type Inspection = { ok: true; value: Inspected } | { ok: false; relPath: string; message: string };

interface ThumbCandidate {
  id: string;
  absPath: string;
}

async function runReconcile(
  deps: ReconcileDeps,
  scan: Scan,
  options: ReconcileOptions,
  report: ReconcileReport,
): Promise<void> {
  const { index, db, signal } = deps;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const progress = (phase: ReconcileProgress['phase'], done = 0, total = 0): void =>
    options.onProgress?.({ phase, scanned: report.scanned, imported: done, toImport: total });
  const seen = new Set<string>();
  const fresh: DiskFile[] = [];
  const modified: { file: DiskFile; entry: ImageFileEntry }[] = [];
  const thumbs: ThumbCandidate[] = [];
  const remake: ThumbCandidate[] = [];

  // 1. Walk: indexed files still in place are settled from their stat alone.
  for await (const batch of scan.batches) {
    signal?.throwIfAborted();
    const fileInfo: { id: string; size: number; mtimeMs: number }[] = [];
    const reappeared: string[] = [];
    for (const failed of batch.failed) {
      seen.add(failed.relPath);
      report.errors.push(failed);
    }
    for (const file of batch.files) {
      report.scanned += 1;
      seen.add(file.relPath);
      const entry = scan.lookup(file.relPath);
      if (entry === null) {
        fresh.push(file);
        continue;
      }
      const changed =
        (entry.fileSize !== null && entry.fileSize !== file.size) ||
        (entry.fileMtimeMs !== null && entry.fileMtimeMs !== file.mtimeMs);
      if (changed) modified.push({ file, entry });
      else if (entry.fileSize === null || entry.fileMtimeMs === null)
        fileInfo.push({ id: entry.id, size: file.size, mtimeMs: file.mtimeMs });
      if (entry.status === 'missing') {
        reappeared.push(entry.id);
        report.reappeared += 1;
      } else if (!changed) {
        report.unchanged += 1;
      }
      if (deps.thumbs && !entry.trashed && !changed) thumbs.push({ id: entry.id, absPath: file.absPath });
    }
    if (fileInfo.length > 0 || reappeared.length > 0) {
      transaction(db, () => {
        for (const info of fileInfo) {
          index.setFileInfo(info.id, { fileSize: info.size, fileMtimeMs: info.mtimeMs });
        }
        if (reappeared.length > 0) index.markPresent(reappeared);
      });
    }
    progress('scan');
    await nextTurn();
  }

  // 2. Files whose content changed under an index entry: re-read, re-hash, remake the thumbnail.
  for (let from = 0; from < modified.length; from += batchSize) {
    signal?.throwIfAborted();
    const chunk = modified.slice(from, from + batchSize);
    const inspected = await mapLimit(chunk, READ_CONCURRENCY, ({ file }) => inspectFile(file));
    transaction(db, () => {
      inspected.forEach((result, position) => {
        const entry = chunk[position]?.entry;
        if (!entry) return;
        if (!result.ok) {
          report.errors.push({ relPath: result.relPath, message: result.message });
          return;
        }
        const { file, sha256 } = result.value;
        index.setFileInfo(entry.id, { fileSize: file.size, fileMtimeMs: file.mtimeMs, contentHash: sha256 });
        report.modified += 1;
        if (!entry.trashed) remake.push({ id: entry.id, absPath: file.absPath });
      });
    });
    await nextTurn();
  }

  // 3. Files the index does not know: ours go back under their id (or are found moved), the rest
  // are imported by content.
  const claimed = new Set<string>();
  const outside = new Map<string, boolean>();
  const exists = (record: ImageRecord): boolean =>
    !record.trashed && scan.covers(record.relPath)
      ? seen.has(record.relPath)
      : (outside.get(record.relPath) ?? true);
  const placer = new NewFilePlacer(deps, report, exists, (id) => claimed.add(id));
  for (let from = 0; from < fresh.length; from += batchSize) {
    signal?.throwIfAborted();
    const chunk = fresh.slice(from, from + batchSize);
    const inspected = await mapLimit(chunk, READ_CONCURRENCY, inspectFile);
    // Where a file may have come from lies outside what was walked (the trash, another folder):
    // look first, since the index writes below run synchronously.
    const elsewhere = new Set<string>();
    for (const result of inspected) {
      if (!result.ok) continue;
      for (const record of placer.candidates(result.value)) {
        if (record.trashed || !scan.covers(record.relPath)) elsewhere.add(record.relPath);
      }
    }
    await mapLimit([...elsewhere], READ_CONCURRENCY, async (relPath) => {
      outside.set(relPath, await fileExists(join(deps.libraryRoot, relPath)));
    });
    await inSlices(db, inspected, (result) => {
      if (!result.ok) {
        report.errors.push({ relPath: result.relPath, message: result.message });
        return;
      }
      const placed = placer.place(result.value);
      if (deps.thumbs && placed !== null) thumbs.push({ id: placed, absPath: result.value.file.absPath });
    });
    progress('import', Math.min(from + batchSize, fresh.length), fresh.length);
  }

  // 4. Indexed files that were not found: missing. Re-read first, in case the app itself moved
  // or trashed the image while the walk ran.
  signal?.throwIfAborted();
  const gone: string[] = [];
  const before = new Map<string, string>();
  for (const entry of scan.indexed()) {
    if (entry.trashed || entry.status === 'missing' || claimed.has(entry.id)) continue;
    if (seen.has(entry.relPath) || !scan.covers(entry.relPath)) continue;
    gone.push(entry.id);
    before.set(entry.id, entry.relPath);
  }
  for (let from = 0; from < gone.length; from += batchSize) {
    const ids = gone.slice(from, from + batchSize).filter((id) => {
      const current = index.get(id);
      return (
        current !== null && !current.trashed && current.status === 'ok' && current.relPath === before.get(id)
      );
    });
    if (ids.length > 0) report.missing += index.markMissing(ids);
    progress('missing');
    await nextTurn();
  }

  // 5. Thumbnails: requested for every image on disk that lacks one, a few at a time.
  if (deps.thumbs) {
    progress('thumbnails');
    const { done } = await requestThumbnails(deps.thumbs, thumbs, remake, report, deps);
    if (options.waitForThumbnails) await done;
  }
}

/**
 * Applies `fn` to every item in transactions of at most SLICE_MS of work each, with a turn of
 * the event loop after each: a batch of inserts (each re-indexed for search by triggers) would
 * otherwise hold the main process for over 100 ms.
 */
async function inSlices<T>(db: Database, items: readonly T[], fn: (item: T) => void): Promise<void> {
  let next = 0;
  while (next < items.length) {
    const started = performance.now();
    next = transaction(db, () => {
      let position = next;
      while (position < items.length && performance.now() - started < SLICE_MS) {
        fn(items[position] as T);
        position += 1;
      }
      return position;
    });
    await nextTurn();
  }
}

/** Decides, file by file inside one transaction, what a file new to the index is. */
class NewFilePlacer {
  constructor(
    private readonly deps: ReconcileDeps,
    private readonly report: ReconcileReport,
    private readonly exists: (record: ImageRecord) => boolean,
    private readonly claim: (id: string) => void,
  ) {}

  /** Index records this file may be the same image as. */
  candidates(file: Inspected): ImageRecord[] {
    const { index } = this.deps;
    const found: (ImageRecord | null)[] = [index.get(contentImageId(file.sha256))];
    if (file.meta !== null && IMAGE_ID.test(file.meta.imageId)) {
      found.push(index.get(file.meta.imageId));
      if (file.meta.kieTaskId !== null)
        found.push(index.byTaskResult(file.meta.kieTaskId, file.meta.resultIndex));
    } else {
      found.push(...index.byContentHash(file.sha256));
    }
    return found.filter((record): record is ImageRecord => record !== null);
  }

  /** Indexes the file (or finds it is a duplicate); returns the id now at its path, if any. */
  place(file: Inspected): string | null {
    const { index, db } = this.deps;
    const { relPath } = file.file;
    // Indexed meanwhile (a delivery landed while the walk ran): nothing to do.
    if (index.byRelPath(relPath) !== null) return null;
    try {
      return transaction(db, () => {
        const meta = file.meta;
        const ours = meta !== null && IMAGE_ID.test(meta.imageId);
        if (meta !== null && ours) {
          const original =
            index.get(meta.imageId) ??
            (meta.kieTaskId === null ? null : index.byTaskResult(meta.kieTaskId, meta.resultIndex));
          if (original === null) {
            index.insert(recoveredRecord(meta, file, jobOfTask(db, meta.kieTaskId)));
            this.report.recovered += 1;
            return meta.imageId;
          }
          if (!this.exists(original)) return this.relocate(original, file);
        }
        // A foreign image, or a copy of one of ours whose original is still in place (which has
        // the same content, so only an earlier import of the copy counts as the same image).
        const sameContent =
          index.get(contentImageId(file.sha256)) ??
          (ours ? null : (index.byContentHash(file.sha256)[0] ?? null));
        if (sameContent !== null) {
          if (!this.exists(sameContent)) return this.relocate(sameContent, file);
          this.report.duplicates += 1;
          return null;
        }
        const record = importedRecord(file, this.deps.now?.() ?? new Date());
        index.insert(record);
        this.report.imported += 1;
        return record.id;
      });
    } catch (error) {
      this.report.errors.push({ relPath, message: errorMessage(error) });
      return null;
    }
  }

  private relocate(record: ImageRecord, file: Inspected): string {
    const { index } = this.deps;
    const { relPath, size, mtimeMs } = file.file;
    // Taken out of the trash folder by hand: it is back in the library.
    if (record.trashed) index.restore([record.id], [relPath]);
    else index.updatePath(record.id, relPath);
    if (record.status === 'missing') index.markPresent([record.id]);
    index.setFileInfo(record.id, { fileSize: size, fileMtimeMs: mtimeMs, contentHash: file.sha256 });
    this.claim(record.id);
    this.report.moved += 1;
    return record.id;
  }
}

/**
 * The job that made a task, so an image found again after a rebuild is linked back to it (the
 * job records survive a rebuild: see db/jobJournal.ts). Null for a task no job knows.
 */
function jobOfTask(db: Database, kieTaskId: string | null): string | null {
  if (kieTaskId === null) return null;
  const row = db.prepare('SELECT id FROM jobs WHERE kie_task_id = ?').get(kieTaskId) as
    { id: string } | undefined;
  return row?.id ?? null;
}

function recoveredRecord(meta: EmbeddedMetadata, file: Inspected, jobId: string | null): NewImageRecord {
  return {
    id: meta.imageId,
    jobId,
    kieTaskId: meta.kieTaskId,
    resultIndex: meta.resultIndex,
    params: paramsFromMetadata(meta, file),
    relPath: file.file.relPath,
    width: file.width,
    height: file.height,
    format: file.format,
    bytes: file.file.size,
    demo: meta.demo,
    createdAt: meta.createdAt,
    origin: 'generated',
    parents: meta.parents,
    fileSize: file.file.size,
    fileMtimeMs: file.file.mtimeMs,
    contentHash: file.sha256,
  };
}

/**
 * A file that is not (or no longer uniquely) one of ours. Its id is its content; a copy of ours
 * keeps the prompt and settings it was made with, anything else gets its caption or file name as
 * prompt and the unknown model.
 */
function importedRecord(file: Inspected, now: Date): NewImageRecord {
  const { meta } = file;
  const params: ImageParams = meta
    ? paramsFromMetadata(meta, file)
    : {
        model: UNKNOWN_MODEL,
        prompt: file.description?.trim() || fileStem(file.file.relPath),
        aspectRatio: nearestAspectRatio(file.width, file.height),
        outputFormat: file.format === 'jpeg' ? 'jpeg' : 'png',
        resolution: null,
      };
  const mtime = new Date(file.file.mtimeMs);
  return {
    id: contentImageId(file.sha256),
    jobId: null,
    kieTaskId: null,
    resultIndex: 0,
    params,
    relPath: file.file.relPath,
    width: file.width,
    height: file.height,
    format: file.format,
    bytes: file.file.size,
    demo: meta?.demo ?? false,
    createdAt: meta?.createdAt ?? (file.file.mtimeMs > 0 ? mtime : now).toISOString(),
    origin: 'imported',
    parents: meta?.parents ?? [],
    fileSize: file.file.size,
    fileMtimeMs: file.file.mtimeMs,
    contentHash: file.sha256,
  };
}

/** The embedded settings; what this version cannot read gets a neutral value from the file. */
function paramsFromMetadata(meta: EmbeddedMetadata, file: Inspected): JobParams {
  return jobParamsFromMetadata(meta, {
    model: DEFAULT_SETTINGS.compose.model,
    aspectRatio: nearestAspectRatio(file.width, file.height),
    outputFormat: file.format === 'jpeg' ? 'jpeg' : 'png',
  });
}

/** The known aspect ratio within ~2% of width:height, else `auto`. */
export function nearestAspectRatio(width: number, height: number): AspectRatio {
  if (width <= 0 || height <= 0) return 'auto';
  const actual = Math.log(width / height);
  let best: AspectRatio = 'auto';
  let bestDistance = ASPECT_TOLERANCE;
  for (const ratio of ASPECT_RATIOS) {
    const [w, h] = ratio.split(':').map(Number);
    if (!w || !h) continue;
    const distance = Math.abs(Math.log(w / h) - actual);
    if (distance <= bestDistance) {
      best = ratio;
      bestDistance = distance;
    }
  }
  return best;
}

function fileStem(relPath: string): string {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const stem = name.slice(0, name.length - extname(name).length);
  return stem === '' ? name : stem;
}

/** Reads a file once: format by magic bytes, size, our metadata or a caption, content hash. */
async function inspectFile(file: DiskFile): Promise<Inspection> {
  const fail = (message: string): Inspection => ({ ok: false, relPath: file.relPath, message });
  if (file.size > MAX_IMAGE_BYTES) return fail('Larger than 64 MB: not read.');
  try {
    const bytes = await readFile(file.absPath);
    const format = detectImageFormat(bytes);
    if (format === null) return fail('Not a PNG, JPEG or WebP image.');
    const size = await imageSize(bytes, format);
    if (size === null) return fail(`Not a readable ${format.toUpperCase()} image.`);
    const meta = readMetadata(bytes);
    return {
      ok: true,
      value: {
        // The bytes read are what the hash describes, even if the file changed since its stat.
        file: bytes.length === file.size ? file : { ...file, size: bytes.length },
        format,
        width: size.width,
        height: size.height,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        meta,
        description: meta === null ? readImageDescription(bytes) : null,
      },
    };
  } catch (error) {
    return fail(errorMessage(error));
  }
}

/** Width and height as displayed (EXIF orientation applied), from the header only. */
async function imageSize(
  bytes: Buffer,
  format: ImageFormat,
): Promise<{ width: number; height: number } | null> {
  const png = format === 'png' ? pngSize(bytes) : null;
  if (png !== null) return png;
  // Lazy: start-up never pays for sharp unless there is something new to import.
  const { default: sharp } = await import('sharp');
  try {
    const meta = await sharp(bytes).metadata();
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;
    return width > 0 && height > 0 ? { width, height } : null;
  } catch {
    return null;
  }
}

/**
 * A PNG's size straight from its IHDR chunk (always first), which saves a trip through sharp
 * for most library files. Null when the header is odd or an `eXIf` chunk may rotate the image:
 * sharp decides those.
 */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 33 || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  if (bytes.includes('eXIf', 33, 'latin1')) return null;
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  return width > 0 && height > 0 ? { width, height } : null;
}

/**
 * Checks which images lack a thumbnail and requests them a few at a time. Resolves once the
 * checks are done; `done` settles (never rejecting) when the requests have.
 */
async function requestThumbnails(
  thumbs: ThumbnailPort,
  candidates: readonly ThumbCandidate[],
  remake: readonly ThumbCandidate[],
  report: ReconcileReport,
  deps: ReconcileDeps,
): Promise<{ done: Promise<void> }> {
  const lacking: ThumbCandidate[] = [];
  for (let from = 0; from < candidates.length; from += DEFAULT_BATCH) {
    deps.signal?.throwIfAborted();
    const chunk = candidates.slice(from, from + DEFAULT_BATCH);
    const has = await mapLimit(chunk, THUMB_CHECK_CONCURRENCY, (item) =>
      thumbs.has(item.id).catch(() => false),
    );
    chunk.forEach((item, position) => {
      if (has[position] !== true) lacking.push(item);
    });
  }
  const jobs: { item: ThumbCandidate; force: boolean }[] = [
    ...lacking.map((item) => ({ item, force: false })),
    ...(thumbs.generate ? remake.map((item) => ({ item, force: true })) : []),
  ];
  report.thumbnailsQueued = jobs.length;
  if (jobs.length === 0) return { done: Promise.resolve() };
  let failed = 0;
  let firstError: unknown = null;
  const done = mapLimit(jobs, THUMB_ENSURE_CONCURRENCY, async ({ item, force }) => {
    if (deps.signal?.aborted) return;
    try {
      if (force && thumbs.generate) await thumbs.generate(item.id, item.absPath, { priority: 'low' });
      else await thumbs.ensure(item.id, item.absPath, { priority: 'low' });
    } catch (error) {
      failed += 1;
      firstError ??= error;
    }
  }).then(() => {
    if (failed > 0) deps.log.warn('Some thumbnails could not be made', { failed, error: firstError });
  });
  return { done };
}

/** Walks `start` (library-relative) for image files, statted, in batches. */
async function* walkBatches(
  root: string,
  start: string,
  batchSize: number,
  unreadable: ReconcileError[],
  signal: AbortSignal | undefined,
): AsyncGenerator<ScanBatch> {
  let pending: string[] = [];
  const statted = async (relPaths: string[]): Promise<ScanBatch> => {
    const batch: ScanBatch = { files: [], failed: [] };
    const results = await Promise.allSettled(relPaths.map((relPath) => stat(join(root, relPath))));
    results.forEach((result, position) => {
      const relPath = relPaths[position];
      if (relPath === undefined) return;
      if (result.status === 'fulfilled') {
        if (result.value.isFile()) batch.files.push(diskFile(root, relPath, result.value));
      } else if (!isNotFound(result.reason)) {
        batch.failed.push({ relPath, message: errorMessage(result.reason) });
      }
    });
    return batch;
  };
  for await (const relPath of walkImagePaths(root, start, unreadable, signal)) {
    pending.push(relPath);
    if (pending.length >= batchSize) {
      yield await statted(pending);
      pending = [];
    }
  }
  if (pending.length > 0) yield await statted(pending);
}

/**
 * Image files under `start`, depth first, one directory handle open at a time. A folder that
 * cannot be read goes to `unreadable`: it is no evidence that its files are gone.
 */
async function* walkImagePaths(
  root: string,
  start: string,
  unreadable: ReconcileError[],
  signal: AbortSignal | undefined,
): AsyncGenerator<string> {
  const folders = [start];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    signal?.throwIfAborted();
    const found: string[] = [];
    try {
      const dir = await opendir(folder === '' ? root : join(root, folder));
      for await (const entry of dir) {
        if (isIgnoredName(entry.name)) continue;
        const relPath = folder === '' ? entry.name : `${folder}/${entry.name}`;
        if (entry.isDirectory()) folders.push(relPath);
        else if (entry.isFile() && hasImageExtension(entry.name)) found.push(relPath);
      }
    } catch (error) {
      if (!isNotFound(error)) unreadable.push({ relPath: folder, message: errorMessage(error) });
    }
    yield* found;
  }
}

async function rootIsReady(deps: ReconcileDeps, report: ReconcileReport): Promise<boolean> {
  const info = await stat(deps.libraryRoot).catch(() => null);
  if (info?.isDirectory()) return true;
  // An unplugged drive looks exactly like a deleted library: never mark everything missing.
  if (deps.index.count({}) > 0) {
    report.errors.push({ relPath: '', message: `The library folder was not found: ${deps.libraryRoot}` });
    deps.log.warn('Library folder not found; nothing reconciled', { libraryRoot: deps.libraryRoot });
  }
  return false;
}

function diskFile(root: string, relPath: string, info: { size: number; mtimeMs: number }): DiskFile {
  return { relPath, absPath: join(root, relPath), size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
}

function fileEntry(record: ImageRecord): ImageFileEntry {
  return {
    id: record.id,
    relPath: record.relPath,
    fileSize: record.fileSize,
    fileMtimeMs: record.fileMtimeMs,
    status: record.status,
    trashed: record.trashed,
  };
}

/** `a/b` from what a watcher or caller gave (any separators, `./`); null for anything escaping the root. */
function normaliseRelPath(relPath: string): string | null {
  const parts = relPath
    .replaceAll('\\', '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.includes('..') || /^[A-Za-z]:$/.test(parts[0] ?? '')) return null;
  return parts.join('/');
}

function isInside(relPath: string, folder: string): boolean {
  return folder === '' || relPath === folder || relPath.startsWith(`${folder}/`);
}

function isUnder(relPath: string, folders: readonly ReconcileError[]): boolean {
  return folders.some((folder) => isInside(relPath, folder.relPath));
}

async function fileExists(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    (error: unknown) => !isNotFound(error),
  );
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const position = next;
      next += 1;
      results[position] = await fn(items[position] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function emptyReport(): ReconcileReport {
  return {
    scanned: 0,
    unchanged: 0,
    imported: 0,
    recovered: 0,
    moved: 0,
    missing: 0,
    reappeared: 0,
    modified: 0,
    duplicates: 0,
    thumbnailsQueued: 0,
    errors: [],
    durationMs: 0,
  };
}

function finish(report: ReconcileReport, started: number, log?: Logger, kind?: string): ReconcileReport {
  report.durationMs = Math.round(performance.now() - started);
  if (log) {
    const { errors, ...counts } = report;
    const fields = { ...counts, errors: errors.length, firstError: errors[0] };
    // The watcher's small runs are routine; a full one is worth a line in the log.
    if (kind === 'full') log.info('Library reconciled', fields);
    else log.debug('Library paths reconciled', fields);
  }
  return report;
}
