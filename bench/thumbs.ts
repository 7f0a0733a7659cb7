import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { Thumbnailer, type ThumbnailerOptions } from '../src/core/gallery/thumbs/thumbnailer';

export interface ThumbBenchOptions {
  /** How many 2048² PNGs to thumbnail. Default 60. */
  count?: number;
  /** Overrides for tuning; the default is what the app runs with. */
  thumbnailer?: Omit<ThumbnailerOptions, 'thumbsDir' | 'sourceRoots'>;
}

export interface ThumbBenchResult {
  'thumbs.per_second': number;
  /** p99 of the main thread's event-loop delay while generating, as monitorEventLoopDelay reports it (includes its 10 ms sampling interval). */
  'thumbs.loop_delay_p99_ms': number;
}

const SIDE = 2048;

/**
 * Thumbnails `count` distinct 2048² PNGs (made beforehand, not timed) with the app's Thumbnailer
 * and reports throughput and the main thread's p99 event-loop delay meanwhile.
 */
export async function benchThumbnails(opts: ThumbBenchOptions = {}): Promise<ThumbBenchResult> {
  const count = opts.count ?? 60;
  const dir = await mkdtemp(join(tmpdir(), 'banana-bench-thumbs-'));
  const thumbnailer = new Thumbnailer({
    ...opts.thumbnailer,
    thumbsDir: join(dir, 'thumbs'),
    sourceRoots: () => [dir],
  });
  try {
    const sources = await makePhotoLikePngs(dir, count);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    await Promise.all(
      sources.map((source, n) => thumbnailer.ensure(n.toString(16).padStart(32, '0'), source)),
    );
    const seconds = (performance.now() - started) / 1000;
    delay.disable();
    return {
      'thumbs.per_second': round(count / seconds),
      'thumbs.loop_delay_p99_ms': round(delay.percentile(99) / 1e6),
    };
  } finally {
    await thumbnailer.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Smooth colour fields plus fine grain, PNG with adaptive filtering: about 6–7 MB each, like a
 * 2K image from the model. Each is distinct (random field, shifted grain), so no cache helps.
 */
async function makePhotoLikePngs(dir: string, count: number): Promise<string[]> {
  const grain = Buffer.alloc(SIDE * SIDE * 3 + 8192);
  for (let i = 0; i < grain.length; i++) grain[i] = Math.floor(Math.random() * 8);
  const paths = Array.from({ length: count }, (_, n) => join(dir, `source-${n}.png`));
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let n = next++; n < count; n = next++) {
      const field = await sharp({
        create: {
          width: 48,
          height: 48,
          channels: 3,
          background: '#808080',
          noise: { type: 'gaussian', mean: 128, sigma: 70 },
        },
      })
        .png()
        .toBuffer();
      const pixels = await sharp(field).resize(SIDE, SIDE, { kernel: 'cubic' }).raw().toBuffer();
      const offset = (n * 7919) % 8192;
      for (let i = 0; i < pixels.length; i++)
        pixels[i] = Math.min(255, (pixels[i] ?? 0) + (grain[i + offset] ?? 0));
      await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } })
        .png({ adaptiveFiltering: true })
        .toFile(paths[n] ?? '');
    }
  };
  await Promise.all([lane(), lane()]);
  return paths;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const count = Number(process.env.THUMBS_BENCH_COUNT ?? 60);
  const workers = process.env.THUMBS_BENCH_WORKERS ? Number(process.env.THUMBS_BENCH_WORKERS) : undefined;
  const effort = process.env.THUMBS_BENCH_EFFORT ? Number(process.env.THUMBS_BENCH_EFFORT) : undefined;
  benchThumbnails({ count, thumbnailer: { workers, effort } }).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
