import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRememberedHarness } from '../../src/harness/harnessState';
import { launchBrowser, RENDERER_DIR, snap, watchConsole } from './support';

/**
 * `npm run web` stopped and started again on the same data folder: the open tab says it lost
 * the connection, holds Generate (nothing can be sent) but keeps the prompt, and reconnects by
 * itself to the restarted process, which kept its port and token in harness.json.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const FAST = { waitingMs: 200, queuingMs: 200, generatingMs: 400 };

describe('the web version across a restart (Chromium)', () => {
  it('shows the lost connection, holds Generate, and reconnects by itself to the restarted harness', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'banana-web-'));
    const start = () =>
      startRememberedHarness({
        rendererDir: RENDERER_DIR,
        dataDir,
        quiet: true,
        initialSettings: { demoMode: true, language: 'en' },
        core: { poll: { initialMs: 250, maxMs: 1_000 }, demoTimings: FAST },
      });
    let { harness } = await start();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const problems = watchConsole(page);
      await page.goto(harness.url);
      await page.getByTestId('app-root').waitFor();
      const url = harness.url;

      await page.getByTestId('prompt-input').fill('a banana that survived a restart');
      const submit = page.getByTestId('submit-button');
      expect(await submit.isDisabled()).toBe(false);

      await harness.close();
      const banner = page.getByTestId('connection-banner');
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.innerText()).toMatch(/connection to Banana Studio was lost|not running/);
      await expect.poll(() => submit.isDisabled()).toBe(true);
      expect(await submit.getAttribute('title')).toMatch(/Not connected to Banana Studio/);
      expect(await page.getByTestId('prompt-input').inputValue()).toBe('a banana that survived a restart');
      await snap(page, 'web-01-connection-lost');

      ({ harness } = await start());
      // Same data folder: same address and token, so the open tab needs no new link.
      expect(harness.url).toBe(url);
      await banner.waitFor({ state: 'detached', timeout: 20_000 });
      await expect.poll(() => submit.isDisabled()).toBe(false);
      await submit.click();
      const job = page.getByTestId('job-item').first();
      await expect.poll(() => job.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
      await page.getByTestId('gallery-item').first().waitFor();
      await snap(page, 'web-02-reconnected');
      // A lost socket is expected here; nothing else may go wrong on the page.
      expect(problems.filter((line) => !/WebSocket|ERR_CONNECTION_REFUSED/i.test(line))).toEqual([]);
    } finally {
      await context.close();
      await harness.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
