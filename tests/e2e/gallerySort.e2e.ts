import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelId } from '@shared/domain/models';
import { launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The little of the page's DOM the geometry check reads (no DOM types in this project). */
interface PageElement {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  getBoundingClientRect(): { left: number; top: number; right: number; bottom: number; width: number };
}
interface PageScope {
  innerWidth: number;
  innerHeight: number;
  document: {
    querySelectorAll(selector: string): Iterable<PageElement>;
    createRange(): {
      selectNodeContents(node: unknown): void;
      getClientRects(): Iterable<{ top: number; height: number }>;
    };
    createTreeWalker(root: PageElement, whatToShow: 4): { nextNode(): { textContent: string | null } | null };
  };
}

/** One image per prompt, made with the given model, in this order (so the last is the newest). */
const IMAGES: readonly { prompt: string; model: ModelId; rating: number }[] = [
  { prompt: 'a red fox in the snow', model: 'google/nano-banana', rating: 3 },
  { prompt: 'a blue whale under the sea', model: 'nano-banana-pro', rating: 5 },
  { prompt: 'a green parrot on a branch', model: 'nano-banana-2', rating: 1 },
  { prompt: 'a yellow lemon on a table', model: 'google/nano-banana', rating: 0 },
];
const [FOX, WHALE, PARROT, LEMON] = IMAGES.map((image) => image.prompt) as [string, string, string, string];

const tiles = (page: Page): Locator => page.getByTestId('gallery-item');
const shown = (page: Page): Promise<string[]> =>
  tiles(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label') ?? ''));
const groupHeaders = (page: Page): Promise<string[]> => page.getByTestId('group-header').allInnerTexts();

/** Generates the images in Demo mode, each with its model, and rates them through core. */
async function makeLibrary(page: Page, stack: Stack): Promise<Map<string, string>> {
  for (const [index, image] of IMAGES.entries()) {
    await page.getByTestId('model-select').selectOption(image.model);
    await page.getByTestId('prompt-input').fill(image.prompt);
    const submit = page.getByTestId('submit-button');
    await expect.poll(() => submit.isEnabled()).toBe(true);
    await submit.click();
    await expect.poll(() => tiles(page).count(), { timeout: 30_000 }).toBe(index + 1);
  }
  const ids = new Map<string, string>();
  for (const node of await tiles(page).all()) {
    ids.set((await node.getAttribute('aria-label')) ?? '', (await node.getAttribute('data-image-id')) ?? '');
  }
  for (const image of IMAGES) {
    if (image.rating > 0) await rate(stack, ids.get(image.prompt) ?? '', image.rating);
  }
  for (const image of IMAGES) {
    const tile = page.locator(`[data-testid="gallery-item"][data-image-id="${ids.get(image.prompt)}"]`);
    await expect.poll(() => tile.getAttribute('data-rating')).toBe(String(image.rating));
  }
  return ids;
}

/** Rates through core, as another window would: the change reaches this one as a push. */
async function rate(stack: Stack, id: string, rating: number): Promise<void> {
  const result = await stack.harness.core.dispatch(
    'gallery.setRating',
    { ids: [id], rating },
    { transport: 'test' },
  );
  expect(result.ok).toBe(true);
}

/**
 * What does not fit in the filter bar, the chips and the group headers: a control past the
 * window's edge, two controls on top of each other, or a label broken over two lines.
 */
async function badGeometry(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as PageScope;
    const found: string[] = [];
    const name = (element: PageElement) => element.dataset['testid'] ?? element.textContent?.trim() ?? '?';
    const controls = Array.from(
      scope.document.querySelectorAll('[data-testid="filter-bar"] > *, [data-testid="filter-chips"] > *'),
    ).filter((element) => element.getBoundingClientRect().width > 0);
    controls.forEach((element, index) => {
      const box = element.getBoundingClientRect();
      if (box.right > scope.innerWidth + 1 || box.left < -1) found.push(`${name(element)} is off-screen`);
      for (const other of controls.slice(index + 1)) {
        const next = other.getBoundingClientRect();
        const overlap =
          Math.min(box.right, next.right) - Math.max(box.left, next.left) > 1 &&
          Math.min(box.bottom, next.bottom) - Math.max(box.top, next.top) > 1;
        if (overlap) found.push(`${name(element)} overlaps ${name(other)}`);
      }
    });
    const labels = scope.document.querySelectorAll(
      '[data-testid="filter-chip"], [data-testid="group-header"], [data-testid="filter-clear"]',
    );
    for (const element of Array.from(labels)) {
      const walker = scope.document.createTreeWalker(element, 4);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if ((node.textContent ?? '').trim() === '') continue;
        const range = scope.document.createRange();
        range.selectNodeContents(node);
        const lines = new Set(
          Array.from(range.getClientRects())
            .filter((rect) => rect.height > 0)
            .map((rect) => Math.round(rect.top)),
        );
        if (lines.size > 1) found.push(`“${element.textContent?.trim()}” wraps onto ${lines.size} lines`);
      }
    }
    return found;
  });
}

describe('gallery sort by rating and model, minimum rating (Chromium)', () => {
  it('en at 1280×1000: sorts, groups, filters ★ 3 and up, follows a new rating, and keeps it all over a reload', async () => {
    const text = TRANSLATIONS.en;
    const stack = await startStack({ initialSettings: { demoMode: true } });
    try {
      const { page, problems } = await openApp(browser, stack, { height: 1000 });
      // Small tiles, so that four groups of one tile each are all in view (the grid is virtual).
      await page.getByTestId('thumb-size').fill('120');
      const ids = await makeLibrary(page, stack);
      expect(await shown(page)).toEqual([LEMON, PARROT, WHALE, FOX]);

      // Highest rated first, grouped by rating (no day headers), and the sort shows as a chip.
      await page.getByTestId('sort-select').selectOption('rating');
      await expect.poll(() => shown(page)).toEqual([WHALE, FOX, PARROT, LEMON]);
      await expect
        .poll(() => groupHeaders(page))
        .toEqual([
          `★★★★★ ${text.gallery.ratingValue.replace('{{rating}}', '5')}`,
          `★★★☆☆ ${text.gallery.ratingValue.replace('{{rating}}', '3')}`,
          `★☆☆☆☆ ${text.gallery.ratingValue.replace('{{rating}}', '1')}`,
          `☆☆☆☆☆ ${text.gallery.groupUnrated}`,
        ]);
      expect(await page.getByTestId('day-header').count()).toBe(0);
      const sortChip = page.locator('[data-testid="filter-chip"][data-filter="sort"]');
      expect(await sortChip.innerText()).toContain(text.filters.chipSortRating);
      await snap(page, 'gallery-sort-01-rating');

      // ★ 3 and up: a select, worked from the keyboard.
      const rating = page.getByTestId('filter-rating');
      expect(await rating.inputValue()).toBe('0');
      await rating.focus();
      for (let step = 0; step < 3; step += 1) await page.keyboard.press('ArrowDown');
      await expect.poll(() => rating.inputValue()).toBe('3');
      await expect.poll(() => shown(page)).toEqual([WHALE, FOX]);
      const ratingChip = page.locator('[data-testid="filter-chip"][data-filter="rating"]');
      expect(await ratingChip.innerText()).toContain(text.filters.ratingAtLeast.replace('{{rating}}', '3'));
      expect(await page.getByTestId('filter-count').innerText()).toBe(
        text.filters.matches.replace('{{count}}', '2'),
      );

      // Rated 4 elsewhere, the parrot now passes the filter and lands between 5 and 3.
      await rate(stack, ids.get(PARROT) ?? '', 4);
      await expect.poll(() => shown(page)).toEqual([WHALE, PARROT, FOX]);
      await snap(page, 'gallery-sort-02-min-rating');

      // A reload keeps the sort and the filter (and says so with the chips).
      await page.reload();
      await page.getByTestId('app-root').waitFor();
      await expect.poll(() => shown(page)).toEqual([WHALE, PARROT, FOX]);
      expect(await page.getByTestId('sort-select').inputValue()).toBe('rating');
      expect(await page.getByTestId('filter-rating').inputValue()).toBe('3');
      expect(await ratingChip.count()).toBe(1);
      expect(await sortChip.count()).toBe(1);

      // Removing the rating chip shows everything again, still by rating.
      await ratingChip.click();
      await expect.poll(() => shown(page)).toEqual([WHALE, PARROT, FOX, LEMON]);
      expect(await page.getByTestId('filter-rating').inputValue()).toBe('0');

      // By model: one group per model, newest first inside each.
      await page.getByTestId('sort-select').selectOption('model');
      await expect.poll(() => shown(page)).toEqual([WHALE, PARROT, LEMON, FOX]);
      await expect
        .poll(() => groupHeaders(page))
        .toEqual([text.models.nanoBananaPro, text.models.nanoBanana2, text.models.nanoBanana]);
      expect(await sortChip.innerText()).toContain(text.filters.chipSortModel);
      await snap(page, 'gallery-sort-03-model');

      // The sort chip goes back to newest first, with day headers.
      await sortChip.click();
      await expect.poll(() => shown(page)).toEqual([LEMON, PARROT, WHALE, FOX]);
      expect(await page.getByTestId('sort-select').inputValue()).toBe('newest');
      expect(await page.getByTestId('group-header').count()).toBe(0);
      await page.getByTestId('day-header').first().waitFor();
      expect(await page.getByTestId('filter-chips').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  for (const language of ['en', 'zh-CN'] as const) {
    it(`${language} at 1024×768: the rating filter, the sort chip and the group headers fit`, async () => {
      const text = TRANSLATIONS[language];
      const stack = await startStack({ initialSettings: { demoMode: true, language } });
      try {
        const { page, problems } = await openApp(browser, stack, { width: 1024, height: 768 });
        await makeLibrary(page, stack);
        await page.getByTestId('sort-select').selectOption('rating');
        await page.getByTestId('filter-rating').selectOption('3');
        await expect.poll(() => shown(page)).toEqual([WHALE, FOX]);
        await expect
          .poll(() => groupHeaders(page))
          .toEqual([
            `★★★★★ ${text.gallery.ratingValue.replace('{{rating}}', '5')}`,
            `★★★☆☆ ${text.gallery.ratingValue.replace('{{rating}}', '3')}`,
          ]);
        const chipTexts = await page.getByTestId('filter-chip').allInnerTexts();
        expect(chipTexts.some((chip) => chip.includes(text.filters.chipSortRating))).toBe(true);
        expect(
          chipTexts.some((chip) => chip.includes(text.filters.ratingAtLeast.replace('{{rating}}', '3'))),
        ).toBe(true);
        await snap(page, `gallery-sort-04-${language}-1024`);
        expect(await badGeometry(page)).toEqual([]);

        await page.getByTestId('filter-rating').selectOption('5');
        await expect.poll(() => shown(page)).toEqual([WHALE]);
        expect(await page.locator('[data-testid="filter-chip"][data-filter="rating"]').innerText()).toContain(
          text.filters.ratingOnlyFive,
        );
        await page.getByTestId('filter-clear').click();
        await page.getByTestId('sort-select').selectOption('model');
        await expect
          .poll(() => groupHeaders(page))
          .toEqual([text.models.nanoBananaPro, text.models.nanoBanana2, text.models.nanoBanana]);
        expect(await badGeometry(page)).toEqual([]);
        await snap(page, `gallery-sort-05-${language}-model`);
        expect(problems).toEqual([]);
      } finally {
        await stack.close();
      }
    });
  }
});
