import { mkdtemp, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@core/db/database';
import { seedImages } from '@core/gallery/seed';
import { launchBrowser, snap, startStack, openApp, type OpenAppOptions } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const APP_OPTIONS: OpenAppOptions = { height: 860 };

/** Newest first, so the gallery shows them in reverse. */
const PROMPTS = [
  'red fox sleeping in the snow',
  'blue whale under a green sea',
  'red panda eating bamboo',
  'lighthouse at dawn',
];

/** Submits each prompt in Demo mode and waits until all of them are in the gallery. */
async function generate(page: Page, prompts: readonly string[]): Promise<void> {
  for (const prompt of prompts) {
    await page.getByTestId('prompt-input').fill(prompt);
    const submit = page.getByTestId('submit-button');
    await expect.poll(() => submit.isEnabled()).toBe(true);
    await submit.click();
    await expect
      .poll(() => page.getByTestId('job-item').count())
      .toBeGreaterThanOrEqual(prompts.indexOf(prompt) + 1);
  }
  await expect.poll(() => tiles(page).count(), { timeout: 30_000 }).toBe(prompts.length);
}

const tiles = (page: Page): Locator => page.getByTestId('gallery-item');
const tile = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="gallery-item"][data-image-id="${id}"]`);
const tileIds = (page: Page): Promise<string[]> =>
  tiles(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-image-id') ?? ''));
const promptsShown = (page: Page): Promise<string[]> =>
  tiles(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label') ?? ''));

describe('gallery library in Chromium', () => {
  it('browse, search, filter, select, bulk actions, viewer keys, delete + undo, trash, rescan', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true } });
    try {
      const { page, problems } = await openApp(browser, stack, APP_OPTIONS);
      await page.getByTestId('gallery-empty').waitFor();
      await generate(page, PROMPTS);
      const ids = await tileIds(page);
      expect(await promptsShown(page)).toEqual([...PROMPTS].reverse());
      expect(Number(await page.getByTestId('gallery-grid').getAttribute('data-loaded-count'))).toBe(4);
      await expect.poll(() => page.getByTestId('library-count').getAttribute('data-count')).toBe('4');
      await page.getByTestId('day-header').first().waitFor();
      await snap(page, 'gallery-01-browse');

      // Search narrows the results (debounced), shows a chip, and the chip clears it.
      await page.getByTestId('gallery-search').fill('red');
      await expect
        .poll(() => promptsShown(page))
        .toEqual(['red panda eating bamboo', 'red fox sleeping in the snow']);
      await expect.poll(() => page.getByTestId('filter-chip').count()).toBe(1);
      await snap(page, 'gallery-02-search');
      await page.getByTestId('filter-chip').click();
      await expect.poll(() => tiles(page).count()).toBe(4);
      expect(await page.getByTestId('gallery-search').inputValue()).toBe('');

      // Sort oldest first, and back.
      await page.getByTestId('sort-select').selectOption('oldest');
      await expect.poll(() => promptsShown(page)).toEqual(PROMPTS);
      await page.getByTestId('sort-select').selectOption('newest');
      await expect.poll(() => tileIds(page)).toEqual(ids);

      // Click + Shift-click selects a range; bulk favourite; the favourites filter shows them.
      const [first, second, third, fourth] = ids as [string, string, string, string];
      await tile(page, first).click();
      await tile(page, third).click({ modifiers: ['Shift'] });
      await expect.poll(() => page.getByTestId('selection-count').getAttribute('data-count')).toBe('3');
      for (const id of [first, second, third])
        expect(await tile(page, id).getAttribute('aria-selected')).toBe('true');
      expect(await tile(page, fourth).getAttribute('data-selected')).toBe('false');
      await page.getByTestId('bulk-favourite').click();
      for (const id of [first, second, third])
        await expect.poll(() => tile(page, id).getAttribute('data-favourite')).toBe('true');
      await snap(page, 'gallery-03-selected-favourited');
      await page.getByTestId('filter-favourites').click();
      await expect.poll(() => tileIds(page)).toEqual([first, second, third]);
      await page.getByTestId('filter-chip').waitFor();
      await snap(page, 'gallery-04-favourites-filter');
      await page.getByTestId('filter-clear').click();
      await expect.poll(() => tiles(page).count()).toBe(4);

      // Keyboard in the grid: Ctrl+A, Esc, Home + Enter opens the viewer.
      await tile(page, first).click();
      await page.keyboard.press('Control+A');
      await expect.poll(() => page.getByTestId('selection-count').getAttribute('data-count')).toBe('4');
      await page.keyboard.press('Escape');
      await page.getByTestId('selection-bar').waitFor({ state: 'detached' });
      await page.keyboard.press('End');
      await page.keyboard.press('Home');
      await page.keyboard.press('Enter');

      // Viewer: → and ← follow the gallery order, metadata is shown, Esc closes.
      const viewer = page.getByTestId('viewer');
      await viewer.waitFor();
      expect(await viewer.getAttribute('data-image-id')).toBe(first);
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => viewer.getAttribute('data-image-id')).toBe(second);
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => viewer.getAttribute('data-image-id')).toBe(third);
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => viewer.getAttribute('data-image-id')).toBe(second);
      expect(await page.getByTestId('viewer-meta').innerText()).toContain(PROMPTS[2]);
      await expect.poll(() => page.getByTestId('viewer-file-path').innerText()).toMatch(/^\/.*\.png$/);
      await page.getByTestId('viewer-rating-4').click();
      await expect.poll(() => page.getByTestId('viewer-rating').getAttribute('data-rating')).toBe('4');
      await snap(page, 'gallery-05-viewer');
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });
      expect(await tile(page, second).getAttribute('data-rating')).toBe('4');

      // Drag out: the browser drag carries the image URL (and, for Chromium, the file itself);
      // a browser cannot start a native drag, so core is not asked for one (webOnly.e2e.ts).
      const transfer = await page.evaluateHandle('new DataTransfer()');
      await tile(page, fourth).dispatchEvent('dragstart', { dataTransfer: transfer });
      expect(
        await transfer.evaluate((data) =>
          (data as { getData(type: string): string }).getData('text/uri-list'),
        ),
      ).toContain('/gallery/image/');
      expect(stack.harness.shellActions.filter((action) => action.action === 'startDrag')).toEqual([]);

      // Delete goes to "Recently deleted" with an Undo toast.
      await tile(page, fourth).click();
      await page.keyboard.press('Delete');
      await expect.poll(() => tiles(page).count()).toBe(3);
      await page.getByTestId('toast-undo').waitFor();
      await snap(page, 'gallery-06-deleted-toast');
      await page.getByTestId('toast-undo').click();
      await expect.poll(() => tileIds(page)).toEqual(ids);

      // The "Recently deleted" view: restore, then delete permanently after a confirmation.
      await tile(page, fourth).click();
      await page.keyboard.press('Delete');
      await expect.poll(() => tiles(page).count()).toBe(3);
      await page.getByTestId('view-trash').click();
      await page.getByTestId('trash-list').waitFor();
      await expect.poll(() => page.getByTestId('trash-item').count()).toBe(1);
      await snap(page, 'gallery-07-recently-deleted');
      await page.getByTestId('trash-restore').click();
      await page.getByTestId('trash-empty').waitFor();
      await page.getByTestId('view-library').click();
      await expect.poll(() => tileIds(page)).toEqual(ids);
      await tile(page, fourth).click();
      await page.keyboard.press('Delete');
      await page.getByTestId('view-trash').click();
      await page.getByTestId('trash-purge').click();
      await page.getByTestId('confirm-dialog').waitFor();
      await page.getByTestId('confirm-ok').click();
      await page.getByTestId('trash-empty').waitFor();
      expect(stack.harness.shellActions.some((action) => action.action === 'trash')).toBe(true);
      await page.getByTestId('view-library').click();
      await expect.poll(() => tileIds(page)).toEqual([first, second, third]);

      // A file removed on disk shows as missing after a rescan, and can be removed from the library.
      await tile(page, third).dblclick();
      const filePath = await (async () => {
        await expect.poll(() => page.getByTestId('viewer-file-path').innerText()).toMatch(/^\/.*\.png$/);
        return page.getByTestId('viewer-file-path').innerText();
      })();
      await page.getByTestId('viewer-close').click();
      await unlink(filePath);
      await page.getByTestId('library-rescan').click();
      await expect
        .poll(() => tile(page, third).getAttribute('data-status'), { timeout: 15_000 })
        .toBe('missing');
      await page.getByTestId('library-missing').waitFor();
      await snap(page, 'gallery-08-missing-after-rescan');
      await tile(page, third).hover();
      await tile(page, third).getByTestId('tile-forget').click();
      await page.getByTestId('confirm-ok').click();
      await expect.poll(() => tileIds(page)).toEqual([first, second]);

      // The file deleted on disk above answers 404 when its image is asked for; nothing else may fail.
      expect(problems.filter((problem) => !problem.includes('status of 404'))).toEqual([]);
      await page.close();
    } finally {
      await stack.close();
    }
  });

  it('albums and tags (dark theme): add the selection to a new album, tag it, and browse by both', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true } });
    try {
      const { page } = await openApp(browser, stack, { ...APP_OPTIONS, colorScheme: 'dark' });
      await generate(page, PROMPTS.slice(0, 3));
      const [first, second, third] = (await tileIds(page)) as [string, string, string];

      await tile(page, first).click();
      await tile(page, second).click({ modifiers: ['Control'] });
      await expect.poll(() => page.getByTestId('selection-count').getAttribute('data-count')).toBe('2');
      await page.getByTestId('bulk-album').click();
      await page.getByTestId('album-new-name').fill('Animals');
      await page.getByTestId('album-new-create').click();
      await page.getByTestId('toast').filter({ hasText: 'Animals' }).waitFor();

      await page.getByTestId('bulk-tag').click();
      await page.getByTestId('tag-input').fill('cute');
      await page.getByTestId('tag-add').click();
      await page.getByTestId('toast').filter({ hasText: 'Tagged' }).waitFor();
      await snap(page, 'gallery-09-selection-dark');

      // Export asks the host for a folder (the harness answers with one) and copies the files.
      await page.getByTestId('bulk-export').click();
      await page.getByTestId('toast').filter({ hasText: 'Exported 2' }).waitFor();

      await page.getByTestId('view-albums').click();
      await page.getByTestId('album-card').filter({ hasText: 'Animals' }).waitFor();
      await snap(page, 'gallery-10-albums-dark');
      await page.getByTestId('album-open').click();
      await expect.poll(() => tileIds(page)).toEqual([first, second]);
      await page.getByTestId('filter-clear').click();
      await expect.poll(() => tiles(page).count()).toBe(3);

      await page.getByTestId('filter-tag').selectOption('cute');
      await expect.poll(() => tileIds(page)).toEqual([first, second]);
      await page.getByTestId('filter-clear').click();
      await expect.poll(() => tileIds(page)).toEqual([first, second, third]);

      // "Use as reference" shows a chip in the compose panel; "Reuse settings" restores the prompt.
      await tile(page, third).dblclick();
      await page.getByTestId('viewer-reference').click();
      await page.locator(`[data-testid="reference-chip"][data-image-id="${third}"]`).waitFor();
      await page.getByTestId('viewer-reuse').click();
      await page.getByTestId('viewer').waitFor({ state: 'detached' });
      expect(await page.getByTestId('prompt-input').inputValue()).toBe(PROMPTS[0]);
      await page.close();
    } finally {
      await stack.close();
    }
  });
});

describe('select all matching (Chromium)', () => {
  it('Ctrl+A selects the loaded tiles; "Select all N matching" takes every match to the bulk action', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'banana-select-all-'));
    const db = openDatabase(join(dataDir, 'library.db'));
    seedImages(db, 400, {
      seed: 7,
      favouriteRate: 0,
      ratedRate: 0,
      missingRate: 0,
      trashedRate: 0,
      importedRate: 0,
      demoRate: 0,
    });
    db.close();
    const stack = await startStack({
      dataDir,
      // The seeded rows have no files: no scan, so they are not marked missing meanwhile.
      core: { poll: { initialMs: 250, maxMs: 1_000 }, libraryScanDelayMs: 600_000 },
    });
    try {
      const { page, problems } = await openApp(browser, stack, APP_OPTIONS);
      await tiles(page).first().waitFor();
      await tiles(page).first().click();
      await page.keyboard.press('Control+A');
      const count = page.getByTestId('selection-count');
      const loaded = Number(await count.getAttribute('data-count'));
      expect(loaded).toBeGreaterThan(1);
      expect(loaded).toBeLessThan(400);
      const more = page.getByTestId('select-all-matching');
      expect(await more.innerText()).toBe('Select all 400 matching');
      await snap(page, 'gallery-select-all-01-loaded');
      await more.click();
      await expect.poll(() => count.getAttribute('data-count')).toBe('400');
      await more.waitFor({ state: 'detached' });
      await page.getByTestId('bulk-favourite').click();
      const favourites = async () => {
        const counted = await stack.harness.core.dispatch(
          'gallery.count',
          { query: { favouritesOnly: true } },
          { transport: 'test' },
        );
        return counted.ok ? (counted.value as { count: number }).count : -1;
      };
      await expect.poll(favourites).toBe(400);
      await snap(page, 'gallery-select-all-02-all-favourite');
      // The seeded rows have no files, so their thumbnails answer 404; nothing else may fail.
      expect(problems.filter((problem) => !problem.includes('status of 404'))).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});
