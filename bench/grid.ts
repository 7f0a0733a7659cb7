/**
 * The gallery grid at 100k images in a real Chromium: the web harness over a library index
 * seeded with 100,000 rows, a scripted 10 s scroll from top to bottom and back, sampling how
 * many tiles are mounted and counting long tasks (> 50 ms) on the renderer's main thread.
 * Also the harness process's resident memory with that library open.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase } from '@core/db/database';
import { seedImages } from '@core/gallery/seed';
import { startHarness } from '../src/harness/server';
import { launchBrowser, RENDERER_DIR } from '../tests/e2e/support';
import { round, withTempDir, type Figures } from './support';

const IMAGES = 100_000;
const SCROLL_MS = 10_000;

export async function benchGrid(): Promise<Figures> {
  return withTempDir(async (dataDir) => {
    const db = openDatabase(join(dataDir, 'library.db'));
    seedImages(db, IMAGES);
    db.close();
    const harness = await startHarness({
      rendererDir: RENDERER_DIR,
      quiet: true,
      dataDir,
      // The seeded rows have no files: a start-up scan would (rightly) mark them all missing.
      core: { libraryScanDelayMs: 24 * 3600_000 },
      initialSettings: { demoMode: true, language: 'en' },
    });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(harness.url);
      await page.getByTestId('gallery-item').first().waitFor({ timeout: 30_000 });
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
        'rss.harness_100k_mb': round(process.memoryUsage().rss / 1024 / 1024, 1),
      };
    } finally {
      await browser.close();
      await harness.close();
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchGrid());
}
