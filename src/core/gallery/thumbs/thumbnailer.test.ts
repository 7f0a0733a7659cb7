import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { TEMP_FILE_PATTERN } from '../../fs/atomic';
import { useTempDirs } from '../../testing/tempDir';
import { defaultThumbWorkers, Thumbnailer, type ThumbnailerOptions } from './thumbnailer';
import { THUMB_WORKER_SOURCE } from './workerSource';

const ID_A = 'ab'.padEnd(32, '0');
const ID_B = 'cd'.padEnd(32, '1');

/** A 32-hex id like the gallery's, distinct per number. */
function imageId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

describe('Thumbnailer', () => {
  const tempDir = useTempDirs();
  const made: Thumbnailer[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((thumbnailer) => thumbnailer.dispose()));
  });

  async function setup(options: Partial<ThumbnailerOptions> = {}) {
    const root = await tempDir();
    const thumbnailer = new Thumbnailer({
      thumbsDir: join(root, 'thumbs'),
      sourceRoots: () => [root],
      workers: 1,
      ...options,
    });
    made.push(thumbnailer);
    const image = async (name: string, width: number, height: number): Promise<string> => {
      const path = join(root, name);
      await sharp({ create: { width, height, channels: 3, background: '#f5c542' } })
        .png()
        .toFile(path);
      return path;
    };
    return { root, thumbnailer, image };
  }

  async function leftovers(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((entry) => entry.isFile() && TEMP_FILE_PATTERN.test(entry.name)).map((e) => e.name);
  }

  it('shards thumbnails by the first two hex characters and refuses ids that are not file names', async () => {
    const { root, thumbnailer } = await setup();

    expect(thumbnailer.thumbPath(ID_A)).toBe(join(root, 'thumbs', 'ab', `${ID_A}.webp`));
    expect(() => thumbnailer.thumbPath('../etc/passwd')).toThrow(/Not a valid image id/);
    expect(() => thumbnailer.thumbPath('zz')).toThrow(/Not a valid image id/);
    await expect(thumbnailer.ensure('ab/../..', '/nope.png')).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it.each([
    ['landscape', 2048, 1024, 512, 256],
    ['portrait', 600, 1200, 256, 512],
    ['small', 100, 80, 100, 80],
  ])('makes a WebP within 512 px of a %s image', async (name, width, height, outWidth, outHeight) => {
    const { thumbnailer, image } = await setup();
    const source = await image(`${name}.png`, width, height);

    const path = await thumbnailer.ensure(ID_A, source);

    expect(path).toBe(thumbnailer.thumbPath(ID_A));
    const meta = await sharp(path).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
      format: 'webp',
      width: outWidth,
      height: outHeight,
    });
    expect(await thumbnailer.has(ID_A)).toBe(true);
  });

  it('turns the thumbnail upright by the EXIF orientation', async () => {
    const { root, thumbnailer } = await setup();
    const source = join(root, 'rotated.jpg');
    await sharp({ create: { width: 800, height: 400, channels: 3, background: '#336699' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toFile(source);

    const meta = await sharp(await thumbnailer.ensure(ID_A, source)).metadata();

    expect([meta.width, meta.height]).toEqual([256, 512]);
  });

  it('reuses a cached thumbnail without touching the source again', async () => {
    const { thumbnailer, image } = await setup();
    const source = await image('a.png', 300, 200);
    const first = await thumbnailer.ensure(ID_A, source);
    const before = await stat(first);

    const again = await thumbnailer.ensure(ID_A, join(source, 'gone.png'));

    expect(again).toBe(first);
    expect((await stat(again)).mtimeMs).toBe(before.mtimeMs);
  });

  it('shares one job between concurrent requests for the same image', async () => {
    const { root, thumbnailer, image } = await setup();
    const source = await image('a.png', 640, 480);

    const requests = [
      thumbnailer.ensure(ID_A, source),
      thumbnailer.ensure(ID_A, source, { priority: 'high' }),
      thumbnailer.generate(ID_A, source),
    ];

    expect(new Set(requests).size).toBe(1);
    expect(new Set(await Promise.all(requests))).toEqual(new Set([thumbnailer.thumbPath(ID_A)]));
    expect(await readdir(join(root, 'thumbs', 'ab'))).toEqual([`${ID_A}.webp`]);
  });

  it('regenerates on generate() even when a thumbnail exists', async () => {
    const { thumbnailer, image } = await setup();
    await thumbnailer.ensure(ID_A, await image('a.png', 300, 200));

    const path = await thumbnailer.generate(ID_A, await image('b.png', 200, 300));

    const meta = await sharp(path).metadata();
    expect([meta.width, meta.height]).toEqual([200, 300]);
  });

  it('rejects a corrupt file with a message naming it, and the worker takes the next job', async () => {
    const { root, thumbnailer, image } = await setup();
    const corrupt = join(root, 'corrupt.png');
    await writeFile(corrupt, 'this is not an image');
    const good = await image('good.png', 300, 300);

    const failed = thumbnailer.ensure(ID_A, corrupt);
    const next = thumbnailer.ensure(ID_B, good);

    await expect(failed).rejects.toThrow(`Could not make a thumbnail of ${corrupt}: `);
    await expect(failed).rejects.toThrow(/unsupported image format/);
    await expect(next).resolves.toBe(thumbnailer.thumbPath(ID_B));
    expect(await thumbnailer.has(ID_A)).toBe(false);
  });

  it('rejects a truncated PNG, a missing file and an image over the pixel limit', async () => {
    const { root, thumbnailer, image } = await setup({ maxInputPixels: 1000 * 1000 });
    const full = await readFile(await image('full.png', 400, 400));
    const truncated = join(root, 'truncated.png');
    await writeFile(truncated, full.subarray(0, Math.floor(full.length / 2)));
    const huge = await image('huge.png', 1200, 1000);
    const missing = join(root, 'missing.png');

    await expect(thumbnailer.ensure(imageId(1), truncated)).rejects.toThrow(truncated);
    await expect(thumbnailer.ensure(imageId(2), missing)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `Could not make a thumbnail of ${missing}: no such file`,
    });
    await expect(thumbnailer.ensure(imageId(3), huge)).rejects.toThrow(/pixel limit/);
    expect(await leftovers(root)).toEqual([]);
  });

  it('lets on-screen (high) thumbnails overtake waiting background work', async () => {
    const { root, thumbnailer, image } = await setup({ workers: 1 });
    // Random pixels do not compress: a big PNG keeps the worker busy while the others line up.
    const slow = join(root, 'slow.png');
    await sharp(randomBytes(1536 * 1536 * 3), { raw: { width: 1536, height: 1536, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toFile(slow);
    const source = await image('a.png', 256, 256);
    await thumbnailer.ensure(imageId(0), source); // worker up and idle

    const order: string[] = [];
    const track = (name: string, promise: Promise<string>) => promise.then(() => order.push(name));
    await Promise.all([
      track('running', thumbnailer.generate(imageId(1), slow)),
      track('low-1', thumbnailer.generate(imageId(2), source)),
      track('low-2', thumbnailer.generate(imageId(3), source)),
      track('high', thumbnailer.ensure(imageId(4), source, { priority: 'high' })),
    ]);

    expect(order).toEqual(['running', 'high', 'low-1', 'low-2']);
  });

  it('promotes a waiting low job when the same image is asked for at high priority', async () => {
    const { thumbnailer, image } = await setup({ workers: 1 });
    const source = await image('a.png', 1024, 1024);
    await thumbnailer.ensure(imageId(0), source);

    const order: string[] = [];
    const track = (name: string, promise: Promise<string>) => promise.then(() => order.push(name));
    const jobs = [
      track('running', thumbnailer.generate(imageId(1), source)),
      track('low-1', thumbnailer.generate(imageId(2), source)),
      track('low-2', thumbnailer.generate(imageId(3), source)),
    ];
    jobs.push(track('low-2 again, high', thumbnailer.generate(imageId(3), source, { priority: 'high' })));
    await Promise.all(jobs);

    expect(order.slice(0, 3)).toEqual(['running', 'low-2', 'low-2 again, high']);
    expect(order[3]).toBe('low-1');
  });

  it('refuses low-priority work beyond the queue bound but still takes high priority', async () => {
    const { thumbnailer, image } = await setup({ workers: 1, maxQueued: 2 });
    const source = await image('a.png', 256, 256);
    await thumbnailer.ensure(imageId(0), source); // worker up and idle
    const accepted = Promise.all([1, 2, 3].map((n) => thumbnailer.generate(imageId(n), source))); // one runs

    await expect(thumbnailer.generate(imageId(4), source)).rejects.toThrow(/queue is full/);
    await expect(thumbnailer.generate(imageId(5), source, { priority: 'high' })).resolves.toBeTruthy();
    await expect(accepted).resolves.toHaveLength(3);
  });

  it('ensures a whole library in the background and reports what failed', async () => {
    const { root, thumbnailer, image } = await setup({ workers: 2, maxQueued: 3 });
    const source = await image('a.png', 300, 300);
    const images = Array.from({ length: 12 }, (_, n) => ({ imageId: imageId(n), sourcePath: source }));
    images[5] = { imageId: imageId(5), sourcePath: join(root, 'missing.png') };

    const result = await thumbnailer.ensureAll(images);

    expect(result.ensured).toBe(11);
    expect(result.failed).toEqual([
      { imageId: imageId(5), message: expect.stringContaining('no such file') },
    ]);
  });

  it('removes a thumbnail and cancels a job still waiting for it', async () => {
    const { thumbnailer, image } = await setup({ workers: 1 });
    const source = await image('a.png', 512, 512);
    await thumbnailer.ensure(ID_A, source);
    const running = thumbnailer.generate(imageId(1), source);
    const cancelled = expect(thumbnailer.generate(ID_B, source)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await thumbnailer.remove(ID_B);
    await thumbnailer.remove(ID_A);

    expect(await thumbnailer.has(ID_A)).toBe(false);
    await cancelled;
    await expect(running).resolves.toBeTruthy();
    expect(await thumbnailer.has(ID_B)).toBe(false);
  });

  it('rejects pending jobs on dispose, running or waiting, and refuses new ones', async () => {
    const { root, thumbnailer, image } = await setup({ workers: 1 });
    const source = await image('a.png', 2048, 2048);
    await thumbnailer.ensure(imageId(0), await image('small.png', 64, 64)); // worker up and idle
    const pending = [1, 2, 3].map((n) => thumbnailer.generate(imageId(n), source)); // one runs, two wait
    pending.push(thumbnailer.ensure(imageId(4), source)); // still checking the cache

    const settled = Promise.allSettled(pending);
    await thumbnailer.dispose();

    const results = await settled;
    for (const result of results) {
      expect(result).toMatchObject({
        status: 'rejected',
        reason: { message: expect.stringMatching(/shut down/) },
      });
    }
    await expect(thumbnailer.ensure(imageId(5), source)).rejects.toThrow(/shut down/);
    expect(await leftovers(root)).toEqual([]);
  });

  it('replaces a worker that crashes, failing only the job it was running', async () => {
    // Exits the thread outright when asked for a file named crash.png.
    const crashing = `
      require('node:worker_threads').parentPort.on('message', (task) => {
        if (task.type === 'make' && task.source.endsWith('crash.png')) process.exit(7);
      });
      ${THUMB_WORKER_SOURCE}`;
    const { root, thumbnailer, image } = await setup({ workers: 1, workerSource: crashing });
    const good = await image('good.png', 300, 300);
    const crash = await image('crash.png', 300, 300);

    const results = await Promise.allSettled([
      thumbnailer.ensure(imageId(1), good),
      thumbnailer.ensure(imageId(2), crash),
      thumbnailer.ensure(imageId(3), good),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({
      reason: {
        message: `Could not make a thumbnail of ${crash}: the thumbnail worker stopped (exit code 7)`,
      },
    });
    expect(await leftovers(root)).toEqual([]);
  });

  it('fails cleanly when the worker cannot start, and tries again on the next request', async () => {
    const { thumbnailer, image } = await setup({ workerSource: `throw new Error('no sharp here');` });
    const source = await image('a.png', 100, 100);

    const results = await Promise.allSettled([
      thumbnailer.ensure(imageId(1), source),
      thumbnailer.ensure(imageId(2), source),
    ]);
    await expect(thumbnailer.ensure(imageId(3), source)).rejects.toThrow(/could not start \(no sharp here\)/);

    for (const result of results) {
      expect(result).toMatchObject({
        status: 'rejected',
        reason: { message: expect.stringMatching(/could not start/) },
      });
    }
  });

  it('leaves no temp files behind', async () => {
    const { root, thumbnailer, image } = await setup({ workers: 2 });
    const source = await image('a.png', 700, 500);
    const corrupt = join(root, 'corrupt.png');
    await writeFile(corrupt, Buffer.alloc(64, 1));

    await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) => thumbnailer.ensure(imageId(n), n % 3 === 0 ? corrupt : source)),
    );

    expect(await leftovers(root)).toEqual([]);
    const shards = await readdir(join(root, 'thumbs'), { recursive: true });
    expect(shards.filter((name) => name.endsWith('.webp'))).toHaveLength(6);
  });

  it('uses every core on small machines and leaves one free on bigger ones', () => {
    expect([1, 2, 3, 4, 8].map((cores) => defaultThumbWorkers(cores))).toEqual([1, 2, 2, 3, 7]);
  });
});
