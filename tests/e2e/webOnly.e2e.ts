import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

/**
 * The web version cannot show a folder, start an app or hand the OS a file drag: those viewer
 * and tile actions are not offered as if they worked. The viewer says where they are, offers a
 * download instead, copies through the browser's clipboard, and a tile dragged out carries the
 * picture itself (Chromium's DownloadURL) rather than asking core for a drag it cannot start.
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

/** The little of the page's DOM the check reads (tests are type-checked without DOM types). */
interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
interface ActionElement {
  tagName: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): Rect;
  querySelectorAll(selector: string): Iterable<ActionElement>;
}
interface ActionScope {
  document: {
    querySelector(selector: string): ActionElement | null;
    createRange(): { selectNodeContents(node: unknown): void; getClientRects(): Iterable<Rect> };
    createTreeWalker(
      root: ActionElement,
      whatToShow: 4,
    ): { nextNode(): { textContent: string | null } | null };
  };
}

/** The viewer's actions: each inside the details pane, none clipped, no label over two lines. */
async function actionProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as ActionScope;
    const pane = scope.document.querySelector('.viewer-info');
    const group = scope.document.querySelector('.viewer-actions');
    if (!pane || !group) return ['no viewer actions'];
    const outer = pane.getBoundingClientRect();
    const found: string[] = [];
    for (const element of Array.from(group.querySelectorAll('button, a, p'))) {
      const name = element.textContent?.trim().slice(0, 30) ?? element.tagName;
      const box = element.getBoundingClientRect();
      if (box.left < outer.left - 0.5 || box.right > outer.right + 0.5) found.push(`“${name}” sticks out`);
      if (element.scrollWidth - element.clientWidth > 1) found.push(`“${name}” is clipped`);
      if (element.tagName === 'P') continue;
      const walker = scope.document.createTreeWalker(element, 4);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const range = scope.document.createRange();
        range.selectNodeContents(node);
        const lines = new Set(Array.from(range.getClientRects()).map((line) => Math.round(line.top)));
        if (lines.size > 1) found.push(`“${name}” wraps onto ${lines.size} lines`);
      }
    }
    return found;
  });
}

describe.each(['en', 'zh-CN'] as const)('desktop-only actions in the web version (%s)', (language) => {
  const text = TRANSLATIONS[language];

  it('the viewer offers no action that would do nothing: it explains, downloads and copies for real', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack, {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    await page.getByTestId('prompt-input').fill(language === 'en' ? 'a lighthouse at dawn' : '黎明时的灯塔');
    await page.getByTestId('submit-button').click();
    const tile = page.getByTestId('gallery-item').first();
    await tile.waitFor({ timeout: 30_000 });
    await tile.dblclick();
    await page.getByTestId('viewer').waitFor();

    expect(await page.getByTestId('viewer-reveal').count()).toBe(0);
    expect(await page.getByTestId('viewer-open').count()).toBe(0);
    expect(await page.getByTestId('viewer-desktop-only').innerText()).toBe(text.viewer.desktopOnly);
    expect(await actionProblems(page)).toEqual([]);
    await snap(page, `web-only-${language}-viewer`);

    // Download: the picture itself, under its library file name.
    const id = (await tile.getAttribute('data-image-id')) ?? '';
    const download = page.getByTestId('viewer-download');
    expect(await download.innerText()).toBe(text.viewer.download);
    const href = (await download.getAttribute('href')) ?? '';
    const file = await stack.harness.core.resolveGalleryFile('image', id);
    await file?.handle.close();
    expect(await download.getAttribute('download')).toBe(file?.filePath.split('/').pop());
    const fetched = await fetch(new URL(href, stack.harness.url));
    expect(fetched.status).toBe(200);
    const meta = await sharp(Buffer.from(await fetched.arrayBuffer())).metadata();
    expect([meta.format, meta.width]).toEqual(['png', 1024]);

    // Copy goes to the browser's clipboard, as a PNG, and says so.
    await page.getByTestId('viewer-copy').click();
    const copied = page.locator('[data-testid="toast"][data-kind="copied"]');
    await copied.waitFor();
    expect(await copied.locator('span').first().innerText()).toBe(text.toast.copied);
    const types = await page.evaluate<string[]>(
      'navigator.clipboard.read().then((items) => items.flatMap((item) => [...item.types]))',
    );
    expect(types).toContain('image/png');
    expect(stack.harness.shellActions.filter((action) => action.action === 'copyImage')).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);

  it('a tile dragged out carries the picture, and core is not asked for a drag it cannot start', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack);
    await page.getByTestId('prompt-input').fill('a red fox in snow');
    await page.getByTestId('submit-button').click();
    const tile = page.getByTestId('gallery-item').first();
    await tile.waitFor({ timeout: 30_000 });
    const id = (await tile.getAttribute('data-image-id')) ?? '';
    const file = await stack.harness.core.resolveGalleryFile('image', id);
    await file?.handle.close();

    const transfer = await page.evaluateHandle('new DataTransfer()');
    await tile.dispatchEvent('dragstart', { dataTransfer: transfer });
    const carried = await transfer.evaluate((data) => {
      const get = (type: string) => (data as { getData(type: string): string }).getData(type);
      return { download: get('DownloadURL'), uris: get('text/uri-list') };
    });
    const url = new URL(`/gallery/image/${id}`, stack.harness.url);
    expect(carried.uris).toContain('/gallery/image/');
    expect(carried.download).toBe(`image/png:${file?.filePath.split('/').pop()}:${carried.uris}`);
    expect(carried.download).toContain(url.pathname);
    // Give a stray request time to arrive before saying there was none.
    await page.waitForTimeout(300);
    expect(stack.harness.shellActions.filter((action) => action.action === 'startDrag')).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);
});
