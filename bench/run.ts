/**
 * `npm run bench [group…]`: runs the benchmark groups, prints one table (figure, value, target)
 * and writes every figure to bench-results/latest.json as flat numeric keys. Exits non-zero when
 * a figure misses its target.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { benchCallbackAck, benchConcurrent100, benchDelivery } from './delivery';
import { benchDraw } from './draw';
import { benchGallery } from './gallery';
import { benchGrid } from './grid';
import { benchKill } from './kill';
import { benchRebuild } from './rebuild';
import { benchThumbnails } from './thumbs';
import type { Figures } from './support';

type Target = { max: number } | { min: number } | { equals: number };

const TARGETS: Record<string, Target> = {
  'delivery.webhook_p50_ms': { max: 300 },
  'delivery.webhook_vs_raw_ratio': { max: 1.2 },
  'callback.ack_p95_ms': { max: 25 },
  'jobs.concurrent100_delivered': { equals: 100 },
  'jobs.concurrent100_duplicates': { equals: 0 },
  'jobs.concurrent100_wall_ratio': { max: 1.2 },
  'kill.lost': { equals: 0 },
  'kill.partial': { equals: 0 },
  'kill.duplicates': { equals: 0 },
  'kill.paid_unrecovered': { equals: 0 },
  'gallery.open_100k_ms': { max: 300 },
  'gallery.page_p95_ms': { max: 10 },
  'gallery.page_sorted_p95_ms': { max: 10 },
  'gallery.search_p95_ms': { max: 50 },
  'thumbs.per_second': { min: 15 },
  'thumbs.loop_delay_p99_ms': { max: 50 },
  'gallery.rebuild_10k_s': { max: 30 },
  'grid.mounted_tiles_max': { max: 300 },
  'grid.long_tasks': { equals: 0 },
  'rss.harness_100k_mb': { max: 300 },
  'startup.harness_first_paint_ms': { max: 1_000 },
  'ipc.roundtrip_p95_ms': { max: 10 },
  'editor.draw_frame_p95_ms': { max: 16 },
  'editor.long_tasks_over_50ms': { equals: 0 },
  'editor.draw_frame_cpu_p95_ms': { max: 16 },
  'editor.long_tasks_cpu_over_50ms': { equals: 0 },
};

const GROUPS: Record<string, () => Promise<Figures>> = {
  delivery: benchDelivery,
  callback: benchCallbackAck,
  concurrent: benchConcurrent100,
  kill: () => benchKill(),
  gallery: benchGallery,
  thumbs: async () => ({ ...(await benchThumbnails()) }),
  grid: benchGrid,
  rebuild: () => benchRebuild(),
  draw: benchDraw,
};

function describeTarget(target: Target | undefined): string {
  if (!target) return '';
  if ('max' in target) return `≤ ${target.max}`;
  if ('min' in target) return `≥ ${target.min}`;
  return `= ${target.equals}`;
}

function meets(value: number, target: Target | undefined): boolean {
  if (!target) return true;
  if ('max' in target) return value <= target.max;
  if ('min' in target) return value >= target.min;
  return value === target.equals;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in GROUPS));
  if (unknown.length > 0) {
    console.error(`Unknown group(s): ${unknown.join(', ')}. Groups: ${Object.keys(GROUPS).join(', ')}`);
    process.exit(2);
  }
  const figures: Figures = {};
  for (const [name, run] of Object.entries(GROUPS)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const started = Date.now();
    process.stderr.write(`running ${name}… `);
    Object.assign(figures, await run());
    process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }

  const rows = Object.entries(figures).map(([key, value]) => {
    const target = TARGETS[key];
    return { key, value: String(value), target: describeTarget(target), ok: meets(value, target) };
  });
  const width = Math.max(...rows.map((row) => row.key.length), 6);
  console.log(`\n${'figure'.padEnd(width)}  ${'value'.padStart(10)}  ${'target'.padEnd(8)}  result`);
  for (const row of rows) {
    const result = row.target ? (row.ok ? 'ok' : 'MISSED') : '';
    console.log(`${row.key.padEnd(width)}  ${row.value.padStart(10)}  ${row.target.padEnd(8)}  ${result}`);
  }

  // A partial run updates its own keys and keeps the rest of the last full run.
  const outDir = resolve(import.meta.dirname, '..', 'bench-results');
  const outFile = join(outDir, 'latest.json');
  await mkdir(outDir, { recursive: true });
  const previous = await readFile(outFile, 'utf8')
    .then((text) => JSON.parse(text) as Figures)
    .catch(() => ({}));
  await writeFile(outFile, `${JSON.stringify({ ...previous, ...figures }, null, 2)}\n`);
  console.log(`\nwritten to ${outFile}`);
  const missed = rows.filter((row) => !row.ok);
  if (missed.length > 0) {
    console.log(`${missed.length} figure(s) missed their target: ${missed.map((row) => row.key).join(', ')}`);
    process.exitCode = 1;
  }
}

main().then(
  // Benchmarks leave sockets and workers behind on purpose (nothing is worth waiting for).
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
