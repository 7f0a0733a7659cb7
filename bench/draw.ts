/**
 * Drawing on a 4096 × 4096 reference in the real annotation editor, in Chromium: the web harness
 * with the built renderer, a 4096² picture staged through the tray's file picker, and strokes
 * driven through real mouse input (brush scribbles, boxes, arrows). Measured on the renderer's
 * main thread, in the page (draw.page.js): how long each frame that drew something took (input,
 * the editor's drawing, style, layout, paint) and the long tasks (> 50 ms).
 *
 * Those are wall-clock times, so a busy machine inflates them: the same run is also traced, and
 * the thread (CPU) time of each frame and task says how much of it was the editor's own work.
 */
import { loadavg } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { chromiumPath, startStack } from '../tests/e2e/support';
import { percentile, round, type Figures } from './support';

const SIDE = 4096;
/** Mouse moves per brush stroke (a quarter of that per box or arrow), and rounds of strokes. */
const MOVES = 240;
const ROUNDS = 6;

/** A photo-like 4096² picture: smooth noise, so it is a realistic file, not a flat colour. */
async function picture(): Promise<Buffer> {
  const small = await sharp({
    create: {
      width: 128,
      height: 128,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .png()
    .toBuffer();
  return sharp(small).resize(SIDE, SIDE, { kernel: 'cubic' }).jpeg({ quality: 90 }).toBuffer();
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** From a Chromium trace: the page's main thread's frames that committed, and its tasks. */
function mainThreadTimes(trace: Buffer): {
  frames: { wall: number; cpu: number }[];
  tasks: { wall: number; cpu: number }[];
} {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const main = events.find(
    (event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain',
  );
  if (!main) throw new Error('the trace has no renderer main thread');
  const on = events.filter((event) => event.pid === main.pid && event.tid === main.tid && event.ph === 'X');
  const commits = on
    .filter((event) => event.name === 'ProxyMain::BeginMainFrame::commit')
    .map((event) => event.ts);
  const frames = on
    .filter((event) => event.name === 'ProxyMain::BeginMainFrame')
    .filter((event) => commits.some((ts) => ts >= event.ts && ts <= event.ts + (event.dur ?? 0)))
    .map((event) => ({ wall: (event.dur ?? 0) / 1000, cpu: (event.tdur ?? 0) / 1000 }));
  const tasks = on
    .filter((event) => event.name === 'ThreadControllerImpl::RunTask')
    .map((event) => ({ wall: (event.dur ?? 0) / 1000, cpu: (event.tdur ?? 0) / 1000 }));
  return { frames, tasks };
}

export async function benchDraw(): Promise<Figures> {
  const stack = await startStack({ initialSettings: { demoMode: true } });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-dev-shm-usage',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(stack.harness.url);
    await page.getByTestId('app-root').waitFor();
    await page.getByTestId('reference-picker').setInputFiles({
      name: 'big.jpg',
      mimeType: 'image/jpeg',
      buffer: await picture(),
    });
    await page.getByTestId('reference-chip').waitFor({ timeout: 60_000 });
    await page.getByTestId('reference-annotate').click();
    await page.locator('[data-testid="annotate-stage"][data-ready="true"]').waitFor({ timeout: 60_000 });
    const width = Number(await page.getByTestId('annotate-stage').getAttribute('data-picture-width'));
    if (width !== SIDE) throw new Error(`the editor shows a ${width}-pixel picture, not ${SIDE}`);
    const box = await page.getByTestId('annotate-canvas').boundingBox();
    if (!box) throw new Error('the drawing area is not shown');

    const script = (await readFile(join(import.meta.dirname, 'draw.page.js'), 'utf8'))
      .trim()
      .replace(/;$/, '');
    await browser.startTracing(page, { categories: ['toplevel', 'benchmark'] });
    await page.evaluate(`(${script})()`);
    const load = loadavg()[0] ?? Number.NaN;
    const at = (fx: number, fy: number): [number, number] => [
      box.x + box.width * fx,
      box.y + box.height * fy,
    ];
    for (let round = 0; round < ROUNDS; round += 1) {
      // A long scribble with the brush: the stroke grows every frame.
      await page.keyboard.press('b');
      await page.mouse.move(...at(0.1, 0.1 + round * 0.13));
      await page.mouse.down();
      for (let move = 1; move <= MOVES; move += 1) {
        const t = move / MOVES;
        await page.mouse.move(...at(0.1 + 0.8 * t, 0.1 + round * 0.13 + 0.05 * Math.sin(t * 40)));
      }
      await page.mouse.up();
      // A box and an arrow: the shape follows the pointer across half the picture.
      for (const tool of ['r', 'a']) {
        await page.keyboard.press(tool);
        await page.mouse.move(...at(0.2, 0.2));
        await page.mouse.down();
        for (let move = 1; move <= MOVES / 4; move += 1) {
          const t = move / (MOVES / 4);
          await page.mouse.move(...at(0.2 + 0.6 * t, 0.2 + 0.5 * t));
        }
        await page.mouse.up();
      }
    }
    const measured = (await page.evaluate('window.__drawBench.stop()')) as {
      work: number[];
      intervals: number[];
      longTasks: number[];
    };
    const traced = mainThreadTimes(await browser.stopTracing());
    const marks = Number(await page.getByTestId('annotate-stage').getAttribute('data-marks'));
    if (marks !== ROUNDS * 3) throw new Error(`expected ${ROUNDS * 3} marks, the editor has ${marks}`);
    return {
      'editor.draw_frame_p95_ms': round(percentile(measured.work, 95), 2),
      'editor.draw_frame_p50_ms': round(percentile(measured.work, 50), 2),
      'editor.draw_frames': measured.work.length,
      'editor.draw_frame_interval_p95_ms': round(percentile(measured.intervals, 95), 2),
      'editor.long_tasks_over_50ms': measured.longTasks.filter((duration) => duration > 50).length,
      'editor.draw_frame_cpu_p95_ms': round(
        percentile(
          traced.frames.map((frame) => frame.cpu),
          95,
        ),
        2,
      ),
      'editor.long_tasks_cpu_over_50ms': traced.tasks.filter((task) => task.cpu > 50).length,
      'editor.longest_task_cpu_ms': round(Math.max(0, ...traced.tasks.map((task) => task.cpu)), 1),
      'editor.bench_load_avg_1m': round(load, 2),
    };
  } finally {
    await browser.close();
    await stack.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchDraw());
}
