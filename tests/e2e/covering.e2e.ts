import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@core/db/database';
import { seedImages } from '@core/gallery/seed';
import { launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

/**
 * Nothing covers what you need: toasts stay off the compose panel and the selection bar, the
 * selection bar leaves the last row of tiles in view, and Generate stays on screen however many
 * references the tray holds. Each check is geometry in a real Chromium, in English and Chinese.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
const stacks: Stack[] = [];
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.close();
});

const LANGUAGES = ['en', 'zh-CN'] as const;
type Size = readonly [width: number, height: number];
const SIZES: readonly Size[] = [
  [1280, 800],
  [1024, 768],
  [900, 600],
];

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The little of the page's DOM these checks read (this file is type-checked without DOM types). */
interface PageElement {
  tagName: string;
  className: string;
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  children: Iterable<PageElement>;
  contains(other: PageElement): boolean;
  getBoundingClientRect(): Rect & { width: number; height: number };
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
interface PageScope {
  innerWidth: number;
  innerHeight: number;
  document: {
    elementFromPoint(x: number, y: number): PageElement | null;
    createRange(): {
      selectNodeContents(node: unknown): void;
      getClientRects(): Iterable<{ top: number; height: number }>;
    };
    /** 4 is NodeFilter.SHOW_TEXT. */
    createTreeWalker(root: PageElement, whatToShow: 4): { nextNode(): { textContent: string | null } | null };
  };
}

async function rectOf(locator: Locator): Promise<Rect> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not laid out');
  return { left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height };
}

/** Whether two boxes share more than a hairline. */
function overlap(a: Rect, b: Rect): boolean {
  return a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
}

const show = (rect: Rect): string =>
  `[${Math.round(rect.left)},${Math.round(rect.top)} → ${Math.round(rect.right)},${Math.round(rect.bottom)}]`;

/**
 * What stops a user reaching `locator`: a part of it outside the window, or something else on
 * top of its centre or corners (what the pointer would hit there instead).
 */
function blockers(locator: Locator): Promise<string[]> {
  return locator.evaluate((node: unknown) => {
    const scope = globalThis as unknown as PageScope;
    const element = node as PageElement;
    const box = element.getBoundingClientRect();
    const found: string[] = [];
    if (box.top < 0 || box.left < 0 || box.bottom > scope.innerHeight || box.right > scope.innerWidth)
      found.push(`ends outside the ${scope.innerWidth}×${scope.innerHeight} window`);
    // Far enough in that a rounded corner (8–12 px) is not counted as what lies behind it.
    const inset = 6;
    const points = [
      [(box.left + box.right) / 2, (box.top + box.bottom) / 2],
      [box.left + inset, box.top + inset],
      [box.right - inset, box.top + inset],
      [box.left + inset, box.bottom - inset],
      [box.right - inset, box.bottom - inset],
    ] as const;
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= scope.innerWidth || y >= scope.innerHeight) continue;
      const hit = scope.document.elementFromPoint(x, y);
      if (hit && !element.contains(hit)) {
        const name = hit.dataset['testid'] ?? `${hit.tagName.toLowerCase()}.${hit.className}`;
        found.push(`covered at (${Math.round(x)}, ${Math.round(y)}) by ${name}`);
      }
    }
    return found;
  });
}

/** Reference images as the file picker hands them over: small, distinct PNGs. */
async function referenceFiles(count: number, from = 0) {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => ({
      name: `reference-${from + index + 1}.png`,
      mimeType: 'image/png',
      buffer: await sharp({
        create: {
          width: 96,
          height: 64,
          channels: 3,
          background: { r: (from + index) * 23, g: 120, b: 200 },
        },
      })
        .png()
        .toBuffer(),
    })),
  );
}

async function addReferences(page: Page, total: number, from: number): Promise<void> {
  await page.getByTestId('reference-picker').setInputFiles(await referenceFiles(total - from, from));
  await expect.poll(() => page.getByTestId('reference-chip').count(), { timeout: 20_000 }).toBe(total);
}

describe.each(LANGUAGES)('nothing covers what you need (%s)', (language) => {
  it('Generate stays in view and uncovered with 2, 4 and 10 references, without scrolling', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language } });
    stacks.push(stack);
    const report: string[] = [];
    for (const [width, height] of SIZES) {
      const { page, context, problems } = await openApp(browser, stack, { width, height });
      await page.getByTestId('prompt-input').fill(language === 'en' ? 'a cat on a sofa' : '沙发上的猫');
      let had = 0;
      for (const count of [2, 4, 10]) {
        await addReferences(page, count, had);
        had = count;
        const submit = page.getByTestId('submit-button');
        await expect.poll(() => submit.isEnabled()).toBe(true);
        report.push(...(await blockers(submit)).map((problem) => `${width}×${height}, ${count}: ${problem}`));
        await snap(page, `covering-${language}-${width}-refs-${count}`);
      }
      expect(problems).toEqual([]);
      await context.close();
    }
    expect(report).toEqual([]);
  }, 120_000);

  it('toasts stay off the compose panel and the selection bar, several at once', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language } });
    stacks.push(stack);
    const report: string[] = [];
    for (const [width, height] of SIZES) {
      const where = `${width}×${height}`;
      const { page, context, problems } = await openApp(browser, stack, { width, height });
      const tiles = page.getByTestId('gallery-item');
      if (width === SIZES[0]?.[0]) {
        await page.getByTestId('prompt-input').fill(language === 'en' ? 'a lighthouse' : '灯塔');
        await page.getByTestId('images-select').selectOption('4');
        await page.getByTestId('submit-button').click();
        await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBe(4);
      } else {
        await expect.poll(() => tiles.count(), { timeout: 15_000 }).toBe(4);
      }
      await page.getByTestId('prompt-input').fill(language === 'en' ? 'a cat on a sofa' : '沙发上的猫');
      await addReferences(page, 2, 0);

      // Three Undo toasts at once (the most shown), one per image moved to Recently deleted.
      const trashed: string[] = [];
      for (let removed = 1; removed <= 3; removed += 1) {
        trashed.push((await tiles.first().getAttribute('data-image-id')) ?? '');
        await tiles.first().click();
        await page.getByTestId('bulk-trash').click();
        await expect.poll(() => tiles.count()).toBe(4 - removed);
        await expect
          .poll(() => page.getByTestId('toast').count())
          .toBeGreaterThanOrEqual(Math.min(removed, 2));
      }
      const compose = await rectOf(page.locator('.compose'));
      const toasts = await page.getByTestId('toast').all();
      for (const toast of toasts) {
        const box = await rectOf(toast);
        if (overlap(box, compose))
          report.push(`${where}: toast ${show(box)} covers the compose panel ${show(compose)}`);
        if (box.top < 0 || box.bottom > height || box.left < 0 || box.right > width)
          report.push(`${where}: toast ${show(box)} is not fully in the window`);
      }
      for (const id of ['prompt-input', 'submit-button', 'reference-tray'])
        report.push(
          ...(await blockers(page.getByTestId(id))).map((problem) => `${where}: ${id}: ${problem}`),
        );
      await snap(page, `covering-${language}-${width}-toasts`);

      // With the selection bar shown, the toasts move clear of it too.
      await tiles.first().click();
      const bar = page.getByTestId('selection-bar');
      await bar.waitFor();
      await expect.poll(() => page.getByTestId('toast').count()).toBeGreaterThan(0);
      const barBox = await rectOf(bar);
      for (const toast of await page.getByTestId('toast').all()) {
        const box = await rectOf(toast);
        if (overlap(box, barBox))
          report.push(`${where}: toast ${show(box)} covers the selection bar ${show(barBox)}`);
        if (overlap(box, compose))
          report.push(`${where}: toast ${show(box)} covers the compose panel ${show(compose)}`);
        if (box.top < 0) report.push(`${where}: toast ${show(box)} is pushed off the top of the window`);
      }
      report.push(...(await blockers(bar)).map((problem) => `${where}: selection bar: ${problem}`));
      await snap(page, `covering-${language}-${width}-toasts-selection`);

      expect(problems).toEqual([]);
      await context.close();
      // The three images back for the next window size (the Undo toasts may have gone by now).
      const restored = await stack.harness.core.dispatch(
        'gallery.restore',
        { ids: trashed },
        { transport: 'test' },
      );
      expect(restored.ok).toBe(true);
    }
    expect(report).toEqual([]);
  }, 180_000);

  it('the selection bar leaves the last row in view and lays out cleanly (one line from 1024 px)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'banana-covering-'));
    const db = openDatabase(join(dataDir, 'library.db'));
    const seeded = seedImages(db, 45, {
      seed: 3,
      spanDays: 1,
      favouriteRate: 0,
      ratedRate: 0,
      missingRate: 0,
      trashedRate: 0,
      importedRate: 0,
      demoRate: 0,
    });
    db.close();
    const oldest = seeded.ids[0] ?? '';
    const stack = await startStack({
      dataDir,
      initialSettings: { demoMode: true, language },
      // The seeded rows have no files: no scan, so they are not marked missing meanwhile.
      core: { poll: { initialMs: 250, maxMs: 1_000 }, libraryScanDelayMs: 600_000 },
    });
    stacks.push(stack);
    const report: string[] = [];
    for (const [width, height] of SIZES) {
      const where = `${width}×${height}`;
      const { page, context, problems } = await openApp(browser, stack, { width, height });
      const grid = page.getByTestId('gallery-grid');
      const last = page.locator(`[data-testid="gallery-item"][data-image-id="${oldest}"]`);
      const bar = page.getByTestId('selection-bar');
      const toEnd = () =>
        grid.evaluate((node: unknown) => {
          const element = node as PageElement;
          element.scrollTop = element.scrollHeight;
        });
      const atEnd = () =>
        grid.evaluate((node: unknown) => {
          const element = node as PageElement;
          return element.scrollHeight - element.scrollTop - element.clientHeight < 2;
        });
      /** Problems with the last row of tiles: behind the bar, or cut off by the grid's edge. */
      const lastRow = async (when: string): Promise<string[]> => {
        const barBox = await rectOf(bar);
        const gridBox = await rectOf(grid);
        const lastTop = (await rectOf(last)).top;
        const found: string[] = [];
        for (const tile of await page.getByTestId('gallery-item').all()) {
          const box = await rectOf(tile);
          if (Math.abs(box.top - lastTop) > 1) continue;
          if (box.bottom > barBox.top - 1)
            found.push(`${when}: a last-row tile ${show(box)} is behind the selection bar ${show(barBox)}`);
          if (box.bottom > gridBox.bottom + 1)
            found.push(`${when}: a last-row tile ${show(box)} is cut off by the grid ${show(gridBox)}`);
        }
        return found;
      };
      await page.getByTestId('gallery-item').first().waitFor();

      // Select at the top, then scroll to the very end: the last row ends above the bar.
      await page.getByTestId('gallery-item').first().click();
      await bar.waitFor();
      await toEnd();
      await last.waitFor();
      await expect.poll(async () => (await toEnd(), atEnd())).toBe(true);
      report.push(...(await lastRow(`${where}, scrolled with the bar shown`)));
      report.push(...(await barLayout(bar, width >= 1024)).map((problem) => `${where}: ${problem}`));
      await snap(page, `covering-${language}-${width}-selection-end`);

      // Scroll to the end first, then select a tile of the last row: the bar does not land on it.
      await page.keyboard.press('Escape');
      await bar.waitFor({ state: 'detached' });
      await expect.poll(async () => (await toEnd(), atEnd())).toBe(true);
      // The mouse itself, where the tile shows: Playwright's click would first scroll it into view.
      const tileBox = await rectOf(last);
      const gridBox = await rectOf(grid);
      const visibleTop = Math.max(tileBox.top, gridBox.top + 48);
      const visibleBottom = Math.min(tileBox.bottom, gridBox.bottom);
      await page.mouse.click((tileBox.left + tileBox.right) / 2, (visibleTop + visibleBottom) / 2);
      await bar.waitFor();
      await expect.poll(() => last.getAttribute('data-selected')).toBe('true');
      // Give the grid a moment to follow its end; what is left after that is reported.
      await expect
        .poll(async () => (await lastRow('probe')).length)
        .toBe(0)
        .catch(() => undefined);
      report.push(...(await lastRow(`${where}, selected at the end`)));
      await snap(page, `covering-${language}-${width}-selection-last-row`);
      // The seeded rows have no files, so their thumbnails answer 404; nothing else may fail.
      expect(problems.filter((problem) => !problem.includes('status of 404'))).toEqual([]);
      await context.close();
    }
    expect(report).toEqual([]);
  }, 120_000);
});

/**
 * The selection bar's controls: inside the bar, none on top of another, no label broken over
 * two lines, and (when `oneLine`) all on a single line.
 */
function barLayout(bar: Locator, oneLine: boolean): Promise<string[]> {
  return bar.evaluate((node: unknown, oneLine: boolean) => {
    const scope = globalThis as unknown as PageScope;
    const element = node as PageElement;
    const outer = element.getBoundingClientRect();
    const found: string[] = [];
    const parts = Array.from(element.children).filter((child) => child.getBoundingClientRect().width > 0);
    const name = (part: PageElement) => part.dataset['testid'] ?? part.textContent?.trim() ?? part.tagName;
    const boxes = parts.map((part) => ({ part, box: part.getBoundingClientRect() }));
    for (const { part, box } of boxes) {
      if (
        box.left < outer.left - 1 ||
        box.right > outer.right + 1 ||
        box.top < outer.top - 1 ||
        box.bottom > outer.bottom + 1
      )
        found.push(`“${name(part)}” sticks out of the selection bar`);
    }
    for (let a = 0; a < boxes.length; a += 1) {
      for (let b = a + 1; b < boxes.length; b += 1) {
        const one = boxes[a]?.box;
        const two = boxes[b]?.box;
        if (!one || !two) continue;
        if (
          one.left < two.right - 1 &&
          two.left < one.right - 1 &&
          one.top < two.bottom - 1 &&
          two.top < one.bottom - 1
        )
          found.push(`“${name(boxes[a]?.part ?? element)}” overlaps “${name(boxes[b]?.part ?? element)}”`);
      }
    }
    const lines = new Set(boxes.map(({ box }) => Math.round((box.top + box.bottom) / 2 / 6)));
    if (oneLine && lines.size > 1) found.push(`the selection bar takes ${lines.size} lines`);
    for (const label of Array.from(element.querySelectorAll('button, span'))) {
      const walker = scope.document.createTreeWalker(label, 4);
      for (let text = walker.nextNode(); text !== null; text = walker.nextNode()) {
        if ((text.textContent ?? '').trim() === '') continue;
        const range = scope.document.createRange();
        range.selectNodeContents(text);
        const rows = new Set(
          Array.from(range.getClientRects())
            .filter((rect) => rect.height > 0)
            .map((rect) => Math.round(rect.top)),
        );
        if (rows.size > 1) found.push(`“${text.textContent?.trim()}” wraps onto ${rows.size} lines`);
      }
    }
    return found;
  }, oneLine);
}

describe.each(LANGUAGES)('the viewer (%s)', (language) => {
  const text = TRANSLATIONS[language];

  it('one "Made from" section; zoom says Fit, then the real percentage; favourite and rating differ', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language } });
    stacks.push(stack);
    // Copy in the web version goes to the browser's clipboard, which needs the permission.
    const { page, problems } = await openApp(browser, stack, {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const tiles = page.getByTestId('gallery-item');
    await page.getByTestId('prompt-input').fill(language === 'en' ? 'a lighthouse' : '灯塔');
    await page.getByTestId('submit-button').click();
    await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBe(1);
    const source = (await tiles.first().getAttribute('data-image-id')) ?? '';

    // A second image made from the first (a library reference) and a dropped file.
    await tiles.first().dblclick();
    await page.getByTestId('viewer').waitFor();
    await page.getByTestId('viewer-reference').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('viewer').waitFor({ state: 'detached' });
    await page.getByTestId('reference-picker').setInputFiles(await referenceFiles(1));
    await expect.poll(() => page.getByTestId('reference-chip').count()).toBe(2);
    await page.getByTestId('prompt-input').fill(language === 'en' ? 'the lighthouse at night' : '夜晚的灯塔');
    await page.getByTestId('submit-button').click();
    await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBe(2);
    await tiles.first().dblclick();
    const viewer = page.getByTestId('viewer');
    await viewer.waitFor();

    // One "Made from": both references under it, same size, the library one opens its image.
    const lineage = page.getByTestId('viewer-lineage');
    await expect.poll(() => page.getByTestId('lineage-reference').count()).toBe(2);
    const labels = await viewer
      .locator('h3, .field-label, dt')
      .evaluateAll((nodes: unknown[]) =>
        nodes.map((node) => (node as PageElement).textContent?.trim() ?? ''),
      );
    expect(labels.filter((label) => label === text.viewer.parents)).toHaveLength(1);
    const sizes = await lineage.getByTestId('lineage-reference').evaluateAll((nodes: unknown[]) =>
      nodes.map((node) => {
        const box = (node as PageElement).getBoundingClientRect();
        return `${Math.round(box.width)}×${Math.round(box.height)}`;
      }),
    );
    expect(new Set(sizes).size).toBe(1);
    const fromLibrary = lineage.locator(`[data-testid="lineage-reference"][data-image-id="${source}"]`);
    expect(await fromLibrary.evaluate((node: unknown) => (node as PageElement).tagName)).toBe('BUTTON');
    await snap(page, `covering-${language}-viewer-lineage`);

    // Zoom: "Fit" when fitted; zoomed in, the share of the picture's own pixels shown.
    const label = page.getByTestId('viewer-zoom-reset');
    expect(await label.innerText()).toBe(text.viewer.zoomFit);
    const image = page.getByTestId('viewer-image');
    await expect
      .poll(() => image.evaluate((node: unknown) => (node as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    const natural = await image.evaluate((node: unknown) => {
      const element = node as { naturalWidth: number; naturalHeight: number };
      return { width: element.naturalWidth, height: element.naturalHeight };
    });
    const stage = await rectOf(page.getByTestId('viewer-stage'));
    const fit = Math.min(
      (stage.right - stage.left) / natural.width,
      (stage.bottom - stage.top) / natural.height,
    );
    await page.getByTestId('viewer-zoom-in').click();
    await expect.poll(() => label.innerText()).toBe(`${Math.round(fit * 1.25 * 100)}%`);
    await page.getByTestId('viewer-zoom-in').click();
    await expect.poll(() => label.innerText()).toBe(`${Math.round(fit * 1.25 * 1.25 * 100)}%`);
    await snap(page, `covering-${language}-viewer-zoomed`);
    await label.click();
    await expect.poll(() => label.innerText()).toBe(text.viewer.zoomFit);

    // The favourite toggle and the five rating stars: different marks, named for screen readers.
    const favourite = page.getByTestId('viewer-favourite');
    expect(await favourite.getAttribute('aria-label')).toBe(text.gallery.favouriteToggle);
    expect(await favourite.getAttribute('aria-pressed')).toBe('false');
    const rating = page.getByTestId('viewer-rating');
    expect(await rating.getAttribute('role')).toBe('radiogroup');
    const stars = await rating.getByRole('radio').all();
    expect(stars).toHaveLength(5);
    for (const [index, star] of stars.entries()) {
      expect(await star.getAttribute('aria-label')).toBe(
        text.rating.rate.replace('{{rating}}', String(index + 1)),
      );
      expect(await star.getAttribute('aria-checked')).toBe('false');
    }
    const marks = new Set([
      await favourite.innerText(),
      ...(await Promise.all(stars.map((s) => s.innerText()))),
    ]);
    expect(marks.size).toBe(2);
    await page.getByTestId('viewer-rating-3').click();
    await expect.poll(() => page.getByTestId('viewer-rating-3').getAttribute('aria-checked')).toBe('true');
    expect(await page.getByTestId('viewer-rating-2').getAttribute('aria-checked')).toBe('false');
    await favourite.click();
    await expect.poll(() => favourite.getAttribute('aria-pressed')).toBe('true');
    expect(await favourite.getAttribute('aria-label')).toBe(text.gallery.favouriteToggle);
    const turnedOn = new Set([
      await favourite.innerText(),
      ...(await Promise.all(stars.map((star) => star.innerText()))),
    ]);
    expect(turnedOn.size).toBeGreaterThanOrEqual(3);
    await snap(page, `covering-${language}-viewer-marked`);

    // A toast raised in the viewer sits on the picture's corner: off the details and the zoom tools.
    const report: string[] = [];
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await page.getByTestId('viewer-copy').click();
      const toast = page.locator('[data-testid="toast"][data-kind="copied"]').last();
      await toast.waitFor();
      const box = await rectOf(toast);
      for (const [name, selector] of [
        ['the details', '.viewer-info'],
        ['the zoom tools', '.stage-tools'],
        ['the previous arrow', '[data-testid="viewer-prev"]'],
      ] as const) {
        const other = await rectOf(page.locator(selector));
        if (overlap(box, other))
          report.push(`${width}×${height}: toast ${show(box)} covers ${name} ${show(other)}`);
      }
      await snap(page, `covering-${language}-${width}-viewer-toast`);
    }
    expect(report).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);
});
