import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, snap, startStack, watchConsole } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('library folder in Chromium', () => {
  it('moves the library to a new folder, keeps showing the images, and explains a refusal', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true } });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const problems = watchConsole(page);
      await page.goto(stack.harness.url);
      await page.getByTestId('prompt-input').fill('a lighthouse made of bananas');
      await page.getByTestId('submit-button').click();
      await page.getByTestId('gallery-item').first().waitFor({ timeout: 20_000 });
      const oldRoot = stack.harness.libraryDir;
      expect(existsSync(oldRoot)).toBe(true);

      await page.getByTestId('open-settings').click();
      await page.getByTestId('library-path').getByText(oldRoot).waitFor();
      // The harness's folder picker answers with <data>/exports.
      await page.getByTestId('library-move').click();
      const newRoot = join(stack.harness.dataDir, 'exports');
      await page.getByTestId('settings-notice').getByText(newRoot).waitFor();
      await page.getByTestId('library-path').getByText(newRoot).waitFor();
      await snap(page, 'library-01-moved');
      expect(existsSync(oldRoot)).toBe(false);
      expect((await readdir(newRoot, { recursive: true })).some((name) => name.endsWith('.png'))).toBe(true);

      // Picking the library itself again is refused, in plain words, and nothing changes.
      await page.getByTestId('library-move').click();
      await page.getByTestId('library-move-error').getByText('cannot be inside the current one').waitFor();
      await page.getByTestId('settings-close').click();

      // The image is still served from its new home.
      const loaded = await page
        .getByTestId('gallery-item')
        .first()
        .locator('img')
        .evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0);
      expect(loaded).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});
