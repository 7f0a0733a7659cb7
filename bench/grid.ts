/**
 * The gallery grid at 100k images in a real Chromium: the web harness over a library index
 * seeded with 100,000 rows, a scripted 10 s scroll from top to bottom and back, sampling how
 * many tiles are mounted and counting long tasks (> 50 ms) on the renderer's main thread.
 * Also the harness process's resident memory with that library open.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { WebSocket } from 'ws';
import { join } from 'node:path';
import { openDatabase } from '@core/db/database';
import { seedImages } from '@core/gallery/seed';
import { launchBrowser } from '../tests/e2e/support';
import { createWsBridge, type SocketFactory } from '../src/renderer/src/ipc/wsBridge';
import { percentile, round, withTempDir, type Figures } from './support';

const IMAGES = 100_000;
const SCROLL_MS = 10_000;

const ROOT = join(import.meta.dirname, '..');

async function startHarnessProcess(dataDir: string): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/harness/cli.ts')], {
    cwd: ROOT,
    env: { ...process.env, BANANA_DATA_DIR: dataDir, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.node.json') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the harness did not start:\n${output}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /Open: (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the harness exited (${code}):\n${output}`)));
  });
  return { url, pid: child.pid ?? 0, stop: () => void child.kill('SIGTERM') };
}

/**
 * IPC round trips as the renderer makes them: the same WebSocket bridge, one small request at a
 * time (`library.status` reads the 100k index's counts, so core does real work each time).
 */
async function ipcRoundTrips(pageUrl: string, count: number): Promise<number[]> {
  const url = new URL(pageUrl);
  // The harness only accepts its own page's origin, as a browser would send it.
  const bridge = createWsBridge(`ws://${url.host}/bridge?token=${url.searchParams.get('token') ?? ''}`, {
    socket: (target) => {
      const socket = new WebSocket(target, { origin: url.origin });
      // The bridge reconnects after the harness stops; those refusals are expected, not fatal.
      socket.on('error', () => undefined);
      return socket as unknown as ReturnType<SocketFactory>;
    },
  });
  const times: number[] = [];
  await bridge.request('app.info', {});
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    const result = (await bridge.request('app.info', {})) as { ok: boolean };
    if (!result.ok) throw new Error('app.info failed over the bridge');
    times.push(performance.now() - started);
  }
  return times;
}

/** Resident memory of a process, from /proc (Linux, where the benchmarks run). */
async function residentKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

export async function benchGrid(): Promise<Figures> {
  return withTempDir(async (dataDir) => {
    const db = openDatabase(join(dataDir, 'library.db'));
    seedImages(db, IMAGES);
    db.close();
    // The harness runs in its own process, as `npm run web` does, so its memory is its own. The
    // seeded rows have no files and the library folder does not exist: the start-up scan
    // treats that as an unplugged drive and changes nothing.
    const harness = await startHarnessProcess(dataDir);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const opened = performance.now();
      await page.goto(harness.url);
      await page.getByTestId('gallery-item').first().waitFor({ timeout: 30_000 });
      // First paint with content: navigation start to the first gallery tile on screen.
      const firstTileMs = performance.now() - opened;
      const firstPaintMs = Number(
        await page.evaluate(
          "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN",
        ),
      );
      const roundTrips = await ipcRoundTrips(harness.url, 500);
      // The file is one function expression; prettier ends it with `;`, which a call cannot follow.
      const script = (await readFile(join(import.meta.dirname, 'grid.page.js'), 'utf8'))
        .trim()
        .replace(/;$/, '');
      const figures = (await page.evaluate(`(${script})(${SCROLL_MS})`)) as {
        maxTiles: number;
        longTasks: number;
        longestTask: number;
      };
      return {
        'grid.mounted_tiles_max': figures.maxTiles,
        'grid.long_tasks': figures.longTasks,
        'grid.longest_task_ms': round(figures.longestTask, 1),
        'startup.harness_first_paint_ms': round(firstPaintMs, 1),
        'startup.harness_first_tile_ms': round(firstTileMs, 1),
        'ipc.roundtrip_p95_ms': round(percentile(roundTrips, 95), 2),
        'rss.harness_100k_mb': round((await residentKb(harness.pid)) / 1024, 1),
      };
    } finally {
      await browser.close();
      harness.stop();
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchGrid());
}
