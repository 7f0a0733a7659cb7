import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

/**
 * Demo mode says one thing: the header shows the callbacks really used (the built-in simulator
 * calls back directly, no tunnel), and the empty gallery does not ask to turn on what is on.
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

describe.each(['en', 'zh-CN'] as const)('Demo mode says one thing (%s)', (language) => {
  const text = TRANSLATIONS[language];

  it('Demo mode: "Callbacks on" in the header, an empty gallery that says what to do next', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack);
    const pill = page.getByTestId('tunnel-pill');
    await expect.poll(() => pill.getAttribute('data-state')).toBe('demo');
    expect(await pill.innerText()).toBe(text.tunnel.states.up);
    expect(await pill.getAttribute('title')).toBe(text.tunnel.demoCallbacks);
    const hint = page.getByTestId('gallery-empty-hint');
    expect(await hint.innerText()).toBe(text.gallery.emptyHintDemo);
    expect(await hint.innerText()).not.toBe(text.gallery.emptyHint);
    await snap(page, `demo-truth-${language}-01-empty`);

    // "Images: 4" gives four different pictures, as the real model would.
    await page.getByTestId('prompt-input').fill(language === 'en' ? 'a lighthouse at dawn' : '黎明时的灯塔');
    await page.getByTestId('images-select').selectOption('4');
    await page.getByTestId('submit-button').click();
    await expect.poll(() => page.getByTestId('gallery-item').count(), { timeout: 30_000 }).toBe(4);
    const ids = await page
      .getByTestId('gallery-item')
      .evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-image-id') ?? ''));
    const digests = new Set<string>();
    for (const id of ids) {
      const file = await stack.harness.core.resolveGalleryFile('image', id);
      expect(file).not.toBeNull();
      await file?.handle.close();
      digests.add(
        createHash('sha256')
          .update(await readFile(file?.filePath ?? ''))
          .digest('hex'),
      );
    }
    expect(digests.size).toBe(4);
    await snap(page, `demo-truth-${language}-02-four`);
    expect(problems).toEqual([]);
  }, 60_000);

  it('no key and no Demo mode: the header says polling, the gallery asks for a key or Demo mode', async () => {
    const stack = await startStack({ initialSettings: { demoMode: false, language } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack);
    const pill = page.getByTestId('tunnel-pill');
    await expect.poll(() => pill.getAttribute('data-state')).toBe('off');
    expect(await pill.innerText()).toBe(text.tunnel.pollingOnly);
    expect(await page.getByTestId('gallery-empty-hint').innerText()).toBe(text.gallery.emptyHint);

    // With a key saved, the hint no longer asks for one.
    await page.getByTestId('open-settings').click();
    await page.getByTestId('api-key-input').fill(stack.kie.apiKey);
    await page.getByTestId('save-api-key').click();
    await page.getByTestId('settings-close').click();
    await expect
      .poll(() => page.getByTestId('gallery-empty-hint').innerText())
      .toBe(text.gallery.emptyHintReady);
    expect(problems).toEqual([]);
  });
});
