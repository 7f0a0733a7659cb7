import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_MAX_BYTES } from '@shared/domain/reference';
import { AppError } from '@shared/ipc/result';
import { openDatabase, type Database } from '../db/database';
import { createLogger } from '../log/logger';
import { useTempDirs } from '../testing/tempDir';
import { checkReferenceImage, ReferenceStore, type ReferenceGallery } from './staging';

const log = createLogger({ sinks: [] });
/** The smallest GIF there is: a real image, just not one KIE takes. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

let png: Buffer;
let jpeg: Buffer;
let webp: Buffer;
let bigPng: Buffer;
beforeAll(async () => {
  const base = sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } });
  png = await base.clone().png().toBuffer();
  jpeg = await base.clone().jpeg().toBuffer();
  webp = await base.clone().webp().toBuffer();
  // Noise, so the PNG's image data is long enough to cut in the middle.
  bigPng = await sharp(Buffer.from(Array.from({ length: 200 * 200 * 3 }, (_, i) => (i * 7919) % 251)), {
    raw: { width: 200, height: 200, channels: 3 },
  })
    .png()
    .toBuffer();
});

/** A real animated WebP of three 48 × 32 frames. */
async function animatedWebp(): Promise<Buffer> {
  const frames = await Promise.all(
    ['#ff0000', '#00ff00', '#0000ff'].map((background) =>
      sharp({ create: { width: 48, height: 32, channels: 3, background } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .webp({ loop: 0, delay: [100, 100, 100] })
    .toBuffer();
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('checkReferenceImage', () => {
  it.each([
    ['PNG', () => png, 'png'],
    ['JPEG', () => jpeg, 'jpeg'],
    ['WebP', () => webp, 'webp'],
  ])('accepts a %s, by content, whatever its name', async (_kind, bytes, format) => {
    expect(await checkReferenceImage(bytes(), 'photo.txt')).toEqual({
      format,
      width: 64,
      height: 48,
      frames: 1,
    });
  });

  it('takes a 12,000 px wide image (KIE scales it down) and an animated WebP, counting its frames', async () => {
    const wide = await sharp({ create: { width: 12_000, height: 600, channels: 3, background: '#88aa22' } })
      .png()
      .toBuffer();
    expect(await checkReferenceImage(wide, 'panorama.png')).toEqual({
      format: 'png',
      width: 12_000,
      height: 600,
      frames: 1,
    });
    expect(await checkReferenceImage(await animatedWebp(), 'moving.webp')).toEqual({
      format: 'webp',
      width: 48,
      height: 32,
      frames: 3,
    });
  });

  const cases: [string, () => Buffer, string, RegExp][] = [
    [
      'a text file renamed .png',
      () => Buffer.from('just some notes\n'),
      'notes.png',
      /“notes\.png” is not a PNG, JPEG or WebP/,
    ],
    ['a GIF', () => GIF, 'anim.gif', /“anim\.gif” is not a PNG, JPEG or WebP/],
    ['an empty file', () => Buffer.alloc(0), 'empty.png', /“empty\.png” is empty/],
    [
      'a PNG cut off in its image data',
      () => bigPng.subarray(0, Math.floor(bigPng.length * 0.6)),
      'cut.png',
      /“cut\.png” looks like a PNG image but is damaged/,
    ],
    [
      'a PNG signature followed by junk',
      () => Buffer.concat([png.subarray(0, 16), Buffer.alloc(200, 0x5a)]),
      'junk.png',
      /“junk\.png” looks like a PNG image but is damaged/,
    ],
    [
      'a file over the 30 MB that Pro and Nano Banana 2 take, the most any model takes',
      () => Buffer.concat([png, Buffer.alloc(REFERENCE_MAX_BYTES + 1 - png.length)]),
      'huge.png',
      /“huge\.png” is 30\.1 MB; reference images can be at most 30 MB/,
    ],
    ['a nameless text paste', () => Buffer.from('x'), '', /^The file is not a PNG/],
  ];

  it.each(cases)('refuses %s with VALIDATION naming the file', async (_name, bytes, name, message) => {
    const error = await refusal(checkReferenceImage(bytes(), name));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(message);
    // The UI explains it in the user's language from this, not from the English message.
    expect(['empty', 'size', 'type', 'damaged', 'pixels']).toContain(error.details?.['problem']);
  });

  it('accepts exactly 30 MB, more than the edit model takes (that is checked with the job)', async () => {
    expect(REFERENCE_MAX_BYTES).toBe(30 * 1024 * 1024);
    // A valid PNG padded with trailing bytes after IEND, which decoders ignore.
    const padded = Buffer.concat([png, Buffer.alloc(REFERENCE_MAX_BYTES - png.length)]);
    await expect(checkReferenceImage(padded, 'max.png')).resolves.toMatchObject({ format: 'png' });
  });
});

describe('ReferenceStore', () => {
  const tempDir = useTempDirs();
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });

  async function setup(dataDir?: string, gallery?: Partial<ReferenceGallery>) {
    const dir = dataDir ?? (await tempDir());
    const db = openDatabase(join(dir, 'library.db'));
    open.push(db);
    const store = new ReferenceStore({
      db,
      stagingDir: join(dir, 'staging'),
      imageUrl: (asset, id) => `test://${asset}/${id}`,
      gallery: {
        source: async () => {
          throw new AppError('NOT_FOUND', 'That image is not in the library.');
        },
        has: () => false,
        ...gallery,
      },
      now: () => new Date('2026-11-25T04:00:00.000Z'),
      log,
    });
    return { dir, db, store };
  }

  it('stages a file as <sha256>.<ext>, and the same bytes again as the same file and row', async () => {
    const { dir, db, store } = await setup();
    const first = await store.add(png, 'cat.png');
    const again = await store.add(Buffer.from(png), 'cat copy.png');
    const concurrent = await Promise.all([store.add(png, 'a.png'), store.add(png, 'b.png')]);
    expect(first.id).toMatch(/^[0-9a-f]{32}$/);
    expect(first.sha256.startsWith(first.id)).toBe(true);
    expect(new Set([again.id, ...concurrent.map((record) => record.id)])).toEqual(new Set([first.id]));
    expect(await readdir(join(dir, 'staging'))).toEqual([`${first.sha256}.png`]);
    expect((await readFile(join(dir, 'staging', `${first.sha256}.png`))).equals(png)).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM references_staged').get()).toEqual({ n: 1 });
    expect(store.toWire(first)).toEqual({
      id: first.id,
      name: 'cat.png',
      format: 'png',
      width: 64,
      height: 48,
      bytes: png.length,
      frames: 1,
      url: `test://ref/${first.id}`,
      thumbUrl: `test://ref/${first.id}`,
      galleryImageId: null,
    });
  });

  it('tells the tray how many frames a file has, also for one staged before they were counted', async () => {
    const { db, store } = await setup();
    const moving = await store.add(await animatedWebp(), 'moving.webp');
    expect(store.toWire(moving)).toMatchObject({ format: 'webp', frames: 3 });
    // A row from an older build has no count: the same bytes added again fill it in.
    db.prepare('UPDATE references_staged SET frames = NULL WHERE id = ?').run(moving.id);
    expect(store.get(moving.id)?.frames).toBeNull();
    expect(store.toWire(store.get(moving.id) as NonNullable<ReturnType<typeof store.get>>).frames).toBe(1);
    const again = await store.add(await animatedWebp(), 'moving again.webp');
    expect(again.frames).toBe(3);
    expect(store.get(moving.id)?.frames).toBe(3);
  });

  it('keeps different files apart, JPEG staged as .jpg', async () => {
    const { dir, store } = await setup();
    const a = await store.add(png, 'a.png');
    const b = await store.add(jpeg, 'b.jpeg');
    expect(a.id).not.toBe(b.id);
    expect((await readdir(join(dir, 'staging'))).sort()).toEqual(
      [`${a.sha256}.png`, `${b.sha256}.jpg`].sort(),
    );
  });

  it('refuses a bad file before anything is written', async () => {
    const { dir, db, store } = await setup();
    const error = await refusal(store.add(Buffer.from('plain text'), 'readme.png'));
    expect(error.code).toBe('VALIDATION');
    expect(await readdir(join(dir, 'staging')).catch(() => [])).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM references_staged').get()).toEqual({ n: 0 });
  });

  it('survives a restart: the index is in the database', async () => {
    const { dir, db, store } = await setup();
    const staged = await store.add(webp, 'w.webp');
    store.recordUpload(staged.id, {
      url: 'https://kie.example/f.webp',
      target: 'https://kie',
      at: new Date(0),
    });
    db.close();
    open.splice(open.indexOf(db), 1);
    const reopened = await setup(dir);
    expect(reopened.store.get(staged.id)).toMatchObject({
      id: staged.id,
      format: 'webp',
      name: 'w.webp',
      kieUrl: 'https://kie.example/f.webp',
      kieUrlUploadedAt: '1970-01-01T00:00:00.000Z',
      kieUploadTarget: 'https://kie',
    });
    const resolved = await reopened.store.resolveFile(staged.id);
    expect(resolved).toMatchObject({
      filePath: join(dir, 'staging', `${staged.sha256}.webp`),
      mimeType: 'image/webp',
      size: webp.length,
    });
    await resolved?.handle.close();
  });

  it('stages a gallery image by id, remembering it for lineage and showing its thumbnail', async () => {
    const dir = await tempDir();
    const libraryFile = join(dir, 'library-image.png');
    await writeFile(libraryFile, png);
    const imageId = 'c'.repeat(32);
    const { store } = await setup(dir, {
      source: async (id) => {
        if (id !== imageId) throw new AppError('NOT_FOUND', 'That image is not in the library.');
        return { filePath: libraryFile, fileName: '2026-11-25_cat_cccccccc.png' };
      },
      has: (id) => id === imageId,
    });
    const staged = await store.fromGallery(imageId);
    expect(staged).toMatchObject({ galleryImageId: imageId, name: '2026-11-25_cat_cccccccc.png' });
    expect(store.toWire(staged).thumbUrl).toBe(`test://thumb/${imageId}`);
    // The same bytes dropped later keep the gallery origin.
    expect((await store.add(png, 'dropped.png')).galleryImageId).toBe(imageId);
    expect(store.lineage([staged.id, staged.id])).toEqual({
      references: [
        { id: staged.id, sha256: staged.sha256 },
        { id: staged.id, sha256: staged.sha256 },
      ],
      parents: [imageId],
    });
    expect((await refusal(store.fromGallery('d'.repeat(32)))).code).toBe('NOT_FOUND');
  });

  it('restores a staged file removed from disk when the same bytes come again', async () => {
    const { store } = await setup();
    const staged = await store.add(png, 'cat.png');
    await rm(store.pathOf(staged));
    const missing = await refusal(store.read(staged.id));
    expect(missing.code).toBe('VALIDATION');
    expect(missing.message).toContain('“cat.png” is missing');
    await store.add(png, 'cat.png');
    expect((await store.read(staged.id)).bytes.equals(png)).toBe(true);
  });

  describe('checkForModel', () => {
    it.each([
      ['google/nano-banana-edit', 10, null],
      [
        'google/nano-banana-edit',
        11,
        /google\/nano-banana-edit takes at most 10 reference images; 11 are attached/,
      ],
      ['nano-banana-pro', 8, null],
      ['nano-banana-pro', 9, /nano-banana-pro takes at most 8 reference images; 9 are attached/],
      ['nano-banana-2', 14, null],
      ['google/nano-banana', 1, /google\/nano-banana does not take reference images/],
    ] as const)('%s with %i references', async (model, count, message) => {
      const { store } = await setup();
      const staged = await store.add(png, 'cat.png');
      const ids = Array<string>(count).fill(staged.id);
      if (message === null) {
        expect(() => store.checkForModel(ids, model)).not.toThrow();
      } else {
        expect(() => store.checkForModel(ids, model)).toThrow(message);
      }
    });

    it('refuses an id that is not staged', async () => {
      const { store } = await setup();
      expect(() => store.checkForModel(['e'.repeat(32)], 'nano-banana-2')).toThrow(/no longer staged/);
    });

    it('checks each file against the model’s own size limit, naming the file, the model and the limit', async () => {
      const { store } = await setup();
      const MB = 1024 * 1024;
      // Valid PNGs padded after IEND (decoders ignore the tail): 10 MB exactly, and 29 MB.
      const pad = (size: number) => Buffer.concat([png, Buffer.alloc(size - png.length)]);
      const ten = await store.add(pad(10 * MB), 'ten.png');
      const big = await store.add(pad(29 * MB), 'big.png');
      expect(() => store.checkForModel([ten.id], 'google/nano-banana-edit')).not.toThrow();
      for (const model of ['nano-banana-pro', 'nano-banana-2'] as const) {
        expect(() => store.checkForModel([ten.id, big.id], model)).not.toThrow();
      }
      const error = (() => {
        try {
          store.checkForModel([ten.id, big.id], 'google/nano-banana-edit');
        } catch (caught) {
          return caught;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toBe(
        '“big.png” is 29 MB; google/nano-banana-edit takes reference images up to 10 MB.',
      );
      expect((error as AppError).details).toMatchObject({
        problem: 'size',
        referenceId: big.id,
        bytes: 29 * MB,
        limit: 10 * MB,
        model: 'google/nano-banana-edit',
      });
    });
  });
});
