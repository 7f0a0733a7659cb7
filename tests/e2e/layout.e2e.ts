import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, snap, startStack } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Text that does not fit: a control or label whose content is wider than its box without being
 * meant to be cut (no `text-overflow: ellipsis`), or anything pushing the page wider than the
 * window. Chinese labels are shorter in characters but not always in pixels, so both languages
 * are checked, at the default size and at the smallest the window allows (900 × 600).
 */
/** The little of the page's DOM the check reads (this file is type-checked without DOM types). */
interface PageElement {
  tagName: string;
  className: string;
  textContent: string | null;
  closest(selector: string): PageElement | null;
  dataset: Record<string, string | undefined>;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): { width: number; height: number; right: number };
}
interface PageScope {
  innerWidth: number;
  document: {
    documentElement: { scrollWidth: number };
    querySelectorAll(selector: string): Iterable<PageElement>;
    createRange(): {
      selectNodeContents(node: unknown): void;
      getClientRects(): Iterable<{ top: number; height: number }>;
    };
    /** 4 is NodeFilter.SHOW_TEXT. */
    createTreeWalker(root: PageElement, whatToShow: 4): { nextNode(): { textContent: string | null } | null };
  };
  getComputedStyle(element: PageElement): { textOverflow: string; visibility: string; overflowX: string };
}

async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as PageScope;
    const found: string[] = [];
    const pageWidth = scope.document.documentElement.scrollWidth;
    if (pageWidth > scope.innerWidth + 1)
      found.push(`page is ${pageWidth}px wide in a ${scope.innerWidth}px window`);
    const selector = 'button, select, label, h1, h2, h3, summary, .field-label, .badge, .chip, [role="tab"]';
    for (const element of Array.from(scope.document.querySelectorAll(selector))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = scope.getComputedStyle(element);
      if (style.textOverflow === 'ellipsis' || style.visibility === 'hidden') continue;
      const text = element.textContent?.trim().slice(0, 40) ?? '';
      const over = element.scrollWidth - element.clientWidth;
      if (over > 1 && style.overflowX !== 'auto' && style.overflowX !== 'scroll') {
        const name = element.dataset['testid'] ?? (text || element.tagName);
        found.push(`${element.tagName.toLowerCase()} “${name}” overflows by ${over}px`);
      }
      if (box.right > scope.innerWidth + 1)
        found.push(`${element.tagName.toLowerCase()} “${text}” ends off-screen`);
      if (element.tagName === 'BUTTON' && text !== '') {
        // A label broken over two lines (保 / 存): one text's boxes sit at more than one height.
        // (Parts of a label laid out on purpose, like a price under "Generate", are separate texts.)
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
          if (lines.size > 1) found.push(`button “${text}” wraps onto ${lines.size} lines`);
        }
        // Settings uses the app's button styles throughout: no bare native button.
        if (element.className.trim() === '' && element.closest('[data-testid="settings-dialog"]'))
          found.push(`button “${text}” in Settings has no button style`);
      }
    }
    return found;
  });
}

describe('layout in English and Chinese (Chromium)', () => {
  for (const language of ['en', 'zh-CN'] as const) {
    for (const [width, height] of [
      [1280, 800],
      [1024, 768],
      [900, 600],
    ] as const) {
      it(`${language} at ${width}×${height}: nothing clipped on the main screen, in Settings, the shortcuts sheet, the viewer and the drawing editor`, async () => {
        const stack = await startStack({ initialSettings: { demoMode: true, language } });
        try {
          const { page, problems } = await openApp(browser, stack, { width, height });
          const tag = `layout-${language}-${width}`;
          // A finished image, so the gallery, the job list and the viewer have content.
          await page
            .getByTestId('prompt-input')
            .fill(language === 'en' ? 'a lighthouse at dawn' : '黎明时的灯塔');
          await page.getByTestId('submit-button').click();
          await page.getByTestId('gallery-item').first().waitFor({ timeout: 30_000 });
          await page.getByTestId('model-select').selectOption('nano-banana-2');
          const screens: [string, () => Promise<void>][] = [
            ['main', async () => undefined],
            [
              'settings',
              async () => {
                await page.getByTestId('open-settings').click();
                await page.getByTestId('settings-dialog').waitFor();
              },
            ],
            [
              'shortcuts',
              async () => {
                await page.keyboard.press('Escape');
                await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
                await page.getByTestId('gallery-item').first().click();
                await page.keyboard.press('?');
                await page.getByTestId('shortcuts-sheet').waitFor();
              },
            ],
            [
              'viewer',
              async () => {
                await page.keyboard.press('Escape');
                await page.getByTestId('shortcuts-sheet').waitFor({ state: 'detached' });
                await page.getByTestId('gallery-item').first().click();
                await page.keyboard.press('Enter');
                await page.getByTestId('viewer').waitFor();
              },
            ],
            [
              'annotate',
              async () => {
                await page.keyboard.press('Escape');
                await page.getByTestId('viewer').waitFor({ state: 'detached' });
                const picture = await sharp({
                  create: { width: 640, height: 480, channels: 3, background: '#808080' },
                })
                  .png()
                  .toBuffer();
                await page
                  .getByTestId('reference-picker')
                  .setInputFiles({ name: 'grey.png', mimeType: 'image/png', buffer: picture });
                await page.getByTestId('reference-annotate').click();
                await page.locator('[data-testid="annotate-stage"][data-ready="true"]').waitFor();
              },
            ],
          ];
          const report: string[] = [];
          for (const [name, open] of screens) {
            await open();
            await snap(page, `${tag}-${name}`);
            report.push(...(await clipped(page)).map((problem) => `${name}: ${problem}`));
          }
          expect(report).toEqual([]);
          expect(problems).toEqual([]);
        } finally {
          await stack.close();
        }
      });
    }
  }
});
