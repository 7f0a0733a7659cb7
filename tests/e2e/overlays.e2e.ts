import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, snap, startStack, type Stack } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PROMPTS = ['a banana boat at sunset', 'a banana bridge in fog', 'a banana kite over hills'];

const tiles = (page: Page): Locator => page.getByTestId('gallery-item');
const tile = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="gallery-item"][data-image-id="${id}"]`);
const tileIds = (page: Page): Promise<string[]> =>
  tiles(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-image-id') ?? ''));

/** Demo-mode images, all in the gallery before the test goes on. */
async function generate(page: Page, prompts: readonly string[]): Promise<void> {
  for (const [index, prompt] of prompts.entries()) {
    await page.getByTestId('prompt-input').fill(prompt);
    const submit = page.getByTestId('submit-button');
    await expect.poll(() => submit.isEnabled()).toBe(true);
    await submit.click();
    await expect.poll(() => page.getByTestId('job-item').count()).toBeGreaterThanOrEqual(index + 1);
  }
  await expect.poll(() => tiles(page).count(), { timeout: 30_000 }).toBe(prompts.length);
  // Thumbnails loaded: one still loading when its image is trashed would answer 404.
  await expect
    .poll(() =>
      tiles(page)
        .locator('img')
        .evaluateAll((nodes) =>
          nodes.every((node) => (node as unknown as { naturalWidth: number }).naturalWidth > 0),
        ),
    )
    .toBe(true);
}

/** A Demo-mode stack with `count` images in the gallery and the app open; no console problems. */
async function withImages(count: number, test: (page: Page, stack: Stack) => Promise<void>): Promise<void> {
  const stack = await startStack({ initialSettings: { demoMode: true } });
  try {
    const { context, page, problems } = await openApp(browser, stack);
    await generate(page, PROMPTS.slice(0, count));
    await test(page, stack);
    expect(problems).toEqual([]);
    await context.close();
  } finally {
    await stack.close();
  }
}

/** Where the focus is: the element's test id (or tag), and the overlay (by test id) around it. */
async function focusIn(page: Page): Promise<{ id: string; within: string }> {
  return page.evaluate<{ id: string; within: string }>(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { id: 'body', within: '' };
    const overlay = el.closest('[aria-modal="true"], .popover-panel');
    return {
      id: el.dataset.testid || el.tagName.toLowerCase(),
      within: overlay ? overlay.dataset.testid || overlay.className : '',
    };
  })()`);
}

/** The images in "Recently deleted", from core. */
async function trashedCount(stack: Stack): Promise<number> {
  const result = await stack.harness.core.dispatch(
    'gallery.trashList',
    { limit: 500 },
    { transport: 'test' },
  );
  if (!result.ok) throw new Error(`gallery.trashList: ${result.error.message}`);
  return (result.value as { total: number }).total;
}

describe('overlays in Chromium: focus, Tab, Esc and keys behind a modal', () => {
  it('viewer → "?" sheet → Esc closes only the sheet → Esc closes the viewer, focus back on the grid', async () => {
    await withImages(PROMPTS.length, async (page, stack) => {
      const [first, second] = (await tileIds(page)) as [string, string];
      const grid = page.getByTestId('gallery-grid');
      const viewer = page.getByTestId('viewer');
      const sheet = page.getByTestId('shortcuts-sheet');

      await tile(page, first).click();
      await page.keyboard.press('Enter');
      await viewer.waitFor();
      expect(await focusIn(page)).toEqual({ id: 'viewer-close', within: 'viewer' });

      // "?" opens the sheet over the viewer; the viewer's keys do nothing under it.
      await page.keyboard.press('?');
      await sheet.waitFor();
      expect(await focusIn(page)).toEqual({ id: 'shortcuts-close', within: 'shortcuts-sheet' });
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Delete');
      for (let stop = 0; stop < 3; stop += 1) {
        await page.keyboard.press('Tab');
        expect((await focusIn(page)).within).toBe('shortcuts-sheet');
      }
      await snap(page, 'overlays-01-sheet-over-viewer');
      expect(await viewer.getAttribute('data-image-id')).toBe(first);

      // Esc closes only the sheet; the focus is back where it was in the viewer, which still steps.
      await page.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });
      expect(await viewer.isVisible()).toBe(true);
      expect(await focusIn(page)).toEqual({ id: 'viewer-close', within: 'viewer' });
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => viewer.getAttribute('data-image-id')).toBe(second);
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => viewer.getAttribute('data-image-id')).toBe(first);

      // Esc closes the viewer; the grid has the focus again, on the tile that opened it.
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });
      expect(await focusIn(page)).toEqual({ id: 'gallery-grid', within: '' });
      expect(await grid.getAttribute('aria-activedescendant')).toBe(`tile-${first}`);
      // Nothing was deleted by the Delete pressed under the sheet.
      expect(await tiles(page).count()).toBe(PROMPTS.length);
      expect(await trashedCount(stack)).toBe(0);
    });
  });

  it('Settings: focus inside, Tab wraps both ways, Delete leaves the selection alone, logs over it close first', async () => {
    await withImages(2, async (page, stack) => {
      const [first] = (await tileIds(page)) as [string];
      const settings = page.getByTestId('settings-dialog');

      await tile(page, first).click();
      await expect.poll(() => page.getByTestId('selection-count').getAttribute('data-count')).toBe('1');
      await page.getByTestId('open-settings').click();
      await settings.waitFor();
      expect(await focusIn(page)).toEqual({ id: 'settings-close', within: 'settings-dialog' });

      // Shift+Tab from the first control goes to the last one, Tab from there back to the first.
      await page.keyboard.press('Shift+Tab');
      const last = await focusIn(page);
      expect(last.within).toBe('settings-dialog');
      expect(last.id).not.toBe('settings-close');
      await page.keyboard.press('Tab');
      expect(await focusIn(page)).toEqual({ id: 'settings-close', within: 'settings-dialog' });
      // A full round of Tab never leaves the dialog.
      const seen = new Set<string>();
      for (let stop = 0; stop < 40; stop += 1) {
        await page.keyboard.press('Tab');
        const now = await focusIn(page);
        expect(now.within).toBe('settings-dialog');
        seen.add(now.id);
      }
      expect(seen.has('settings-close')).toBe(true);
      expect(seen.size).toBeGreaterThan(5);

      // Delete, on a control or after a click on the dialog's text, does not reach the gallery.
      await page.keyboard.press('Delete');
      await settings.locator('h2').click();
      expect((await focusIn(page)).within).toBe('settings-dialog');
      await page.keyboard.press('Delete');

      // The log dialog opened from Settings closes first, and gives the focus back to its button.
      await page.getByTestId('open-logs').click();
      await page.getByTestId('log-dialog').waitFor();
      expect((await focusIn(page)).within).toBe('log-dialog');
      await snap(page, 'overlays-02-logs-over-settings');
      await page.keyboard.press('Escape');
      await page.getByTestId('log-dialog').waitFor({ state: 'detached' });
      expect(await settings.isVisible()).toBe(true);
      expect(await focusIn(page)).toEqual({ id: 'open-logs', within: 'settings-dialog' });

      await page.keyboard.press('Escape');
      await settings.waitFor({ state: 'detached' });
      expect(await focusIn(page)).toEqual({ id: 'open-settings', within: '' });
      expect(await page.getByTestId('selection-count').getAttribute('data-count')).toBe('1');
      expect(await trashedCount(stack)).toBe(0);
      expect(await tiles(page).count()).toBe(2);

      // The same Delete in the grid does trash the selection: the key was really held back above.
      await tile(page, first).click();
      await page.keyboard.press('Delete');
      await expect.poll(() => tiles(page).count()).toBe(1);
      // The tile leaves at once; core's move to "Recently deleted" may finish a moment later.
      await expect.poll(() => trashedCount(stack)).toBe(1);
    });
  });

  it('a confirmation: the focus on Cancel, Tab stays in it, "?" waits, Esc cancels and nothing is deleted', async () => {
    await withImages(1, async (page, stack) => {
      const confirm = page.getByTestId('confirm-dialog');

      await tiles(page).first().click();
      await page.keyboard.press('Delete');
      await page.getByTestId('view-trash').click();
      await expect.poll(() => page.getByTestId('trash-item').count()).toBe(1);
      await page.getByTestId('trash-purge').click();
      await confirm.waitFor();
      expect(await focusIn(page)).toEqual({ id: 'confirm-cancel', within: 'confirm-dialog' });
      await page.keyboard.press('Tab');
      expect(await focusIn(page)).toEqual({ id: 'confirm-ok', within: 'confirm-dialog' });
      await page.keyboard.press('Tab');
      expect(await focusIn(page)).toEqual({ id: 'confirm-cancel', within: 'confirm-dialog' });
      await page.keyboard.press('?');
      expect(await page.getByTestId('shortcuts-sheet').count()).toBe(0);
      await snap(page, 'overlays-03-confirm');

      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      expect(await focusIn(page)).toEqual({ id: 'trash-purge', within: '' });
      expect(await page.getByTestId('trash-item').count()).toBe(1);
      expect(await trashedCount(stack)).toBe(1);
      expect(stack.harness.shellActions.some((action) => action.action === 'trash')).toBe(false);
    });
  });

  it('a popover: a sheet opened over it closes first, then Esc closes the popover onto its button', async () => {
    await withImages(1, async (page) => {
      const input = page.getByTestId('tag-input');

      await tiles(page).first().click();
      await page.getByTestId('bulk-tag').click();
      await input.waitFor();
      expect(await focusIn(page)).toEqual({ id: 'tag-input', within: 'popover-panel' });

      // From its trigger (a popover does not trap Tab), "?" opens the sheet over the popover.
      await page.keyboard.press('Shift+Tab');
      expect((await focusIn(page)).id).toBe('bulk-tag');
      await page.keyboard.press('?');
      await page.getByTestId('shortcuts-sheet').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('shortcuts-sheet').waitFor({ state: 'detached' });
      expect(await input.isVisible()).toBe(true);
      expect((await focusIn(page)).id).toBe('bulk-tag');

      // Esc in the popover closes it (and only it: the selection stays) and the trigger has the focus.
      await input.focus();
      await page.keyboard.press('Escape');
      await input.waitFor({ state: 'detached' });
      expect(await focusIn(page)).toEqual({ id: 'bulk-tag', within: '' });
      expect(await page.getByTestId('selection-count').getAttribute('data-count')).toBe('1');
    });
  });
});
