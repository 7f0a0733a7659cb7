import type { Browser, JSHandle, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '@shared/domain/models';
import { launchBrowser, snap, startStack, openApp, TRANSLATIONS, type OpenAppOptions } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const APP_OPTIONS: OpenAppOptions = { height: 900 };

/**
 * The page's globals that the functions evaluated there use, typed just enough: tests compile
 * without the DOM library. Each evaluated function reads them from its own `globalThis`.
 */
interface PageDataTransfer {
  items: { add(file: File): void };
  getData(type: string): string;
  setData(type: string, data: string): void;
}
interface PageNode {
  textContent: string | null;
  getAttribute(name: string): string | null;
  dispatchEvent(event: Event): boolean;
}
interface PageGlobals {
  DataTransfer: new () => PageDataTransfer;
  DragEvent: new (
    type: string,
    init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean },
  ) => Event;
  ClipboardEvent: new (
    type: string,
    init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean },
  ) => Event;
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: { subtree: boolean; childList: boolean; characterData: boolean }): void;
  };
  document: {
    activeElement: PageNode | null;
    body: PageNode;
    querySelectorAll(selector: string): Iterable<PageNode>;
  };
  dispatchEvent(event: Event): boolean;
  seenStates?: string[];
}

interface TestFile {
  name: string;
  /** The type the OS would report (from the name); the app checks the content anyway. */
  type: string;
  bytes: Buffer;
}

type Rgb = { r: number; g: number; b: number };

function solid(width: number, height: number, background: Rgb) {
  return sharp({ create: { width, height, channels: 3, background } });
}

const png = async (name: string, colour: Rgb): Promise<TestFile> => ({
  name,
  type: 'image/png',
  bytes: await solid(96, 64, colour).png().toBuffer(),
});
const jpeg = async (name: string, colour: Rgb): Promise<TestFile> => ({
  name,
  type: 'image/jpeg',
  bytes: await solid(80, 80, colour).jpeg({ quality: 90 }).toBuffer(),
});
const webp = async (name: string, colour: Rgb): Promise<TestFile> => ({
  name,
  type: 'image/webp',
  bytes: await solid(64, 96, colour).webp().toBuffer(),
});

/** A real PNG whose pixel data is cut short: the header reads fine, the full decode does not. */
async function truncatedPng(name: string): Promise<TestFile> {
  const noise = Buffer.from(Array.from({ length: 200 * 200 * 3 }, (_, index) => (index * 7919) % 251));
  const whole = await sharp(noise, { raw: { width: 200, height: 200, channels: 3 } })
    .png()
    .toBuffer();
  return { name, type: 'image/png', bytes: whole.subarray(0, Math.floor(whole.length * 0.6)) };
}

/** A DataTransfer built in the page, holding `files` as real File objects. */
function dataTransferOf(page: Page, files: readonly TestFile[]): Promise<JSHandle> {
  return page.evaluateHandle(
    (list) => {
      const scope = globalThis as unknown as PageGlobals;
      const transfer = new scope.DataTransfer();
      for (const file of list) {
        const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.type }));
      }
      return transfer;
    },
    files.map((file) => ({ name: file.name, type: file.type, base64: file.bytes.toString('base64') })),
  );
}

/** Dispatches drag events on the window, as the browser does while a drag crosses it. */
async function dragOverWindow(page: Page, transfer: JSHandle, types: readonly string[]): Promise<void> {
  await page.evaluate(
    ({ transfer, types }) => {
      const scope = globalThis as unknown as PageGlobals;
      for (const type of types) {
        scope.dispatchEvent(
          new scope.DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      }
    },
    { transfer, types },
  );
}

/** Drags `files` over the window, checks what the overlay says, and drops them. */
async function dropFiles(page: Page, files: readonly TestFile[], overlayText?: RegExp): Promise<void> {
  const transfer = await dataTransferOf(page, files);
  await dragOverWindow(page, transfer, ['dragenter', 'dragover']);
  const overlay = page.getByTestId('drop-overlay');
  await overlay.waitFor();
  if (overlayText) expect(await overlay.innerText()).toMatch(overlayText);
  await dragOverWindow(page, transfer, ['drop']);
  await overlay.waitFor({ state: 'detached' });
}

/**
 * A paste of `files` (and `text`, if given) with the focus where it is now (the prompt box, say).
 * True when the app left the paste alone (not cancelled).
 */
async function pasteFiles(page: Page, files: readonly TestFile[], text?: string): Promise<boolean> {
  const transfer = await dataTransferOf(page, files);
  return page.evaluate(
    ({ transfer, text }) => {
      const scope = globalThis as unknown as PageGlobals;
      if (text !== undefined) (transfer as PageDataTransfer).setData('text/plain', text);
      const target = scope.document.activeElement ?? scope.document.body;
      return target.dispatchEvent(
        new scope.ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
      );
    },
    { transfer, text },
  );
}

const chips = (page: Page): Locator => page.getByTestId('reference-chip');
const chipIds = (page: Page): Promise<string[]> =>
  chips(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-reference-id') ?? ''));
const chip = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="reference-chip"][data-reference-id="${id}"]`);

/** The staged reference id of a file: the first 32 hex characters of its SHA-256. */
async function referenceId(file: TestFile): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(file.bytes).digest('hex').slice(0, 32);
}

async function waitForChips(page: Page, count: number): Promise<void> {
  await expect.poll(() => chips(page).count(), { timeout: 15_000 }).toBe(count);
  await expect.poll(() => page.getByTestId('reference-pending').count()).toBe(0);
}

/** Generates one image in Demo mode and returns its id once it is in the gallery. */
async function generate(page: Page, prompt: string): Promise<string> {
  await page.getByTestId('prompt-input').fill(prompt);
  await page.getByTestId('submit-button').click();
  const tile = page.getByTestId('gallery-item').first();
  await tile.waitFor({ timeout: 30_000 });
  return (await tile.getAttribute('data-image-id')) ?? '';
}

/** Drags a gallery tile onto the window the way the browser does: dragstart on the tile, then over and drop. */
async function dragTileIn(page: Page, imageId: string): Promise<string> {
  const transfer = await page.evaluateHandle('new DataTransfer()');
  await page
    .locator(`[data-testid="gallery-item"][data-image-id="${imageId}"]`)
    .dispatchEvent('dragstart', { dataTransfer: transfer });
  await dragOverWindow(page, transfer, ['dragenter', 'dragover']);
  const overlay = page.getByTestId('drop-overlay');
  await overlay.waitFor();
  expect(await overlay.getAttribute('data-kind')).toBe('gallery');
  await snap(page, 'compose-02-gallery-drag-overlay');
  await dragOverWindow(page, transfer, ['drop']);
  await overlay.waitFor({ state: 'detached' });
  return transfer.evaluate((data) => (data as PageDataTransfer).getData('text/uri-list'));
}

describe('image-to-image in the compose panel (Chromium)', () => {
  it('drop, paste, pick, gallery drag, reorder and remove; the edit job gets the bytes in tray order', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true } });
    try {
      const { page, problems } = await openApp(browser, stack, APP_OPTIONS);
      const source = await generate(page, 'a grey cat sitting very still');
      await page.getByTestId('job-item').first().waitFor();
      await expect.poll(() => page.getByTestId('reference-count').innerText()).toBe('0 / 10');
      await snap(page, 'compose-01-empty-tray');

      // A gallery tile dragged in is staged from the library; the model switches to Edit.
      const sourceUrl = await dragTileIn(page, source);
      await page.locator(`[data-testid="reference-chip"][data-image-id="${source}"]`).waitFor();
      expect(await page.getByTestId('model-select').inputValue()).toBe('google/nano-banana-edit');
      const hint = page.getByTestId('model-switch-hint');
      expect(await hint.innerText()).toContain('Switched to Nano Banana Edit for image-to-image');
      const [galleryRef] = await chipIds(page);

      // Files from the OS: the overlay counts them, and they land in drop order.
      const red = await png('red.png', { r: 220, g: 30, b: 30 });
      const extraFile = await png('clipboard.png', { r: 120, g: 120, b: 120 });
      const blue = await jpeg('blue.jpg', { r: 30, g: 60, b: 220 });
      const green = await webp('green.webp', { r: 30, g: 200, b: 60 });
      await dropFiles(page, [red, blue], /Drop to add 2 reference images/);
      await waitForChips(page, 3);

      // A paste into the prompt box adds the image and leaves the typed prompt alone.
      const prompt = page.getByTestId('prompt-input');
      await prompt.fill('put the cat on the sofa');
      await prompt.focus();
      expect(await pasteFiles(page, [green])).toBe(false);
      await waitForChips(page, 4);
      expect(await prompt.inputValue()).toBe('put the cat on the sofa');
      // Text on the clipboard pasted into the prompt box stays the box's business.
      expect(await pasteFiles(page, [extraFile], 'a sofa')).toBe(true);

      // The file picker adds one more; its remove button takes it away again.
      const extra = await png('extra.png', { r: 250, g: 200, b: 20 });
      await page.getByTestId('reference-picker').setInputFiles({
        name: extra.name,
        mimeType: extra.type,
        buffer: extra.bytes,
      });
      await waitForChips(page, 5);
      expect(await page.getByTestId('reference-count').innerText()).toBe('5 / 10');
      await snap(page, 'compose-03-tray-five');
      const [redId, blueId, greenId, extraId] = await Promise.all([red, blue, green, extra].map(referenceId));
      expect(await chipIds(page)).toEqual([galleryRef, redId, blueId, greenId, extraId]);
      await chip(page, extraId ?? '')
        .getByTestId('reference-remove')
        .click();
      await waitForChips(page, 4);
      expect(await chipIds(page)).toEqual([galleryRef, redId, blueId, greenId]);

      // Reorder by dragging: green onto the leading half of the first chip goes first.
      const moving = await page.evaluateHandle('new DataTransfer()');
      const first = await chips(page).first().boundingBox();
      await chip(page, greenId ?? '').dispatchEvent('dragstart', { dataTransfer: moving });
      const firstChip = chips(page).first();
      const at = { clientX: (first?.x ?? 0) + 4, clientY: (first?.y ?? 0) + 4, dataTransfer: moving };
      await firstChip.dispatchEvent('dragover', at);
      await firstChip.dispatchEvent('drop', at);
      await expect.poll(() => chipIds(page)).toEqual([greenId, galleryRef, redId, blueId]);
      expect(await page.getByTestId('drop-overlay').count()).toBe(0);

      // … and by keyboard: Alt+→ moves the focused chip one place later, and it keeps the focus.
      await chip(page, redId ?? '').focus();
      await page.keyboard.press('Alt+ArrowRight');
      await expect.poll(() => chipIds(page)).toEqual([greenId, galleryRef, blueId, redId]);
      const focused = () =>
        page.evaluate(() =>
          (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('data-reference-id'),
        );
      expect(await focused()).toBe(redId);
      await page.keyboard.press('Alt+ArrowLeft');
      await page.keyboard.press('Alt+ArrowLeft');
      const order = [greenId, redId, galleryRef, blueId];
      await expect.poll(() => chipIds(page)).toEqual(order);
      await snap(page, 'compose-04-reordered');

      // Esc closes the overlay during a drag; nothing is added.
      const pending = await dataTransferOf(page, [extra]);
      await dragOverWindow(page, pending, ['dragenter', 'dragover']);
      await page.getByTestId('drop-overlay').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('drop-overlay').waitFor({ state: 'detached' });
      await dragOverWindow(page, pending, ['dragleave']);
      expect(await chips(page).count()).toBe(4);

      // Upload progress shows on the job while its references go up.
      await page.evaluate(() => {
        const scope = globalThis as unknown as PageGlobals;
        const seen: string[] = [];
        scope.seenStates = seen;
        new scope.MutationObserver(() => {
          for (const node of scope.document.querySelectorAll('[data-testid="job-state"]'))
            seen.push(node.textContent ?? '');
        }).observe(scope.document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.getByTestId('submit-button').click();
      const job = page.getByTestId('job-item').first();
      await expect.poll(() => job.getByTestId('job-reference').count()).toBe(4);
      const jobId = (await job.getAttribute('data-job-id')) ?? '';
      expect(
        await job
          .getByTestId('job-reference')
          .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-reference-id'))),
      ).toEqual(order);
      await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
      const seenStates = await page.evaluate(() => (globalThis as unknown as PageGlobals).seenStates ?? []);
      expect(seenStates.some((text) => /^Uploading \d\/4$/.test(text))).toBe(true);
      await snap(page, 'compose-05-job-done');

      // The simulator got one edit task whose reference URLs serve exactly the tray's bytes, in order.
      const task = [...stack.demo.tasks.values()].find((item) => item.prompt === 'put the cat on the sofa');
      expect(task?.model).toBe('google/nano-banana-edit');
      const sourceBytes = Buffer.from(await (await fetch(sourceUrl.split(/\r?\n/)[0] ?? '')).arrayBuffer());
      const expected = [green.bytes, red.bytes, sourceBytes, blue.bytes];
      expect(task?.referenceUrls).toHaveLength(4);
      for (const [index, url] of (task?.referenceUrls ?? []).entries()) {
        const served = Buffer.from(await (await fetch(url)).arrayBuffer());
        expect(served.equals(expected[index] ?? Buffer.alloc(0)), `reference ${index + 1}`).toBe(true);
      }

      // The result is in the gallery, and its lineage shows the library image it was made from.
      await expect.poll(() => page.getByTestId('gallery-item').count(), { timeout: 30_000 }).toBe(2);
      const result = (await page.getByTestId('gallery-item').first().getAttribute('data-image-id')) ?? '';
      expect(result).not.toBe(source);
      await page.locator(`[data-testid="gallery-item"][data-image-id="${result}"]`).dblclick();
      await page.getByTestId('viewer-lineage').waitFor();
      // All four references show under the one "Made from", dropped files included, in the order
      // sent; the library image among them opens it.
      await page.locator(`[data-testid="lineage-reference"][data-image-id="${source}"]`).waitFor();
      await expect.poll(() => page.getByTestId('lineage-reference').count()).toBe(4);
      await snap(page, 'compose-06-lineage');
      await page.getByTestId('viewer-close').click();

      // Clearing the tray hands the panel back to the text model.
      await page.getByTestId('reference-clear').click();
      await waitForChips(page, 0);
      expect(await page.getByTestId('model-select').inputValue()).toBe('google/nano-banana');
      expect(await hint.getAttribute('data-kind')).toBe('restored');

      // After a reload the job still shows its references, resolved from core by id.
      await page.reload();
      await page.getByTestId('app-root').waitFor();
      const reloaded = page.locator(`[data-testid="job-item"][data-job-id="${jobId}"]`);
      await expect.poll(() => reloaded.locator('[data-testid="job-reference"] img').count()).toBe(4);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await stack.close();
    }
  });

  it('refusals keep the prompt and the references (dark theme); one of our images offers its settings', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true } });
    try {
      const { page, problems } = await openApp(browser, stack, { ...APP_OPTIONS, colorScheme: 'dark' });
      const source = await generate(page, 'a lighthouse at dawn, oil painting');
      await expect.poll(() => page.getByTestId('job-item').first().getAttribute('data-state')).toBe('done');

      const prompt = page.getByTestId('prompt-input');
      await prompt.fill('make it night');
      const first = await png('first.png', { r: 10, g: 10, b: 10 });
      await dropFiles(page, [first], /Drop to add 1 reference image/);
      await waitForChips(page, 1);
      const kept = await chipIds(page);
      const error = page.getByTestId('reference-error');

      const unchanged = async () => {
        expect(await prompt.inputValue()).toBe('make it night');
        expect(await chipIds(page)).toEqual(kept);
      };

      // A text file named .png: refused by its content before anything is sent.
      const fake: TestFile = {
        name: 'notes.png',
        type: 'image/png',
        bytes: Buffer.from('just some notes\n'),
      };
      await dropFiles(page, [fake]);
      await expect.poll(() => error.innerText()).toContain('“notes.png” is not a PNG, JPEG or WebP image.');
      await unchanged();
      await snap(page, 'compose-07-not-an-image');

      // A file the OS reports as text: the overlay says only images are taken.
      const text: TestFile = { name: 'readme.txt', type: 'text/plain', bytes: Buffer.from('hello') };
      const transfer = await dataTransferOf(page, [text]);
      await dragOverWindow(page, transfer, ['dragenter', 'dragover']);
      const overlay = page.getByTestId('drop-overlay');
      await overlay.waitFor();
      expect(await overlay.innerText()).toContain('Only PNG, JPEG and WebP images can be used');
      expect(await overlay.getAttribute('data-refused')).toBe('true');
      await snap(page, 'compose-08-overlay-refused');
      await dragOverWindow(page, transfer, ['drop']);
      await expect.poll(() => error.innerText()).toContain('“readme.txt” is not a PNG, JPEG or WebP image.');
      await unchanged();

      // Over the edit model's 10 MB (a PNG signature, built in the page): refused by size, naming
      // the model, never read or sent.
      const big = await page.evaluateHandle((size) => {
        const bytes = new Uint8Array(size);
        bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        const data = new (globalThis as unknown as PageGlobals).DataTransfer();
        data.items.add(new File([bytes], 'huge.png', { type: 'image/png' }));
        return data;
      }, MODELS['google/nano-banana-edit'].referenceMaxBytes + 1);
      await dragOverWindow(page, big, ['dragenter', 'dragover', 'drop']);
      await expect
        .poll(() => error.innerText())
        .toContain('“huge.png” is 10.1 MB; Nano Banana Edit takes reference images up to 10 MB.');
      await unchanged();

      // A damaged PNG passes the first-bytes check; core's full decode refuses it.
      await dropFiles(page, [await truncatedPng('broken.png')]);
      await expect.poll(() => error.innerText()).toContain('“broken.png” could not be read');
      await unchanged();
      await snap(page, 'compose-09-damaged');

      // One image too many for the model: ten fit Nano Banana Edit, the eleventh is refused.
      const more = await Promise.all(
        Array.from({ length: 10 }, (_, index) => png(`more-${index}.png`, { r: 20 * index, g: 100, b: 150 })),
      );
      await dropFiles(page, more, /Room for 9 more with Nano Banana Edit/);
      await waitForChips(page, 10);
      await expect
        .poll(() => error.innerText())
        .toContain('Nano Banana Edit takes at most 10 reference images, so 1 more could not be added.');
      expect(await page.getByTestId('reference-count').innerText()).toBe('10 / 10');
      expect((await chipIds(page))[0]).toBe(kept[0]);
      expect(await prompt.inputValue()).toBe('make it night');
      await snap(page, 'compose-10-too-many');

      // Pro takes 8: picking it keeps all ten, warns, and blocks Generate until two go.
      await page.getByTestId('model-select').selectOption('nano-banana-pro');
      await page.getByTestId('model-reference-warning').waitFor();
      expect(await page.getByTestId('submit-button').isDisabled()).toBe(true);
      expect(await chips(page).count()).toBe(10);
      await chips(page).last().getByTestId('reference-remove').click();
      await chips(page).last().getByTestId('reference-remove').click();
      await page.getByTestId('model-reference-warning').waitFor({ state: 'detached' });
      expect(await page.getByTestId('submit-button').isEnabled()).toBe(true);
      expect(await page.getByTestId('reference-count').innerText()).toBe('8 / 8');

      // Picking the text-only model keeps the references too, with a warning; "Keep" style undo works.
      await page.getByTestId('model-select').selectOption('google/nano-banana');
      const warning = page.getByTestId('model-reference-warning');
      expect(await warning.innerText()).toContain('Nano Banana does not take reference images');
      expect(await chips(page).count()).toBe(8);
      await page.getByTestId('reference-clear').click();
      await waitForChips(page, 0);
      await warning.waitFor({ state: 'detached' });

      // A file made by Banana Studio: added as a reference, and its settings are offered.
      const tile = page.locator(`[data-testid="gallery-item"][data-image-id="${source}"]`);
      const imageUrl = await tile.evaluate(
        (node) => node.querySelector('img')?.getAttribute('src')?.replace('/thumb/', '/image/') ?? '',
      );
      const ours: TestFile = {
        name: 'lighthouse.png',
        type: 'image/png',
        bytes: Buffer.from(await (await fetch(new URL(imageUrl, stack.harness.url))).arrayBuffer()),
      };
      await dropFiles(page, [ours]);
      await waitForChips(page, 1);
      const reuse = page.getByTestId('reuse-settings');
      await reuse.waitFor();
      await snap(page, 'compose-11-reuse-offer');
      await reuse.click();
      await expect.poll(() => prompt.inputValue()).toBe('a lighthouse at dawn, oil painting');
      expect(await page.getByTestId('model-select').inputValue()).toBe('google/nano-banana-edit');
      expect(await chips(page).count()).toBe(1);

      // Undo on the switch hint keeps the text model (the reference stays, unsent).
      await page.getByTestId('model-switch-undo').click();
      expect(await page.getByTestId('model-select').inputValue()).toBe('google/nano-banana');
      await page.getByTestId('model-reference-warning').waitFor();
      expect(await chips(page).count()).toBe(1);

      // Nothing refused above reached KIE: only the first text-to-image task exists.
      expect(stack.demo.tasks.size).toBe(1);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await stack.close();
    }
  });
});

/** A translation with its {{placeholders}} filled in, as i18next does. */
function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? `{{${key}}}`));
}

/** A real animated WebP: three frames of 48 × 32, made by sharp. */
async function animatedWebp(name: string): Promise<TestFile> {
  const frames = await Promise.all(
    [220, 120, 20].map((red) => solid(48, 32, { r: red, g: 90, b: 160 }).png().toBuffer()),
  );
  const bytes = await sharp(frames, { join: { animated: true } })
    .webp({ loop: 0, delay: [200, 200, 200] })
    .toBuffer();
  return { name, type: 'image/webp', bytes };
}

describe('the tray counts honestly (Chromium, en and zh-CN)', () => {
  for (const language of ['en', 'zh-CN'] as const) {
    it(`${language}: files already in the tray are “already added”, not “no room”; big and animated images get a note`, async () => {
      const text = TRANSLATIONS[language].references;
      const edit = TRANSLATIONS[language].models.nanoBananaEdit;
      const stack = await startStack({ initialSettings: { demoMode: true, language } });
      try {
        const { page, problems } = await openApp(browser, stack, APP_OPTIONS);
        const error = page.getByTestId('reference-error');
        const nine = await Promise.all(
          Array.from({ length: 9 }, (_, index) => png(`tray-${index}.png`, { r: 25 * index, g: 60, b: 90 })),
        );
        await dropFiles(page, nine);
        await waitForChips(page, 9);
        expect(await page.getByTestId('reference-count').innerText()).toBe('9 / 10');

        // Two already there, two new, one place left: one added, two "already added", one "no room".
        const [a, b] = nine as [TestFile, TestFile];
        const fresh = await Promise.all([
          png('new-1.png', { r: 1, g: 2, b: 3 }),
          png('new-2.png', { r: 4, g: 5, b: 6 }),
        ]);
        await dropFiles(page, [a, b, ...fresh]);
        await waitForChips(page, 10);
        const lines = () => error.locator('li').allInnerTexts();
        await expect.poll(lines).toEqual([
          fill(text.problems.duplicates, {
            names: [`“${a.name}”`, `“${b.name}”`].join(text.nameSeparator),
          }),
          fill(text.problems.count, { model: edit, limit: 10, skipped: 1 }),
        ]);
        expect(await chipIds(page)).toContain(await referenceId(fresh[0] as TestFile));
        expect(await chipIds(page)).not.toContain(await referenceId(fresh[1] as TestFile));
        await snap(page, `compose-tray-honest-01-${language}`);

        // The full tray again: only "already added", for the one file, and nothing is said about room.
        await dropFiles(page, [a]);
        await expect.poll(lines).toEqual([fill(text.problems.duplicate, { name: a.name })]);
        expect(await chips(page).count()).toBe(10);

        // A 12,000 px wide image and an animated WebP are taken, each with a note (not an error).
        await page.getByTestId('reference-clear').click();
        await waitForChips(page, 0);
        const wide: TestFile = {
          name: 'panorama.png',
          type: 'image/png',
          bytes: await solid(12_000, 600, { r: 40, g: 140, b: 200 }).png().toBuffer(),
        };
        const moving = await animatedWebp('moving.webp');
        await dropFiles(page, [wide, moving]);
        await waitForChips(page, 2);
        expect(await error.count()).toBe(0);
        const notes = page.getByTestId('reference-note');
        await expect
          .poll(() => notes.allInnerTexts())
          .toEqual([
            fill(text.notes.large, {
              name: wide.name,
              width: new Intl.NumberFormat(language).format(12_000),
              height: 600,
            }),
            fill(text.notes.animated, { name: moving.name }),
          ]);
        const [wideId, movingId] = await Promise.all([referenceId(wide), referenceId(moving)]);
        expect(await chip(page, wideId).getAttribute('data-notes')).toBe('large');
        expect(await chip(page, movingId).getAttribute('data-notes')).toBe('animated');
        await snap(page, `compose-tray-honest-02-notes-${language}`);

        // They go to KIE like any reference: the job is sent with both.
        await page.getByTestId('prompt-input').fill('combine them');
        await page.getByTestId('submit-button').click();
        const job = page.getByTestId('job-item').first();
        await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
        const task = [...stack.demo.tasks.values()].find((item) => item.prompt === 'combine them');
        expect(task?.referenceUrls).toHaveLength(2);
        expect(problems).toEqual([]);
        await page.close();
      } finally {
        await stack.close();
      }
    });
  }
});
