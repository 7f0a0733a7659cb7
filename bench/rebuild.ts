/**
 * Rebuilding the gallery index from the files alone (lost or corrupt library.db): 10,000 real
 * 64×64 PNGs with distinct embedded metadata in YYYY/MM folders, reconciled into an empty
 * database with thumbnails off; then a second run over the same files, which must settle them
 * all from their stat. The files were just written, so they are read from the page cache: a
 * cold disk adds its read time. Also: the longest event-loop stall during the rebuild. Run alone with
 * `npx tsx --tsconfig tsconfig.node.json bench/rebuild.ts` (REBUILD_BENCH_COUNT to change the count).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { openDatabase } from '../src/core/db/database';
import { ImageIndex } from '../src/core/gallery/index';
import { resultImageId } from '../src/core/gallery/library';
import { embedMetadata, type EmbeddedMetadata } from '../src/core/gallery/metadata';
import { libraryRelativePath } from '../src/core/gallery/naming';
import { reconcileLibrary } from '../src/core/gallery/reconcile';
import { createLogger } from '../src/core/log/logger';
import { round, withTempDir, type Figures } from './support';

const IMAGES = 10_000;
/** Distinct pixel data; each file still differs from every other by its metadata. */
const DISTINCT_PIXELS = 300;
const WRITE_CONCURRENCY = 32;
const SUBJECTS = ['banana cat', 'red fox', 'old lighthouse', '一只戴着墨镜的猫', 'koi fish', 'tiny robot'];

export async function benchRebuild(count = IMAGES): Promise<Figures> {
  return withTempDir(async (dir) => {
    const root = join(dir, 'Banana Studio');
    const writeStarted = performance.now();
    await writeLibrary(root, count);
    const writeSeconds = (performance.now() - writeStarted) / 1000;

    const db = openDatabase(join(dir, 'data', 'library.db'));
    try {
      const deps = { index: new ImageIndex(db), db, libraryRoot: root, log: createLogger({ sinks: [] }) };
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const started = performance.now();
      const rebuild = await reconcileLibrary(deps);
      const rebuildSeconds = (performance.now() - started) / 1000;
      loop.disable();
      if (rebuild.recovered !== count || rebuild.errors.length > 0) {
        throw new Error(
          `rebuild recovered ${rebuild.recovered} of ${count} (${rebuild.errors.length} errors, first: ${rebuild.errors[0]?.message})`,
        );
      }
      const rescanStarted = performance.now();
      const rescan = await reconcileLibrary(deps);
      const rescanSeconds = (performance.now() - rescanStarted) / 1000;
      if (rescan.unchanged !== count)
        throw new Error(`rescan found ${rescan.unchanged} of ${count} unchanged`);
      const k = Math.round(count / 1000);
      return {
        [`gallery.rebuild_${k}k_s`]: round(rebuildSeconds),
        [`gallery.rebuild_${k}k_per_s`]: Math.round(count / rebuildSeconds),
        // The longest the main process could not answer anything (IPC, callbacks) meanwhile.
        [`gallery.rebuild_${k}k_loop_max_ms`]: Math.round(loop.max / 1e6),
        [`gallery.rescan_unchanged_${k}k_s`]: round(rescanSeconds),
        [`gallery.rebuild_${k}k_setup_s`]: round(writeSeconds, 1),
      };
    } finally {
      db.close();
    }
  });
}

async function writeLibrary(root: string, count: number): Promise<void> {
  const pixels = await Promise.all(
    Array.from({ length: DISTINCT_PIXELS }, (_, n) =>
      sharp({
        create: {
          width: 64,
          height: 64,
          channels: 3,
          background: { r: (n * 37) % 256, g: (n * 91) % 256, b: (n * 53) % 256 },
        },
      })
        .png()
        .toBuffer(),
    ),
  );
  const start = Date.UTC(2024, 0, 1);
  const span = Date.UTC(2026, 0, 1) - start;
  const files = Array.from({ length: count }, (_, n) => {
    const kieTaskId = `bench-task-${Math.floor(n / 2)}`;
    const resultIndex = n % 2;
    const createdAt = new Date(start + Math.floor((n / count) * span));
    const meta: EmbeddedMetadata = {
      app: 'banana-studio',
      version: 1,
      imageId: resultImageId({ kieTaskId, resultIndex }),
      prompt: `${SUBJECTS[n % SUBJECTS.length]} in the style of print ${n}`,
      model: n % 3 === 0 ? 'nano-banana-pro' : 'google/nano-banana',
      params: { aspectRatio: '1:1', outputFormat: 'png', resolution: n % 3 === 0 ? '2K' : null },
      kieTaskId,
      resultIndex,
      references: [],
      parents: [],
      createdAt: createdAt.toISOString(),
      appVersion: '0.1.0',
      demo: false,
    };
    return { meta, relPath: libraryRelativePath(createdAt, meta.prompt, meta.imageId, 'png') };
  });
  const folders = new Set(files.map((file) => dirname(join(root, file.relPath))));
  await Promise.all([...folders].map((folder) => mkdir(folder, { recursive: true })));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const n = next;
      next += 1;
      const file = files[n];
      const base = pixels[n % DISTINCT_PIXELS];
      if (!file || !base) continue;
      await writeFile(join(root, file.relPath), embedMetadata(base, file.meta));
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, lane));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const count = Number(process.env.REBUILD_BENCH_COUNT ?? IMAGES);
  benchRebuild(count).then(
    (figures) => {
      for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(34)} ${value}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
