import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, snap, startStack, openApp, type OpenAppOptions } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const APP_OPTIONS: OpenAppOptions = {};

async function jobStates(page: Page, seen: Set<string>, until: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = await page
      .getByTestId('job-item')
      .first()
      .getAttribute('data-state')
      .catch(() => null);
    if (state) seen.add(state);
    if (state === until) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`job never reached ${until}; saw ${[...seen].join(', ')}`);
}

describe('walking skeleton in Chromium', () => {
  it('demo mode: prompt → job states → image in the gallery → still there after reload', async () => {
    const stack = await startStack({ initialSettings: { demoMode: false } });
    try {
      const { page, problems } = await openApp(browser, stack, APP_OPTIONS);
      await page.getByTestId('gallery-empty').waitFor();
      await snap(page, '01-first-start');

      await page.getByTestId('open-settings').click();
      await page.getByTestId('settings-dialog').waitFor();
      await page.getByTestId('demo-toggle').check();
      await snap(page, '02-settings-demo-on');
      await page.getByTestId('settings-close').click();
      await page.getByTestId('demo-badge').waitFor();

      const prompt = 'a yellow banana astronaut floating above Shanghai at night';
      await page.getByTestId('prompt-input').fill(prompt);
      await page.getByTestId('aspect-select').selectOption('16:9');
      await snap(page, '03-prompt-typed');
      await page.getByTestId('submit-button').click();

      const seen = new Set<string>();
      await page.getByTestId('job-item').first().waitFor();
      await snap(page, '04-job-running');
      await jobStates(page, seen, 'done');
      expect(
        [...seen].some((state) =>
          ['submitted', 'waiting', 'queuing', 'generating', 'downloading'].includes(state),
        ),
      ).toBe(true);

      const tile = page.getByTestId('gallery-item').first();
      await tile.waitFor();
      const img = tile.locator('img');
      type Img = { complete: boolean; naturalWidth: number; naturalHeight: number };
      // The thumbnail is made on demand: under load that can take longer than a poll's default second.
      await expect
        .poll(() => img.evaluate((node) => (node as unknown as Img).naturalWidth), { timeout: 10_000 })
        .toBeGreaterThan(0);
      const size = await img.evaluate((node) => ({
        w: (node as unknown as Img).naturalWidth,
        h: (node as unknown as Img).naturalHeight,
      }));
      expect(size.w / size.h).toBeCloseTo(16 / 9, 1);
      await snap(page, '05-image-in-gallery');
      expect(await page.getByTestId('prompt-input').inputValue()).toBe(prompt);

      // The demo simulator got exactly one createTask, with a callback URL to the local server.
      const creates = stack.demo.requests.filter(
        (entry) => entry.method === 'POST' && entry.path.endsWith('/jobs/createTask'),
      );
      expect(creates).toHaveLength(1);
      expect(stack.kie.requests.filter((entry) => entry.path.endsWith('/jobs/createTask'))).toHaveLength(0);

      const imageId = await tile.getAttribute('data-image-id');
      await page.reload();
      await page.getByTestId('app-root').waitFor();
      await page.locator(`[data-testid="gallery-item"][data-image-id="${imageId}"]`).waitFor();
      await expect.poll(() => page.getByTestId('job-item').first().getAttribute('data-state')).toBe('done');
      await snap(page, '06-after-reload');
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await stack.close();
    }
  });

  it('a bad key: the plain-language message shows and the prompt is kept', async () => {
    const stack = await startStack({ initialSettings: { demoMode: false } });
    try {
      const { page } = await openApp(browser, stack, APP_OPTIONS);
      await page.getByTestId('open-settings').click();
      await page.getByTestId('api-key-input').fill('kie-wrong-key-0000');
      await page.getByTestId('save-api-key').click();
      await page.getByTestId('settings-close').click();

      const prompt = '雨后的竹林，电影感光线';
      await page.getByTestId('prompt-input').fill(prompt);
      await page.getByTestId('submit-button').click();
      const item = page.getByTestId('job-item').first();
      await expect.poll(() => item.getAttribute('data-state'), { timeout: 15_000 }).toBe('failed');
      const message = await item.getByTestId('job-error').innerText();
      expect(message).toMatch(/key/i);
      expect(message).not.toMatch(/undefined|\[object|INTERNAL/);
      expect(await page.getByTestId('prompt-input').inputValue()).toBe(prompt);
      await snap(page, '07-bad-key');
      // The request reached "KIE" once and was not retried.
      expect(stack.kie.requests.filter((entry) => entry.path.endsWith('/jobs/createTask'))).toHaveLength(1);
      await page.close();
    } finally {
      await stack.close();
    }
  });

  it('a real key: createTask reaches KIE with the right body and the image arrives', async () => {
    const stack = await startStack({ initialSettings: { demoMode: false } });
    try {
      const { page } = await openApp(browser, stack, APP_OPTIONS);
      await page.getByTestId('open-settings').click();
      await page.getByTestId('api-key-input').fill(stack.kie.apiKey);
      await page.getByTestId('save-api-key').click();
      await page.getByTestId('settings-close').click();

      await page.getByTestId('prompt-input').fill('isometric tiny banana farm');
      await page.getByTestId('aspect-select').selectOption('3:4');
      await page.getByTestId('format-select').selectOption('jpeg');
      await page.keyboard.press('Control+Enter');
      const item = page.getByTestId('job-item').first();
      await expect.poll(() => item.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
      await page.getByTestId('gallery-item').first().waitFor();

      const creates = stack.kie.requests.filter((entry) => entry.path.endsWith('/jobs/createTask'));
      expect(creates).toHaveLength(1);
      expect(creates[0]?.body).toMatchObject({
        model: 'google/nano-banana',
        // The ratio also goes under the older name KIE's google/* pages still list.
        input: {
          prompt: 'isometric tiny banana farm',
          aspect_ratio: '3:4',
          image_size: '3:4',
          output_format: 'jpeg',
        },
      });
      await snap(page, '08-real-key-done');
      await page.close();
    } finally {
      await stack.close();
    }
  });
});
