import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, snap, startStack } from './support';

/**
 * "Open with → Banana Studio": the harness hands paths to core exactly as the desktop app's main
 * process does (harness.openFiles → core.openFiles), and the renderer in Chromium takes them.
 */
let browser: Browser;
let files: string;
beforeAll(async () => {
  browser = await launchBrowser();
  files = await mkdtemp(join(tmpdir(), 'banana-open-with-'));
});
afterAll(async () => {
  await browser?.close();
  if (files) await rm(files, { recursive: true, force: true });
});

type Rgb = { r: number; g: number; b: number };
const solid = (colour: Rgb) => sharp({ create: { width: 96, height: 64, channels: 3, background: colour } });

async function write(name: string, bytes: Buffer | Promise<Buffer>): Promise<string> {
  const path = join(files, name);
  await writeFile(path, await bytes);
  return path;
}

const chips = (page: Page): Locator => page.getByTestId('reference-chip');

/** Waits for `count` chips, none still staging, each showing its loaded thumbnail. */
async function waitForThumbnails(page: Page, count: number): Promise<void> {
  await expect.poll(() => chips(page).count(), { timeout: 15_000 }).toBe(count);
  await expect.poll(() => page.getByTestId('reference-pending').count()).toBe(0);
  await expect
    .poll(() =>
      chips(page)
        .locator('img')
        .evaluateAll((images) =>
          images.map((image) => (image as unknown as { naturalWidth: number }).naturalWidth),
        ),
    )
    .toEqual(Array.from({ length: count }, () => 96));
}

const chipNames = (page: Page): Promise<string[]> =>
  chips(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('title') ?? ''));

describe('Open with → Banana Studio (Chromium)', () => {
  it('files opened before the window loads are in the tray once it has', async () => {
    const stack = await startStack();
    try {
      const paths = [
        await write('launch-red.png', solid({ r: 220, g: 30, b: 30 }).png().toBuffer()),
        await write('launch-blue.jpg', solid({ r: 30, g: 60, b: 220 }).jpeg().toBuffer()),
      ];
      // At launch core is up before any window: the outcome waits for the renderer.
      const outcome = await stack.harness.openFiles(paths);
      expect(outcome.references.map((item) => item.name)).toEqual(['launch-red.png', 'launch-blue.jpg']);

      const { page, problems } = await openApp(browser, stack);
      await waitForThumbnails(page, 2);
      expect(await chipNames(page)).toEqual(['launch-red.png', 'launch-blue.jpg']);
      expect(await page.getByTestId('model-select').inputValue()).toBe('google/nano-banana-edit');
      expect(await page.getByTestId('reference-count').innerText()).toBe('2 / 10');
      await snap(page, 'open-with-01-at-launch');

      // Taken once: a reload does not bring them back a second time.
      await page.reload();
      await page.getByTestId('app-root').waitFor();
      await expect.poll(() => page.getByTestId('reference-count').innerText()).toBe('0 / 10');
      expect(await chips(page).count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  it('files opened while the app is open appear live, with the edit model chosen', async () => {
    const stack = await startStack();
    try {
      const { page, problems } = await openApp(browser, stack);
      await expect.poll(() => page.getByTestId('reference-count').innerText()).toBe('0 / 10');
      expect(await page.getByTestId('model-select').inputValue()).toBe('google/nano-banana');
      const prompt = page.getByTestId('prompt-input');
      await prompt.fill('a cat on a sofa');

      await stack.harness.openFiles([
        await write('live-green.webp', solid({ r: 30, g: 200, b: 60 }).webp().toBuffer()),
        await write('live-grey.png', solid({ r: 120, g: 120, b: 120 }).png().toBuffer()),
      ]);
      await waitForThumbnails(page, 2);
      expect(await page.getByTestId('model-select').inputValue()).toBe('google/nano-banana-edit');
      expect(await page.getByTestId('model-switch-hint').innerText()).toContain(
        'Switched to Nano Banana Edit for image-to-image',
      );
      expect(await prompt.inputValue()).toBe('a cat on a sofa');
      await snap(page, 'open-with-02-live');
      expect(problems).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  it('a bad file shows its message; the prompt and the other references stay', async () => {
    const stack = await startStack();
    try {
      const { page, problems } = await openApp(browser, stack);
      const prompt = page.getByTestId('prompt-input');
      await prompt.fill('make it night');
      await stack.harness.openFiles([
        await write('keep-one.png', solid({ r: 10, g: 10, b: 10 }).png().toBuffer()),
        await write('keep-two.jpg', solid({ r: 200, g: 200, b: 10 }).jpeg().toBuffer()),
      ]);
      await waitForThumbnails(page, 2);
      expect(await chipNames(page)).toEqual(['keep-one.png', 'keep-two.jpg']);

      await stack.harness.openFiles([
        await write('notes.png', Buffer.from('just some notes\n')),
        join(files, 'gone.png'),
        await write('third.webp', solid({ r: 200, g: 10, b: 200 }).webp().toBuffer()),
      ]);
      const error = page.getByTestId('reference-error');
      await expect.poll(() => error.innerText()).toContain('“notes.png” is not a PNG, JPEG or WebP image.');
      expect(await error.innerText()).toContain('“gone.png” was not found.');
      await waitForThumbnails(page, 3);
      expect(await chipNames(page)).toEqual(['keep-one.png', 'keep-two.jpg', 'third.webp']);
      expect(await prompt.inputValue()).toBe('make it night');
      expect(await page.getByTestId('model-select').inputValue()).toBe('google/nano-banana-edit');
      await snap(page, 'open-with-03-refused');
      expect(problems).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});
