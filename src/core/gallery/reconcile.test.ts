import { createHash } from 'node:crypto';
import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageFormat } from '@shared/domain/image';
import { openDatabase, type Database } from '../db/database';
import { createLogger, MemorySink } from '../log/logger';
import { useTempDirs } from '../testing/tempDir';
import { ImageIndex } from './index';
import { resultImageId } from './library';
import { embedMetadata, type EmbeddedMetadata } from './metadata';
import { libraryRelativePath } from './naming';
import {
  createLibraryReconciler,
  nearestAspectRatio,
  reconcileLibrary,
  reconcilePaths,
  TARGETED_RECONCILE_LIMIT,
  type ReconcileDeps,
  type ReconcileOptions,
  type ThumbnailPort,
} from './reconcile';

const tempDir = useTempDirs();
const openDbs: Database[] = [];
afterEach(() => {
  for (const db of openDbs.splice(0)) if (db.isOpen) db.close();
});

function ourMeta(n: number, overrides: Partial<EmbeddedMetadata> = {}): EmbeddedMetadata {
  const kieTaskId = `task-${n}`;
  return {
    app: 'banana-studio',
    version: 1,
    imageId: resultImageId({ kieTaskId, resultIndex: 0 }),
    prompt: `a banana on the moon, take ${n}`,
    model: 'nano-banana-pro',
    params: { aspectRatio: '16:9', outputFormat: 'png', resolution: '2K' },
    kieTaskId,
    resultIndex: 0,
    references: [],
    parents: [],
    createdAt: new Date(Date.UTC(2026, 2, 1, 10, n)).toISOString(),
    appVersion: '0.1.0',
    demo: false,
    ...overrides,
  };
}

/** A small real image; `seed` changes its colour, so different seeds give different bytes. */
async function pixels(format: ImageFormat, seed: number, width = 32, height = 18): Promise<Buffer> {
  const image = sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: (seed * 37) % 256, g: (seed * 91) % 256, b: (seed * 53) % 256 },
    },
  });
  if (format === 'png') return image.png().toBuffer();
  if (format === 'jpeg') return image.jpeg().toBuffer();
  return image.webp().toBuffer();
}

async function put(root: string, relPath: string, bytes: Buffer | string): Promise<void> {
  await mkdir(dirname(join(root, relPath)), { recursive: true });
  await writeFile(join(root, relPath), bytes);
}

/** One of our images as the app saves it: metadata embedded, at its library path. */
async function putOurs(
  root: string,
  n: number,
  format: ImageFormat = 'png',
  overrides: Partial<EmbeddedMetadata> = {},
): Promise<{ id: string; relPath: string; meta: EmbeddedMetadata; bytes: Buffer }> {
  const meta = ourMeta(n, overrides);
  const bytes = embedMetadata(await pixels(format, n, 64, 36), meta);
  const relPath = libraryRelativePath(new Date(meta.createdAt), meta.prompt, meta.imageId, format);
  await put(root, relPath, bytes);
  return { id: meta.imageId, relPath, meta, bytes };
}

/** A PNG with a `Description` text chunk, as other apps write captions. */
function withPngDescription(png: Buffer, text: string): Buffer {
  const type = Buffer.from('tEXt', 'latin1');
  const data = Buffer.from(`Description\0${text}`, 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
  const afterIhdr = 8 + 4 + 4 + 13 + 4;
  return Buffer.concat([png.subarray(0, afterIhdr), length, type, data, crc, png.subarray(afterIhdr)]);
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

interface FakeThumbs extends ThumbnailPort {
  made: Set<string>;
  ensured: string[];
  generated: string[];
}

function fakeThumbs(): FakeThumbs {
  const made = new Set<string>();
  const ensured: string[] = [];
  const generated: string[] = [];
  return {
    made,
    ensured,
    generated,
    has: async (id) => made.has(id),
    ensure: async (id, _source, options) => {
      expect(options.priority).toBe('low');
      ensured.push(id);
      made.add(id);
      return `/thumbs/${id}.webp`;
    },
    generate: async (id) => {
      generated.push(id);
      made.add(id);
      return `/thumbs/${id}.webp`;
    },
  };
}

async function setup() {
  const dir = await tempDir();
  const root = join(dir, 'library');
  await mkdir(root, { recursive: true });
  const db = openDatabase(join(dir, 'data', 'library.db'));
  openDbs.push(db);
  const index = new ImageIndex(db);
  const sink = new MemorySink();
  const thumbs = fakeThumbs();
  const deps: ReconcileDeps = { index, db, libraryRoot: root, thumbs, log: createLogger({ sinks: [sink] }) };
  const run = (options: ReconcileOptions = {}) =>
    reconcileLibrary(deps, { waitForThumbnails: true, ...options });
  const runPaths = (relPaths: string[]) => reconcilePaths(deps, relPaths, { waitForThumbnails: true });
  return { dir, root, db, index, deps, thumbs, sink, run, runPaths };
}

const counts = (report: Awaited<ReturnType<typeof reconcileLibrary>>) => {
  const { errors: _errors, durationMs: _durationMs, ...rest } = report;
  return rest;
};

describe('reconcileLibrary', () => {
  it('rebuilds an empty index from the metadata embedded in our images', async () => {
    const { root, index, run, thumbs } = await setup();
    const png = await putOurs(root, 1, 'png', { parents: ['0'.repeat(32)], demo: true });
    const jpeg = await putOurs(root, 2, 'jpeg', { params: { aspectRatio: '1:1', outputFormat: 'jpeg' } });
    const webp = await putOurs(root, 3, 'webp', { model: 'some-future-model', params: {} });

    const report = await run();
    expect(counts(report)).toMatchObject({ scanned: 3, recovered: 3, imported: 0, missing: 0 });
    expect(report.errors).toEqual([]);

    const first = index.get(png.id);
    expect(first).toMatchObject({
      id: png.id,
      relPath: png.relPath,
      origin: 'generated',
      status: 'ok',
      kieTaskId: 'task-1',
      resultIndex: 0,
      jobId: null,
      createdAt: png.meta.createdAt,
      parents: ['0'.repeat(32)],
      demo: true,
      format: 'png',
      width: 64,
      height: 36,
      bytes: png.bytes.length,
      fileSize: png.bytes.length,
      contentHash: sha256(png.bytes),
      params: {
        model: 'nano-banana-pro',
        prompt: png.meta.prompt,
        aspectRatio: '16:9',
        outputFormat: 'png',
        resolution: '2K',
      },
    });
    expect(index.get(jpeg.id)?.params).toMatchObject({ aspectRatio: '1:1', outputFormat: 'jpeg' });
    expect(index.get(jpeg.id)?.format).toBe('jpeg');
    // Settings this version does not know fall back to neutral values.
    expect(index.get(webp.id)?.params).toMatchObject({
      model: 'google/nano-banana',
      prompt: webp.meta.prompt,
      aspectRatio: '16:9',
      resolution: null,
    });
    expect(index.byTaskResult('task-2', 0)?.id).toBe(jpeg.id);
    expect(thumbs.ensured.sort()).toEqual([png.id, jpeg.id, webp.id].sort());
    expect(report.thumbnailsQueued).toBe(3);

    const again = await run();
    expect(counts(again)).toMatchObject({ scanned: 3, unchanged: 3, recovered: 0, thumbnailsQueued: 0 });
    expect(index.count({})).toBe(3);
  });

  it('settles an image the app indexed from its stat alone, recording the mtime the first time', async () => {
    const { root, index, run } = await setup();
    const ours = await putOurs(root, 1);
    index.insert({
      id: ours.id,
      jobId: null,
      kieTaskId: 'task-1',
      resultIndex: 0,
      params: {
        model: 'nano-banana-pro',
        prompt: 'p',
        aspectRatio: '16:9',
        outputFormat: 'png',
        resolution: '2K',
      },
      relPath: ours.relPath,
      width: 64,
      height: 36,
      format: 'png',
      bytes: ours.bytes.length,
      demo: false,
      createdAt: ours.meta.createdAt,
    });
    expect(index.get(ours.id)?.fileMtimeMs).toBeNull();
    expect(counts(await run())).toMatchObject({ scanned: 1, unchanged: 1, modified: 0, recovered: 0 });
    expect(index.get(ours.id)?.fileMtimeMs).toEqual(expect.any(Number));
    expect(counts(await run())).toMatchObject({ unchanged: 1, modified: 0 });
  });

  it('marks a file deleted outside the app missing, and present again when it is put back', async () => {
    const { root, index, run } = await setup();
    const kept = await putOurs(root, 1);
    const lost = await putOurs(root, 2);
    await run();

    await rm(join(root, lost.relPath));
    expect(counts(await run())).toMatchObject({ unchanged: 1, missing: 1 });
    expect(index.get(lost.id)?.status).toBe('missing');
    expect(index.count({ status: 'missing' })).toBe(1);
    // Still missing is not missing again.
    expect(counts(await run())).toMatchObject({ unchanged: 1, missing: 0 });

    await put(root, lost.relPath, lost.bytes);
    expect(counts(await run())).toMatchObject({ unchanged: 1, reappeared: 1, missing: 0 });
    expect(index.get(lost.id)?.status).toBe('ok');
    expect(index.get(kept.id)?.status).toBe('ok');
  });

  it('follows one of our images renamed or moved to another folder: same id, no duplicate', async () => {
    const { root, index, run } = await setup();
    const ours = await putOurs(root, 1);
    await run();

    await mkdir(join(root, 'favourites'));
    await rename(join(root, ours.relPath), join(root, 'favourites/best banana.png'));
    expect(counts(await run())).toMatchObject({ moved: 1, missing: 0, imported: 0, recovered: 0 });
    expect(index.get(ours.id)).toMatchObject({ relPath: 'favourites/best banana.png', status: 'ok' });
    expect(index.count({})).toBe(1);

    // Found again after it had already been marked missing.
    await rename(join(root, 'favourites/best banana.png'), join(root, 'outside.png.bak'));
    await run();
    expect(index.get(ours.id)?.status).toBe('missing');
    await rename(join(root, 'outside.png.bak'), join(root, 'back.png'));
    expect(counts(await run())).toMatchObject({ moved: 1, missing: 0 });
    expect(index.get(ours.id)).toMatchObject({ relPath: 'back.png', status: 'ok' });
    expect(index.count({})).toBe(1);
  });

  it('imports foreign PNG and JPEG files once, by content, with their caption or file name', async () => {
    const { root, index, run } = await setup();
    const png = withPngDescription(await pixels('png', 7, 160, 90), 'Sunset over the bay');
    const jpeg = await pixels('jpeg', 8, 40, 40);
    await put(root, 'camera/IMG_0001.png', png);
    await put(root, 'camera/holiday snap.JPG', jpeg);

    const report = await run();
    expect(counts(report)).toMatchObject({ scanned: 2, imported: 2, recovered: 0, duplicates: 0 });
    const fromPng = index.get(sha256(png).slice(0, 32));
    expect(fromPng).toMatchObject({
      relPath: 'camera/IMG_0001.png',
      origin: 'imported',
      kieTaskId: null,
      format: 'png',
      width: 160,
      height: 90,
      contentHash: sha256(png),
      params: { model: 'unknown', prompt: 'Sunset over the bay', aspectRatio: '16:9' },
    });
    expect(index.byRelPath('camera/holiday snap.JPG')).toMatchObject({
      id: sha256(jpeg).slice(0, 32),
      format: 'jpeg',
      origin: 'imported',
      params: { model: 'unknown', prompt: 'holiday snap', aspectRatio: '1:1', outputFormat: 'jpeg' },
    });
    expect(index.count({ origin: 'imported' })).toBe(2);
    // No model filter claims a photo from elsewhere.
    expect(index.count({ models: ['google/nano-banana'] })).toBe(0);

    for (let round = 0; round < 2; round += 1) {
      expect(counts(await run())).toMatchObject({ unchanged: 2, imported: 0, duplicates: 0 });
    }
    expect(index.count({})).toBe(2);

    // The same content under another name is a duplicate, not a new image.
    await put(root, 'copies/IMG_0001 copy.png', png);
    expect(counts(await run())).toMatchObject({ imported: 0, duplicates: 1 });
    expect(index.count({})).toBe(2);
  });

  it('follows a foreign image that was renamed instead of importing it again', async () => {
    const { root, index, run } = await setup();
    const png = await pixels('png', 9);
    await put(root, 'a.png', png);
    await run();
    await rename(join(root, 'a.png'), join(root, 'b.png'));
    expect(counts(await run())).toMatchObject({ moved: 1, imported: 0, missing: 0, duplicates: 0 });
    expect(index.byRelPath('b.png')?.id).toBe(sha256(png).slice(0, 32));
    expect(index.count({})).toBe(1);
  });

  it('imports a copy of one of our images (original still in place) as a new image', async () => {
    const { root, index, run } = await setup();
    const ours = await putOurs(root, 1);
    await run();
    await put(root, 'edits/copy of banana.png', ours.bytes);

    expect(counts(await run())).toMatchObject({ unchanged: 1, imported: 1, moved: 0, duplicates: 0 });
    const copy = index.byRelPath('edits/copy of banana.png');
    expect(copy).toMatchObject({
      id: sha256(ours.bytes).slice(0, 32),
      origin: 'imported',
      kieTaskId: null,
      params: { prompt: ours.meta.prompt, model: 'nano-banana-pro' },
    });
    expect(copy?.id).not.toBe(ours.id);
    expect(index.get(ours.id)).toMatchObject({ relPath: ours.relPath, status: 'ok', origin: 'generated' });

    expect(counts(await run())).toMatchObject({ unchanged: 2, imported: 0 });
    await put(root, 'edits/copy of banana (2).png', ours.bytes);
    expect(counts(await run())).toMatchObject({ imported: 0, duplicates: 1 });
    expect(index.count({})).toBe(2);
  });

  it('reports a file named like an image that is not one, and ignores other files', async () => {
    const { root, index, run } = await setup();
    await put(root, '2026/03/fake.png', 'this is text, not a PNG');
    await put(root, '2026/03/notes.txt', 'hello');
    await put(root, '2026/03/empty.webp', '');
    const report = await run();
    expect(report.scanned).toBe(2);
    expect(report.errors.map((error) => error.relPath).sort()).toEqual([
      '2026/03/empty.webp',
      '2026/03/fake.png',
    ]);
    expect(report.errors[0]?.message).toMatch(/not a png, jpeg or webp/i);
    expect(index.count({})).toBe(0);
  });

  it('ignores temp files, the trash, dot-folders and resource forks', async () => {
    const { root, index, run } = await setup();
    const real = await putOurs(root, 1);
    const trashed = await putOurs(root, 2);
    const image = await pixels('png', 3);
    await put(root, '2026/03/.banana.png.0123456789ab.part', image);
    await put(root, '.cache/thumb.png', image);
    await put(root, '2026/03/._banana.png', 'AppleDouble');
    await run();
    expect(index.count({})).toBe(2);

    // As GalleryLibrary.trash does: the file goes to .trash, the index records it.
    await put(root, `.trash/${trashed.id}.png`, trashed.bytes);
    await rm(join(root, trashed.relPath));
    index.moveToTrash([trashed.id], [`.trash/${trashed.id}.png`]);

    const report = await run();
    expect(counts(report)).toMatchObject({ scanned: 1, unchanged: 1, missing: 0, imported: 0 });
    expect(report.errors).toEqual([]);
    expect(index.get(trashed.id)).toMatchObject({ trashed: true, status: 'ok' });
    expect(index.get(real.id)?.status).toBe('ok');
  });

  it('takes an image back out of the trash when its file is moved back by hand', async () => {
    const { root, index, run } = await setup();
    const ours = await putOurs(root, 1);
    await run();
    await put(root, `.trash/${ours.id}.png`, ours.bytes);
    await rm(join(root, ours.relPath));
    index.moveToTrash([ours.id], [`.trash/${ours.id}.png`]);

    await rename(join(root, `.trash/${ours.id}.png`), join(root, 'rescued.png'));
    expect(counts(await run())).toMatchObject({ moved: 1, imported: 0, duplicates: 0 });
    expect(index.get(ours.id)).toMatchObject({ relPath: 'rescued.png', trashed: false, status: 'ok' });
  });

  it('re-hashes a file whose content changed and remakes its thumbnail', async () => {
    const { root, index, run, thumbs } = await setup();
    const png = await pixels('png', 4);
    await put(root, 'photo.png', png);
    await run();
    const id = sha256(png).slice(0, 32);
    expect(thumbs.ensured).toEqual([id]);

    const edited = await pixels('png', 5, 40, 40);
    await put(root, 'photo.png', edited);
    await utimes(join(root, 'photo.png'), new Date(), new Date(Date.now() + 5_000));
    expect(counts(await run())).toMatchObject({ modified: 1, unchanged: 0, thumbnailsQueued: 1 });
    expect(index.get(id)?.contentHash).toBe(sha256(edited));
    expect(thumbs.generated).toEqual([id]);
  });

  it('requests only the thumbnails that are missing, at low priority', async () => {
    const { root, run, thumbs } = await setup();
    const a = await putOurs(root, 1);
    const b = await putOurs(root, 2);
    thumbs.made.add(a.id);
    const report = await run();
    expect(report.thumbnailsQueued).toBe(1);
    expect(thumbs.ensured).toEqual([b.id]);
  });

  it('leaves thumbnails to finish in the background unless asked to wait', async () => {
    const { root, deps } = await setup();
    const ours = await putOurs(root, 1);
    let release: () => void = () => undefined;
    const requested: string[] = [];
    const slow: ThumbnailPort = {
      has: async () => false,
      ensure: (id) => {
        requested.push(id);
        return new Promise((resolve) => {
          release = () => resolve(id);
        });
      },
    };
    const report = await reconcileLibrary({ ...deps, thumbs: slow });
    expect(report.thumbnailsQueued).toBe(1);
    expect(requested).toEqual([ours.id]);
    release();
  });

  it('changes nothing when the library folder is gone (an unplugged drive is not a deleted library)', async () => {
    const { root, index, run } = await setup();
    await putOurs(root, 1);
    await run();
    await rm(root, { recursive: true });
    const report = await run();
    expect(report.errors).toEqual([{ relPath: '', message: expect.stringMatching(/not found/) }]);
    expect(index.count({ status: 'missing' })).toBe(0);
  });

  it('is quiet about a library folder that does not exist yet when the index is empty', async () => {
    const { dir, deps } = await setup();
    const report = await reconcileLibrary({ ...deps, libraryRoot: join(dir, 'not-yet') });
    expect(report.errors).toEqual([]);
    expect(report.scanned).toBe(0);
  });

  it('stops between batches when aborted; what was committed stays and a later run finishes', async () => {
    const { root, index, deps, run } = await setup();
    const files = await Promise.all(
      Array.from({ length: 40 }, async (_, n) => {
        const bytes = await pixels('png', n + 10, 8, 8);
        await put(root, `bulk/${String(n).padStart(2, '0')}.png`, bytes);
        return bytes;
      }),
    );
    const lost = await putOurs(root, 1);
    await run();
    await rm(join(root, lost.relPath));
    await rm(join(root, 'bulk'), { recursive: true });
    await Promise.all(files.map((bytes, n) => put(root, `bulk2/${n}.png`, bytes)));

    await expect(
      reconcileLibrary({ ...deps, signal: AbortSignal.abort() }, { batchSize: 10 }),
    ).rejects.toMatchObject({ name: 'AbortError' });

    const controller = new AbortController();
    const aborted = reconcileLibrary(
      { ...deps, signal: controller.signal },
      {
        batchSize: 10,
        onProgress: (progress) => {
          if (progress.phase === 'import' && progress.imported >= 10) controller.abort();
        },
      },
    );
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    const movedSoFar = index.allPaths().filter((entry) => entry.relPath.startsWith('bulk2/')).length;
    expect(movedSoFar).toBeGreaterThanOrEqual(10);
    expect(movedSoFar).toBeLessThan(40);
    // Nothing is marked missing by a run that did not finish looking.
    expect(index.count({ status: 'missing' })).toBe(0);

    const finished = await run({ batchSize: 10 });
    expect(finished.moved).toBe(40 - movedSoFar);
    expect(finished.missing).toBe(1);
    expect(index.count({})).toBe(41);
  });
});

describe('reconcilePaths', () => {
  it('reconciles just the paths it is given: gone → missing, new → imported', async () => {
    const { root, index, run, runPaths } = await setup();
    const a = await putOurs(root, 1);
    const b = await putOurs(root, 2);
    await run();
    await rm(join(root, a.relPath));
    await rm(join(root, b.relPath));
    const png = await pixels('png', 20);
    await put(root, 'new/foreign.png', png);

    const report = await runPaths([a.relPath, 'new/foreign.png', './new//foreign.png']);
    expect(counts(report)).toMatchObject({ scanned: 1, imported: 1, missing: 1 });
    expect(index.get(a.id)?.status).toBe('missing');
    // Not named, not looked at.
    expect(index.get(b.id)?.status).toBe('ok');
  });

  it('handles folders: one moved out marks its images missing, one moved in imports them', async () => {
    const { dir, root, index, run, runPaths } = await setup();
    const a = await putOurs(root, 1);
    const b = await putOurs(root, 2);
    await run();
    const folder = a.relPath.split('/').slice(0, 2).join('/');
    expect(b.relPath.startsWith(`${folder}/`)).toBe(true);

    await rename(join(root, folder), join(dir, 'elsewhere'));
    expect(counts(await runPaths([folder]))).toMatchObject({ missing: 2 });

    await rename(join(dir, 'elsewhere'), join(root, 'restored'));
    await put(root, 'restored/deeper/other.webp', await pixels('webp', 30));
    // A watcher reports a folder moved in along with what is inside it: each file counts once.
    const report = await runPaths(['restored', 'restored/deeper', 'restored/deeper/other.webp']);
    expect(counts(report)).toMatchObject({ scanned: 3, moved: 2, imported: 1, missing: 0 });
    expect(index.get(a.id)?.relPath.startsWith('restored/')).toBe(true);
    expect(index.count({ status: 'missing' })).toBe(0);
  });

  it('ignores paths in the trash, dot-folders, temp files and outside the root', async () => {
    const { root, index, runPaths } = await setup();
    const png = await pixels('png', 21);
    await put(root, '.trash/x.png', png);
    await put(root, 'a/.b.png.0123456789ab.part', png);
    const report = await runPaths(['.trash/x.png', 'a/.b.png.0123456789ab.part', '../escape.png', '/']);
    expect(report.scanned).toBe(0);
    expect(index.count({})).toBe(0);
  });

  it(`runs a full reconcile past ${TARGETED_RECONCILE_LIMIT} paths`, async () => {
    const { root, runPaths } = await setup();
    await putOurs(root, 1);
    await putOurs(root, 2);
    const many = Array.from({ length: TARGETED_RECONCILE_LIMIT + 1 }, (_, n) => `x/${n}.png`);
    expect(counts(await runPaths(many))).toMatchObject({ scanned: 2, recovered: 2 });
  });
});

describe('createLibraryReconciler', () => {
  it('runs one reconcile at a time, so overlapping requests never import twice', async () => {
    const { root, index, deps } = await setup();
    for (let n = 1; n <= 5; n += 1) await putOurs(root, n);
    await put(root, 'foreign.png', await pixels('png', 40));
    const reconciler = createLibraryReconciler(() => deps);

    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = reconciler.full({ onProgress: () => started() });
    await running;
    const paths = reconciler.paths(['foreign.png']);
    const second = reconciler.full();
    // Waiting requests are shared: a full run covers any path.
    expect(reconciler.full()).toBe(second);
    expect(reconciler.paths(['other.png'])).toBe(second);
    const reports = await Promise.all([first, paths, second]);
    await reconciler.idle();

    expect(reports.reduce((sum, report) => sum + report.recovered + report.imported, 0)).toBe(6);
    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    expect(index.count({})).toBe(6);
  });

  it('merges path requests that arrive while another run is going', async () => {
    const { root, deps } = await setup();
    await put(root, 'a.png', await pixels('png', 41));
    await put(root, 'b.png', await pixels('png', 42));
    const reconciler = createLibraryReconciler(() => deps);
    const running = reconciler.full();
    const one = reconciler.paths(['a.png']);
    const two = reconciler.paths(['b.png']);
    expect(two).toBe(one);
    await running;
    expect((await two).scanned).toBe(2);
  });
});

describe('nearestAspectRatio', () => {
  it('files an image under the known ratio within ~2%, else auto', () => {
    expect(nearestAspectRatio(1024, 1024)).toBe('1:1');
    expect(nearestAspectRatio(1920, 1080)).toBe('16:9');
    expect(nearestAspectRatio(1080, 1920)).toBe('9:16');
    expect(nearestAspectRatio(3024, 4032)).toBe('3:4');
    expect(nearestAspectRatio(1000, 777)).toBe('auto');
    expect(nearestAspectRatio(0, 10)).toBe('auto');
  });
});
