import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job, JobParams } from '@shared/domain/job';
import type { MarksLayer } from '@shared/domain/marks';
import type { StagedReference } from '@shared/domain/reference';
import type { AnyEvent, RouteName, RouteOutput } from '@shared/ipc/contract';
import type { WireError } from '@shared/ipc/result';
import type { Core } from '../core';
import { createCore, type CoreOptions } from '../createCore';
import { openDatabase } from '../db/database';
import { readMetadataFromFile } from '../gallery/metadata';
import { startKieSimulator } from '../kie/simulator';
import { createLogger } from '../log/logger';
import { memorySecretStore, testPorts } from '../testing/memoryPorts';
import { useTempDirs } from '../testing/tempDir';
import { markedName, ReferenceAnnotations } from './annotate';
import { ReferenceStore } from './staging';
import { sweepStagedReferences } from './sweep';

/**
 * Marks drawn on a reference, through the real core with sharp: the copy carries them at full
 * size, the original stays as it was, the marks can be opened again, and a result made from the
 * copy names the copy, its original and (for a library image) the image as its parent.
 */
const FAST = { waitingMs: 40, queuingMs: 40, generatingMs: 80 };
const CORE: CoreOptions = {
  poll: { initialMs: 40, maxMs: 150, lateCallbackMs: 300, perSecond: 200, burst: 50 },
  probeIntervalMs: 100,
  libraryScanDelayMs: 60_000,
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const GREY = { r: 128, g: 128, b: 128 };
let grey: Buffer;
let greyJpeg: Buffer;
/** 60 × 40 as stored, shown 40 × 60: EXIF orientation 6 turns it a quarter clockwise. */
let rotatedJpeg: Buffer;
beforeAll(async () => {
  const base = sharp({ create: { width: 200, height: 120, channels: 3, background: GREY } });
  grey = await base.clone().png().toBuffer();
  greyJpeg = await base.clone().jpeg({ quality: 95 }).toBuffer();
  rotatedJpeg = await sharp({ create: { width: 60, height: 40, channels: 3, background: GREY } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const boxAndNote = (width = 200, height = 120): MarksLayer => ({
  version: 1,
  width,
  height,
  marks: [
    { kind: 'rect', color: 'red', width: 6, from: [20, 20], to: [100, 80] },
    { kind: 'text', color: 'yellow', size: 20, at: [120, 90], text: 'blue' },
  ],
});

async function pixel(bytes: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at] ?? -1, data[at + 1] ?? -1, data[at + 2] ?? -1];
}

const near = (actual: readonly number[], expected: readonly number[], tolerance = 12): boolean =>
  actual.every((value, index) => Math.abs(value - (expected[index] ?? 0)) <= tolerance);

describe('marks on a reference', () => {
  const tempDir = useTempDirs();

  async function rig() {
    const sim = await startKieSimulator({ timings: FAST, maxImageSide: 256 });
    cleanups.push(() => sim.close());
    const dataDir = await tempDir();
    const core: Core = await createCore(
      testPorts(dataDir, {
        secrets: memorySecretStore({ kieApiKey: sim.apiKey }),
        settings: { kieApiBaseUrl: sim.apiBaseUrl, kieUploadBaseUrl: sim.uploadBaseUrl },
      }),
      CORE,
    );
    cleanups.push(() => core.dispose());
    const latest = new Map<string, Job>();
    core.onEvent((event: AnyEvent) => {
      if (event.name === 'job.updated') latest.set(event.payload.id, event.payload);
    });
    async function attempt<R extends RouteName>(
      route: R,
      input: unknown,
    ): Promise<{ ok: true; value: RouteOutput<R> } | { ok: false; error: WireError }> {
      const result = await core.dispatch(route, input, { transport: 'test' });
      return result.ok ? { ok: true, value: result.value as RouteOutput<R> } : result;
    }
    async function call<R extends RouteName>(route: R, input: unknown): Promise<RouteOutput<R>> {
      const result = await attempt(route, input);
      if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
      return result.value;
    }
    const params = (patch: Partial<JobParams> = {}): JobParams => ({
      model: 'google/nano-banana',
      prompt: 'a cat wearing sunglasses',
      aspectRatio: '1:1',
      outputFormat: 'png',
      resolution: null,
      ...patch,
    });
    return {
      core,
      dataDir,
      attempt,
      call,
      add: (bytes: Buffer, name: string) =>
        call('references.add', { base64: bytes.toString('base64'), name }) as Promise<StagedReference>,
      submit: (patch: Partial<JobParams> = {}) => call('jobs.submit', params(patch)),
      async until(jobId: string, timeoutMs = 10_000): Promise<Job> {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          const job = latest.get(jobId);
          if (job?.state === 'done') return job;
          if (job?.state === 'failed') throw new Error(`job ${jobId} failed: ${job.error?.message}`);
          await new Promise((resolve) => setTimeout(resolve, 15));
        }
        throw new Error(`job ${jobId} did not finish`);
      },
      async staged(id: string): Promise<Buffer> {
        const file = await core.resolveGalleryFile('ref', id);
        if (!file) throw new Error(`reference ${id} is not served`);
        await file.handle.close();
        return readFile(file.filePath);
      },
    };
  }

  it('draws the marks on a copy at full size; the original stays, and the marks open again', async () => {
    const r = await rig();
    const original = await r.add(grey, 'street.png');
    const copy = await r.call('references.annotate', { originalId: original.id, layer: boxAndNote() });

    expect(copy).toMatchObject({
      name: 'street-marked.png',
      format: 'png',
      width: 200,
      height: 120,
      galleryImageId: null,
      annotatedFrom: original.id,
    });
    expect(copy.id).not.toBe(original.id);
    const bytes = await r.staged(copy.id);
    expect(copy.id).toBe(sha256(bytes).slice(0, 32));
    // The box's edge is red, its inside and the rest of the picture as they were.
    expect(await pixel(bytes, 20, 50)).toEqual([0xe5, 0x39, 0x35]);
    expect(await pixel(bytes, 60, 20)).toEqual([0xe5, 0x39, 0x35]);
    expect(await pixel(bytes, 60, 50)).toEqual([128, 128, 128]);
    expect(await pixel(bytes, 190, 10)).toEqual([128, 128, 128]);
    // The note is drawn too (yellow letters outlined in black, somewhere in its box).
    const { data, info } = await sharp(bytes)
      .extract({ left: 118, top: 88, width: 60, height: 26 })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    let yellow = 0;
    for (let at = 0; at < info.width * info.height * 3; at += 3) {
      if (near([data[at] ?? 0, data[at + 1] ?? 0, data[at + 2] ?? 0], [0xfd, 0xd8, 0x35], 40)) yellow += 1;
    }
    expect(yellow).toBeGreaterThan(20);

    // The original's file and record are untouched.
    expect((await r.staged(original.id)).equals(grey)).toBe(true);
    expect(await r.call('references.get', { ids: [original.id] })).toEqual([original]);
    expect(original).not.toHaveProperty('annotatedFrom');

    // The copy opens as its original plus its marks; anything else has none.
    expect(await r.call('references.annotation', { id: copy.id })).toEqual({
      original,
      layer: boxAndNote(),
    });
    expect(await r.call('references.annotation', { id: original.id })).toBeNull();

    // Editing again starts from the original: the new copy's original is still the first file.
    const edited = await r.call('references.annotate', {
      originalId: original.id,
      layer: { ...boxAndNote(), marks: boxAndNote().marks.slice(0, 1) },
    });
    expect(edited.id).not.toBe(copy.id);
    expect(edited.annotatedFrom).toBe(original.id);
    // The same marks again give the same copy.
    const again = await r.call('references.annotate', { originalId: original.id, layer: boxAndNote() });
    expect(again).toEqual(copy);
    // No marks: the original itself, nothing new staged.
    expect(
      await r.call('references.annotate', { originalId: original.id, layer: { ...boxAndNote(), marks: [] } }),
    ).toEqual(original);
  });

  it('keeps a JPEG a JPEG, and draws on a turned photo as it is shown (upright)', async () => {
    const r = await rig();
    const photo = await r.add(greyJpeg, 'photo.jpg');
    const copy = await r.call('references.annotate', { originalId: photo.id, layer: boxAndNote() });
    expect(copy).toMatchObject({ format: 'jpeg', name: 'photo-marked.jpg', width: 200, height: 120 });
    expect(near(await pixel(await r.staged(copy.id), 20, 50), [0xe5, 0x39, 0x35], 30)).toBe(true);

    // Stored 60 × 40 with orientation 6: the editor shows it 40 × 60, and so are the marks.
    const turned = await r.add(rotatedJpeg, 'turned.jpg');
    expect(turned).toMatchObject({ width: 60, height: 40 });
    const upright = await r.call('references.annotate', {
      originalId: turned.id,
      layer: {
        version: 1,
        width: 40,
        height: 60,
        marks: [{ kind: 'rect', color: 'blue', width: 4, from: [5, 40], to: [35, 55] }],
      },
    });
    expect(upright).toMatchObject({ width: 40, height: 60 });
    expect(near(await pixel(await r.staged(upright.id), 5, 48), [0x1e, 0x88, 0xe5], 40)).toBe(true);

    // Marks drawn on a picture of another size are refused, naming the file, not stretched.
    const wrong = await r.attempt('references.annotate', {
      originalId: turned.id,
      layer: { version: 1, width: 60, height: 40, marks: boxAndNote(60, 40).marks.slice(0, 1) },
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'The marks were drawn on a picture of 60 × 40 pixels, but “turned.jpg” is 40 × 60.',
      },
    });
  });

  it('refuses what cannot be saved with a message, and stages nothing', async () => {
    const r = await rig();
    const original = await r.add(grey, 'gone.png');
    const db = openDatabase(join(r.dataDir, 'library.db'));
    cleanups.push(async () => db.close());
    const count = () => (db.prepare('SELECT count(*) AS n FROM references_staged').get() as { n: number }).n;
    expect(count()).toBe(1);

    // A mark far outside the picture, a note with a control character, an unknown colour.
    for (const mark of [
      { kind: 'rect', color: 'red', width: 4, from: [0, 0], to: [5000, 10] },
      { kind: 'text', color: 'red', size: 20, at: [0, 0], text: 'a\u0007b' },
      { kind: 'arrow', color: 'pink', width: 4, from: [0, 0], to: [5, 5] },
    ]) {
      const refused = await r.attempt('references.annotate', {
        originalId: original.id,
        layer: { version: 1, width: 200, height: 120, marks: [mark] },
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }

    // The original's file was removed from the staging folder: named, and nothing is staged.
    await rm(join(r.dataDir, 'staging', `${sha256(grey)}.png`));
    const missing = await r.attempt('references.annotate', { originalId: original.id, layer: boxAndNote() });
    expect(missing).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'The reference image “gone.png” is missing from the staging folder; add it again.',
      },
    });
    const unknown = await r.attempt('references.annotate', {
      originalId: 'a'.repeat(32),
      layer: boxAndNote(),
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(count()).toBe(1);
  });

  it('a result made from a marked library image names the copy, its original, and the image as parent', async () => {
    const r = await rig();
    const seed = await r.submit({ prompt: 'a dog on a beach' });
    const galleryImageId = (await r.until(seed.id)).imageIds[0] ?? '';
    const fromGallery = await r.call('references.fromGallery', { imageId: galleryImageId });
    const libraryBytes = await r.staged(fromGallery.id);
    const { width, height } = await sharp(libraryBytes).metadata();
    const copy = await r.call('references.annotate', {
      originalId: fromGallery.id,
      layer: { ...boxAndNote(width, height), marks: boxAndNote().marks.slice(0, 1) },
    });
    // The chip shows the copy itself, not the library image's thumbnail.
    expect(copy).toMatchObject({ galleryImageId: null, annotatedFrom: fromGallery.id, thumbUrl: copy.url });
    const copyBytes = await r.staged(copy.id);

    const job = await r.submit({ prompt: 'make the boxed part blue', references: [copy.id] });
    const done = await r.until(job.id);
    const detail = await r.call('gallery.detail', { id: done.imageIds[0] ?? '' });
    expect(detail.image.params.references).toEqual([copy.id]);
    expect(detail.parents.map((parent) => parent.id)).toEqual([galleryImageId]);
    const meta = await readMetadataFromFile(detail.filePath);
    expect(meta?.references).toEqual([
      {
        id: copy.id,
        sha256: sha256(copyBytes),
        drawnOn: { id: fromGallery.id, sha256: sha256(libraryBytes) },
      },
    ]);
    expect(meta?.parents).toEqual([galleryImageId]);
  });
});

describe('the staging sweep and marked copies', () => {
  const tempDir = useTempDirs();

  it('keeps an original while a copy of it is staged; both go once neither is used', async () => {
    const dataDir = await tempDir();
    const db = openDatabase(join(dataDir, 'library.db'));
    cleanups.push(async () => db.close());
    const stagingDir = join(dataDir, 'staging');
    const log = createLogger({ sinks: [] });
    let now = new Date('2026-03-01T10:00:00.000Z');
    const references = new ReferenceStore({
      db,
      stagingDir,
      imageUrl: (asset, id) => `test://${asset}/${id}`,
      gallery: {
        source: () => Promise.reject(new Error('no library here')),
        has: () => false,
      },
      now: () => now,
      log,
    });
    const annotations = new ReferenceAnnotations({ db, references, now: () => now, log });
    const original = await references.add(grey, 'street.png');
    const copy = await annotations.annotate(original.id, boxAndNote());

    // A day later: the copy is unused and goes; its original stays, for this sweep.
    now = new Date('2026-03-03T10:00:00.000Z');
    const first = await sweepStagedReferences({ db, stagingDir, now: () => now, log });
    expect(first.unused).toBe(1);
    expect(references.get(copy.id)).toBeNull();
    expect(references.get(original.id)).not.toBeNull();
    expect(annotations.open(copy.id)).toBeNull();

    // With the copy gone, nothing holds the original any more.
    const second = await sweepStagedReferences({ db, stagingDir, now: () => now, log });
    expect(second.unused).toBe(1);
    expect(references.get(original.id)).toBeNull();
  });

  it('names a copy after its original', () => {
    expect(markedName('street.png')).toBe('street-marked.png');
    expect(markedName('street-marked.png')).toBe('street-marked.png');
    expect(markedName('README')).toBe('README-marked');
    expect(markedName('.hidden')).toBe('.hidden-marked');
  });
});
