import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { StagedReference } from '@shared/domain/reference';
import { boxOf, isFocused, layoutProblems, overlaps } from './geometry';
import { launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const tiles = (page: Page): Locator => page.getByTestId('gallery-item');
const tile = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="gallery-item"][data-image-id="${id}"]`);

async function dispatch<T>(stack: Stack, route: string, input: unknown): Promise<T> {
  const result = await stack.harness.core.dispatch(route, input, { transport: 'test' });
  if (!result.ok) throw new Error(`${route}: ${result.error.message}`);
  return result.value as T;
}

/** Demo images of three shapes (so three pixel sizes), and one made from the first. */
async function seed(
  stack: Stack,
  page: Page,
): Promise<{ wide: string; tall: string; square: string; edit: string }> {
  const base = { model: 'google/nano-banana', outputFormat: 'png', resolution: null };
  const ids: string[] = [];
  for (const [prompt, aspectRatio] of [
    ['a wide harbour at dusk', '16:9'],
    ['a tall lighthouse', '9:16'],
    ['a square tile of moss', '1:1'],
  ] as const) {
    const job = await dispatch<Job>(stack, 'jobs.submit', { ...base, prompt, aspectRatio });
    ids.push(job.id);
  }
  await expect.poll(() => tiles(page).count(), { timeout: 30_000 }).toBe(3);
  const jobs = await dispatch<Job[]>(stack, 'jobs.list', { limit: 10 });
  const imageOf = (jobId: string) => jobs.find((job) => job.id === jobId)?.imageIds[0] ?? '';
  const [wide, tall, square] = ids.map(imageOf) as [string, string, string];
  const reference = await dispatch<StagedReference>(stack, 'references.fromGallery', { imageId: wide });
  await dispatch<Job>(stack, 'jobs.submit', {
    ...base,
    prompt: 'the same harbour at night',
    aspectRatio: '4:3',
    references: [reference.id],
  });
  await expect.poll(() => tiles(page).count(), { timeout: 30_000 }).toBe(4);
  const edit = (
    await dispatch<{ items: { id: string }[] }>(stack, 'gallery.query', {
      query: { text: 'night' },
      cursor: null,
      limit: 5,
    })
  ).items[0]?.id;
  if (!edit) throw new Error('the edit did not arrive');
  return { wide, tall, square, edit };
}

const view = (page: Page): Locator => page.getByTestId('compare-view');
const split = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('compare-split').getAttribute('data-split'));
const scale = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('compare-body').getAttribute('data-scale'));
const transforms = (page: Page): Promise<string[]> =>
  page
    .getByTestId('compare-image')
    .evaluateAll((nodes) =>
      nodes.map((node) => (node as unknown as { style: { transform: string } }).style.transform),
    );

describe('compare anything (Chromium)', () => {
  for (const language of ['en', 'zh-CN'] as const) {
    it(`${language}: 2 on a slider or side by side, 3 on a board, the viewer's original — mouse and keys`, async () => {
      const text = TRANSLATIONS[language];
      const stack = await startStack({ initialSettings: { demoMode: true, language } });
      try {
        const { page, problems } = await openApp(browser, stack, { width: 1280, height: 820 });
        const { wide, tall, square, edit } = await seed(stack, page);
        const tag = `compare-${language}`;

        // ── Mouse: select two of different shapes, Compare in the selection bar. ──
        await tile(page, wide).click();
        expect(await page.getByTestId('bulk-compare').isDisabled()).toBe(true);
        await tile(page, tall).click({ modifiers: ['Control'] });
        await page.getByTestId('bulk-compare').click();
        await view(page).waitFor();
        expect(await view(page).getAttribute('data-layout')).toBe('slider');
        expect(await isFocused(page.getByTestId('compare-close'))).toBe(true);
        await expect.poll(() => page.getByTestId('compare-image').count()).toBe(2);
        // In the gallery's order: the first one under, the second over it.
        const order = await page
          .getByTestId('gallery-item')
          .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-image-id')));
        expect(
          await page
            .getByTestId('compare-image')
            .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-image-id'))),
        ).toEqual(order.filter((id) => id === wide || id === tall));
        // Each picture is fitted into the same box, and each one's own pixel size is written under it.
        const stageBox = await boxOf(page.getByTestId('compare-slider-stage'));
        for (const image of await page.getByTestId('compare-image').all()) {
          const box = await boxOf(image);
          expect(Math.abs(box.width - stageBox.width)).toBeLessThan(1.5);
          expect(Math.abs(box.height - stageBox.height)).toBeLessThan(1.5);
        }
        const sizes = await page.getByTestId('compare-size').allInnerTexts();
        expect(sizes).toHaveLength(2);
        expect(sizes[0]).not.toBe(sizes[1]);
        const pixelWord = language === 'en' ? 'px' : '像素';
        for (const size of sizes) expect(size).toMatch(new RegExp(`^\\d[\\d,]* × \\d[\\d,]* ${pixelWord}$`));
        expect(await page.getByTestId('compare-view').locator('h2').innerText()).toBe(
          text.compare.title.replace('{{count}}', '2'),
        );
        expect(await layoutProblems(page, '[data-testid="compare-view"]')).toEqual([]);
        await snap(page, `${tag}-01-slider`);

        // Drag the divider to a quarter of the width.
        const handle = page.getByTestId('compare-split');
        const grip = await boxOf(handle);
        await page.mouse.move(grip.x + grip.width / 2, stageBox.y + stageBox.height / 2);
        await page.mouse.down();
        await page.mouse.move(stageBox.x + stageBox.width * 0.25, stageBox.y + stageBox.height / 2, {
          steps: 6,
        });
        await page.mouse.up();
        expect(Math.abs((await split(page)) - 25)).toBeLessThan(1);
        expect(
          await page
            .locator('.compare-layer')
            .nth(1)
            .evaluate((node) => (node as unknown as { style: { clipPath: string } }).style.clipPath),
        ).toMatch(/inset\(0(px)? 0(px)? 0(px)? 2[45](\.\d+)?%\)/);
        // A drag anywhere on the pictures while they are fitted moves it too.
        await page.mouse.click(stageBox.x + stageBox.width * 0.7, stageBox.y + stageBox.height * 0.3);
        expect(Math.abs((await split(page)) - 70)).toBeLessThan(1);

        // Keys: ← / → by 5, Shift for 1, Home and End.
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('ArrowLeft');
        expect(Math.round(await split(page))).toBe(60);
        await page.keyboard.press('Shift+ArrowRight');
        expect(Math.round(await split(page))).toBe(61);
        await page.keyboard.press('Home');
        expect(await split(page)).toBe(0);
        await page.keyboard.press('End');
        expect(await split(page)).toBe(100);
        await page.keyboard.press('Home');
        for (let step = 0; step < 10; step += 1) await page.keyboard.press('ArrowRight');
        expect(await split(page)).toBe(50);
        expect(await handle.getAttribute('aria-valuenow')).toBe('50');

        // Zoom with the wheel, then pan with a drag: both pictures move as one.
        await page.mouse.move(stageBox.x + stageBox.width * 0.3, stageBox.y + stageBox.height * 0.4);
        await page.mouse.wheel(0, -400);
        await expect.poll(() => scale(page)).toBeGreaterThan(1.5);
        const zoomLabel = await page.getByTestId('compare-zoom-reset').innerText();
        expect(zoomLabel).toMatch(/^×\d/);
        await page.mouse.down();
        await page.mouse.move(
          stageBox.x + stageBox.width * 0.3 + 80,
          stageBox.y + stageBox.height * 0.4 + 30,
          { steps: 5 },
        );
        await page.mouse.up();
        expect(await split(page)).toBe(50);
        const panned = await transforms(page);
        expect(panned[0]).toBe(panned[1]);
        expect(Number(await page.getByTestId('compare-body').getAttribute('data-x'))).not.toBe(0);
        // While zoomed each picture says how big it is drawn against its own pixels.
        for (const size of await page.getByTestId('compare-size').allInnerTexts())
          expect(size).toMatch(/ · \d+\s?%$/);
        await snap(page, `${tag}-02-slider-zoomed`);
        await page.keyboard.press('0');
        await expect.poll(() => scale(page)).toBe(1);
        await page.keyboard.press('+');
        await expect.poll(() => scale(page)).toBeCloseTo(1.25, 2);
        await page.getByTestId('compare-zoom-in').click();
        await expect.poll(() => scale(page)).toBeCloseTo(1.5625, 2);
        await page.getByTestId('compare-zoom-reset').click();
        await expect.poll(() => scale(page)).toBe(1);

        // Side by side: a click on the toggle, and S back and forth.
        await page.getByTestId('compare-layout-side').click();
        expect(await view(page).getAttribute('data-layout')).toBe('sideBySide');
        const panes = page.getByTestId('compare-pane');
        expect(await panes.count()).toBe(2);
        const [left, right] = [await boxOf(panes.nth(0)), await boxOf(panes.nth(1))];
        expect(overlaps(left, right)).toBe(false);
        expect(Math.abs(left.width - right.width)).toBeLessThan(1);
        expect(left.x + left.width).toBeLessThanOrEqual(right.x + 0.5);
        expect(right.x + right.width).toBeLessThanOrEqual(1280);
        // The wheel over the right pane zooms both.
        await page.mouse.move(right.x + right.width / 2, right.y + right.height / 3);
        await page.mouse.wheel(0, -300);
        await expect.poll(() => scale(page)).toBeGreaterThan(1.3);
        const sideBySide = await transforms(page);
        expect(sideBySide[0]).toBe(sideBySide[1]);
        expect(await layoutProblems(page, '[data-testid="compare-view"]')).toEqual([]);
        await snap(page, `${tag}-03-side-by-side`);
        await page.keyboard.press('s');
        expect(await view(page).getAttribute('data-layout')).toBe('slider');
        await page.keyboard.press('S');
        expect(await view(page).getAttribute('data-layout')).toBe('sideBySide');

        // Esc closes it, and the focus goes back to where it was.
        await page.keyboard.press('Escape');
        await view(page).waitFor({ state: 'detached' });
        expect(await isFocused(page.getByTestId('bulk-compare'))).toBe(true);

        // ── Keyboard: select three in the grid, C opens a board. ──
        await page.getByTestId('selection-clear').click();
        await tile(page, edit).click();
        await page.keyboard.press('Home');
        await page.keyboard.press('Shift+ArrowRight');
        await page.keyboard.press('Shift+ArrowRight');
        await expect.poll(() => page.getByTestId('selection-count').getAttribute('data-count')).toBe('3');
        await page.keyboard.press('c');
        await view(page).waitFor();
        expect(await view(page).getAttribute('data-layout')).toBe('board');
        expect(await page.getByTestId('compare-layout-side').count()).toBe(0);
        await expect.poll(() => page.getByTestId('compare-image').count()).toBe(3);
        const board = await Promise.all((await panes.all()).map((pane) => boxOf(pane)));
        for (let a = 0; a < board.length; a += 1)
          for (let b = a + 1; b < board.length; b += 1) expect(overlaps(board[a]!, board[b]!)).toBe(false);
        // Two columns: the third one goes under the first.
        expect(Math.abs((board[2]?.x ?? 0) - (board[0]?.x ?? 1))).toBeLessThan(1);
        expect(board[2]!.y).toBeGreaterThan(board[0]!.y + board[0]!.height - 1);
        for (const box of board) expect(box.y + box.height).toBeLessThanOrEqual(820);
        await page.keyboard.press('+');
        await page.keyboard.press('+');
        const onBoard = await transforms(page);
        expect(new Set(onBoard).size).toBe(1);
        expect(onBoard[0]).toContain('scale(1.5625)');
        expect(await layoutProblems(page, '[data-testid="compare-view"]')).toEqual([]);
        await snap(page, `${tag}-04-board`);
        await page.keyboard.press('Escape');
        await view(page).waitFor({ state: 'detached' });

        // One picture is not enough: C says what it needs.
        await page.keyboard.press('Escape');
        await tile(page, square).click();
        await page.keyboard.press('c');
        await expect.poll(() => page.getByTestId('toasts').innerText()).toContain(text.compare.needs);
        expect(await view(page).count()).toBe(0);

        // ── The viewer: Compare with original opens the one compare view, captioned. ──
        await tile(page, edit).dblclick();
        await page.getByTestId('viewer').waitFor();
        await page.getByTestId('viewer-compare').click();
        await view(page).waitFor();
        await expect
          .poll(() => page.getByTestId('compare-caption').allInnerTexts())
          .toEqual([text.compare.original, text.compare.result]);
        expect(
          await page
            .getByTestId('compare-image')
            .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-image-id'))),
        ).toEqual([wide, edit]);
        expect(await page.getByTestId('viewer-compare-view').count()).toBe(0);
        await snap(page, `${tag}-05-viewer-original`);
        await page.keyboard.press('Escape');
        await view(page).waitFor({ state: 'detached' });
        expect(await page.getByTestId('viewer').count()).toBe(1);
        // C in the viewer does the same; Esc closes the compare view, then the viewer.
        await page.keyboard.press('c');
        await view(page).waitFor();
        await page.keyboard.press('Escape');
        await view(page).waitFor({ state: 'detached' });
        await page.keyboard.press('Escape');
        await page.getByTestId('viewer').waitFor({ state: 'detached' });

        // The shortcuts sheet lists C.
        await tile(page, square).click();
        await page.keyboard.press('?');
        const sheet = page.getByTestId('shortcuts-sheet');
        await sheet.waitFor();
        expect(await sheet.innerText()).toContain(text.shortcuts.groups.compare);
        expect(await sheet.innerText()).toContain(text.shortcuts.actions.moveSplit);
        await page.keyboard.press('Escape');

        expect(problems).toEqual([]);
      } finally {
        await stack.close();
      }
    });
  }

  for (const language of ['en', 'zh-CN'] as const) {
    it(`${language} at 900×600: every layout's controls fit, none on another, none cut`, async () => {
      const stack = await startStack({ initialSettings: { demoMode: true, language } });
      try {
        const { page, problems } = await openApp(browser, stack, { width: 900, height: 600 });
        const { wide, tall, square, edit } = await seed(stack, page);
        await tile(page, wide).click();
        await tile(page, tall).click({ modifiers: ['Control'] });
        await page.keyboard.press('c');
        await view(page).waitFor();
        await page.keyboard.press('+');
        const report: string[] = [];
        const check = async (name: string) => {
          report.push(
            ...(await layoutProblems(page, '[data-testid="compare-view"]')).map(
              (problem) => `${name}: ${problem}`,
            ),
          );
          const split = page.getByTestId('compare-split');
          if ((await split.count()) > 0) {
            const box = await boxOf(split);
            if (box.y + box.height > 600 || box.x + box.width > 900)
              report.push(`${name}: the divider is off-screen`);
          }
        };
        await check('slider');
        await snap(page, `compare-${language}-900-slider`);
        await page.keyboard.press('s');
        await check('side by side');
        await page.keyboard.press('Escape');
        await tile(page, square).click({ modifiers: ['Control'] });
        await tile(page, edit).click({ modifiers: ['Control'] });
        await page.keyboard.press('c');
        await expect.poll(() => page.getByTestId('compare-pane').count()).toBe(4);
        await check('board of 4');
        for (const note of await page.getByTestId('compare-note').all()) {
          const box = await boxOf(note);
          if (box.y + box.height > 600) report.push('board of 4: a note under a picture is off-screen');
        }
        await snap(page, `compare-${language}-900-board`);
        expect(report).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await stack.close();
      }
    });
  }
});
