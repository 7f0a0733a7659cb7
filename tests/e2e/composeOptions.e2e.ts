import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, snap, startStack, type Stack, openApp, type OpenAppOptions } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const APP_OPTIONS: OpenAppOptions = { height: 900 };
const MB = 1024 * 1024;

/** What the page offers that the Node-side types do not know (no DOM lib here). */
interface PageScope {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  DragEvent: new (
    type: string,
    init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean },
  ) => Event;
  File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
  dispatchEvent(event: Event): boolean;
}

/**
 * Drops a `size`-byte PNG named `name` on the window: a small real PNG padded after its end
 * (decoders ignore the tail), built in the page so the big file never crosses the test link.
 */
async function dropBigPng(page: Page, name: string, size: number): Promise<void> {
  const head = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
  await page.evaluate(
    ({ base64, name, size }) => {
      const scope = globalThis as unknown as PageScope;
      const bytes = new Uint8Array(size);
      bytes.set(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
      const transfer = new scope.DataTransfer();
      transfer.items.add(new scope.File([bytes], name, { type: 'image/png' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        scope.dispatchEvent(
          new scope.DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      }
    },
    { base64: head.toString('base64'), name, size },
  );
}

/** A stack whose core talks to `stack.kie` with its real key, as if the user had saved it. */
async function realKeyStack(): Promise<Stack> {
  const stack = await startStack();
  const saved = await stack.harness.core.dispatch(
    'settings.setApiKey',
    { apiKey: stack.kie.apiKey },
    { transport: 'test' },
  );
  expect(saved.ok).toBe(true);
  return stack;
}

const cost = (page: Page) => page.getByTestId('submit-cost').innerText();
const createTasks = (stack: Stack) => stack.kie.countRequests('POST', '/api/v1/jobs/createTask');

/** Sets the simulator's balance and has the app read it (the header's refresh). */
async function balanceIs(page: Page, stack: Stack, credits: number): Promise<void> {
  stack.kie.setCredits(credits);
  await page.getByTestId('header-credits').click();
  await expect
    .poll(() => page.getByTestId('header-credits').innerText())
    .toContain(new Intl.NumberFormat('en').format(credits));
}

describe('compose options, cost and credits (Chromium)', () => {
  it('fields per model, cost preview, batch of 3 × 2, history recall, low balance, refusal, 402', async () => {
    const stack = await realKeyStack();
    try {
      const { page, problems } = await openApp(browser, stack, APP_OPTIONS);
      await expect.poll(() => page.getByTestId('header-credits').innerText()).toContain('1,000');

      // Nano Banana: no resolution; 4 credits an image.
      const model = page.getByTestId('model-select');
      expect(await model.inputValue()).toBe('google/nano-banana');
      expect(await page.getByTestId('resolution-select').count()).toBe(0);
      expect(await cost(page)).toBe('4 credits');

      // Pro has resolutions; the price follows the resolution and the number of images.
      await model.selectOption('nano-banana-pro');
      await page.getByTestId('resolution-select').waitFor();
      expect(await cost(page)).toBe('18 credits');
      await page.getByTestId('resolution-select').selectOption('4K');
      expect(await cost(page)).toBe('24 credits');
      await page.getByTestId('images-select').selectOption('3');
      expect(await cost(page)).toBe('72 credits');
      await model.selectOption('nano-banana-2');
      expect(await page.getByTestId('resolution-select').inputValue()).toBe('4K');
      expect(await cost(page)).toBe('36 credits');
      await snap(page, 'compose-options-01-nano-banana-2-4k-x3');

      // Each model's own ratios and prompt limit (KIE's pages): Nano Banana 2 offers 1:4, 4:1,
      // 1:8 and 8:1 and takes 20,000 characters; Pro offers none of those and takes 10,000.
      const aspect = page.getByTestId('aspect-select');
      const ratios = () =>
        aspect.locator('option').evaluateAll((options) => options.map((o) => o.getAttribute('value')));
      expect(await ratios()).toEqual(expect.arrayContaining(['1:4', '4:1', '1:8', '8:1']));
      await aspect.selectOption('1:8');
      const longPrompt = page.getByTestId('prompt-input');
      await longPrompt.fill('x'.repeat(12_000));
      expect(await page.getByTestId('prompt-counter').innerText()).toBe('12,000 / 20,000');
      expect(await page.getByTestId('prompt-too-long').count()).toBe(0);
      await model.selectOption('nano-banana-pro');
      expect(await ratios()).not.toContain('1:8');
      expect(await aspect.inputValue()).toBe('1:1');
      expect(await page.getByTestId('prompt-counter').innerText()).toBe('12,000 / 10,000');
      expect(await page.getByTestId('prompt-too-long').innerText()).toContain('2,000 characters over');
      await longPrompt.fill('');
      await model.selectOption('nano-banana-2');
      await model.selectOption('google/nano-banana');
      await page.getByTestId('resolution-select').waitFor({ state: 'detached' });
      expect(await cost(page)).toBe('12 credits');

      // The counter warns near the limit and refuses over it.
      const prompt = page.getByTestId('prompt-input');
      const counter = page.getByTestId('prompt-counter');
      await prompt.fill('x'.repeat(4600));
      expect(await counter.getAttribute('data-level')).toBe('near');
      expect(await counter.innerText()).toBe('4,600 / 5,000');
      await prompt.fill('x'.repeat(5003));
      expect(await counter.getAttribute('data-level')).toBe('over');
      expect(await page.getByTestId('prompt-too-long').innerText()).toContain('3 characters over');
      expect(await page.getByTestId('submit-button').isDisabled()).toBe(true);
      await snap(page, 'compose-options-02-over-limit');

      // Batch: 3 lines (blank ones skipped) × 2 images = 6 tasks, confirmed first.
      await page.getByTestId('images-select').selectOption('2');
      await page.getByTestId('batch-toggle').check();
      await prompt.fill('  a red fox in the snow \n\na blue whale at dusk\n   \na green frog on a leaf\n');
      expect(await counter.innerText()).toContain('3 prompts');
      expect(await cost(page)).toBe('24 credits');
      await page.getByTestId('submit-button').click();
      const confirm = page.getByTestId('batch-confirm');
      await confirm.waitFor();
      expect(await confirm.innerText()).toContain('6 tasks');
      expect(await confirm.innerText()).toContain('24 credits');
      await snap(page, 'compose-options-03-batch-confirm');
      expect(createTasks(stack)).toBe(0);
      await page.getByTestId('batch-confirm-ok').click();
      await confirm.waitFor({ state: 'detached' });
      await expect.poll(() => createTasks(stack), { timeout: 20_000 }).toBe(6);
      const sent = [...stack.kie.tasks.values()].map((task) => task.prompt).sort();
      expect(sent).toEqual([
        'a blue whale at dusk',
        'a blue whale at dusk',
        'a green frog on a leaf',
        'a green frog on a leaf',
        'a red fox in the snow',
        'a red fox in the snow',
      ]);
      await expect.poll(() => page.getByTestId('job-item').count()).toBe(6);
      await expect
        .poll(() => page.locator('[data-testid="job-item"][data-state="done"]').count(), { timeout: 30_000 })
        .toBe(6);
      await snap(page, 'compose-options-04-batch-done');

      // History: ↑ in an empty box brings back the last prompt, then older ones; ↓ goes forward.
      await page.getByTestId('batch-toggle').uncheck();
      await prompt.fill('');
      await prompt.press('ArrowUp');
      expect(await prompt.inputValue()).toBe('a green frog on a leaf');
      await prompt.press('ArrowUp');
      expect(await prompt.inputValue()).toBe('a blue whale at dusk');
      await prompt.press('ArrowDown');
      expect(await prompt.inputValue()).toBe('a green frog on a leaf');
      await prompt.press('ArrowDown');
      expect(await prompt.inputValue()).toBe('');
      // … and the searchable list.
      await page.getByTestId('prompt-history-button').click();
      const history = page.getByTestId('prompt-history');
      await history.waitFor();
      expect(await page.getByTestId('prompt-history-item').count()).toBe(3);
      await page.getByTestId('prompt-history-search').fill('WHALE');
      expect(await page.getByTestId('prompt-history-item').allInnerTexts()).toEqual(['a blue whale at dusk']);
      await snap(page, 'compose-options-05-history');
      await page.getByTestId('prompt-history-item').click();
      await history.waitFor({ state: 'detached' });
      expect(await prompt.inputValue()).toBe('a blue whale at dusk');

      // Low balance: enough for this image, but fewer than 10 of this model.
      await page.getByTestId('images-select').selectOption('1');
      await balanceIs(page, stack, 30);
      await page.getByTestId('low-balance').waitFor();
      expect(await page.getByTestId('low-balance').innerText()).toContain('30 credits');
      expect(await page.getByTestId('submit-button').isEnabled()).toBe(true);

      // Not enough for 4 Pro images (72): Generate is refused, with the reason.
      await model.selectOption('nano-banana-pro');
      await page.getByTestId('resolution-select').selectOption('1K');
      await page.getByTestId('images-select').selectOption('4');
      const refusal = page.getByTestId('insufficient-credits');
      await refusal.waitFor();
      expect(await refusal.innerText()).toContain('this needs 72 and your KIE balance is 30');
      expect(await page.getByTestId('submit-button').isDisabled()).toBe(true);
      expect(await page.getByTestId('low-balance').count()).toBe(0);
      await snap(page, 'compose-options-06-insufficient');

      // A balance read as enough, then spent elsewhere: KIE's 402 pauses the queue with the top-up message.
      await model.selectOption('google/nano-banana');
      await page.getByTestId('images-select').selectOption('1');
      await balanceIs(page, stack, 100);
      await refusal.waitFor({ state: 'detached' });
      stack.kie.setCredits(0);
      await prompt.fill('a lighthouse in a storm');
      await page.getByTestId('submit-button').click();
      const paused = page.getByTestId('queue-paused');
      await paused.waitFor({ timeout: 20_000 });
      expect(await paused.innerText()).toContain('Not enough KIE credits. Top up at kie.ai, then resume.');
      expect(await page.getByTestId('job-item').first().getAttribute('data-state')).toBe('queued');
      // The pause made the panel read the balance again: it now refuses further images itself.
      await refusal.waitFor();
      expect(createTasks(stack)).toBe(7);
      expect(stack.kie.tasks.size).toBe(6);
      await snap(page, 'compose-options-07-no-credits-paused');
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await stack.close();
    }
  });

  it('Demo mode is free; choices and history survive a reload; Chinese text and numbers', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true, language: 'zh-CN' } });
    try {
      const { page, problems } = await openApp(browser, stack, APP_OPTIONS);
      await page.getByTestId('demo-badge').waitFor();
      await page.getByTestId('model-select').selectOption('nano-banana-pro');
      await page.getByTestId('images-select').selectOption('3');
      expect(await cost(page)).toBe('演示 — 免费');
      expect(await page.getByTestId('low-balance').count()).toBe(0);

      const prompt = page.getByTestId('prompt-input');
      await prompt.fill('x'.repeat(1234));
      // Pro takes 10,000 characters (https://docs.kie.ai/market/google/pro-image-to-image).
      expect(await page.getByTestId('prompt-counter').innerText()).toBe('1,234 / 10,000');
      await page.getByTestId('batch-toggle').check();
      await prompt.fill('雨后的竹林\n夜晚的上海');
      await page.getByTestId('submit-button').click();
      const confirm = page.getByTestId('batch-confirm');
      await confirm.waitFor();
      expect(await confirm.innerText()).toContain('2 条提示词 × 每条 3 张 = 6 个任务');
      expect(await confirm.innerText()).toContain('演示模式：不会扣费');
      await snap(page, 'compose-options-08-demo-batch-zh');
      // Esc cancels: nothing is sent.
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      expect(stack.demo.countRequests('POST', '/api/v1/jobs/createTask')).toBe(0);

      await page.getByTestId('batch-toggle').uncheck();
      await prompt.fill('一只戴着墨镜的猫');
      await page.getByTestId('images-select').selectOption('1');
      await page.getByTestId('submit-button').click();
      await page.getByTestId('job-item').first().waitFor();

      await page.reload();
      await page.getByTestId('app-root').waitFor();
      await expect.poll(() => page.getByTestId('model-select').inputValue()).toBe('nano-banana-pro');
      expect(await page.getByTestId('images-select').inputValue()).toBe('1');
      const reloaded = page.getByTestId('prompt-input');
      await reloaded.focus();
      await expect
        .poll(async () => {
          await reloaded.press('ArrowUp');
          return reloaded.inputValue();
        })
        .toBe('一只戴着墨镜的猫');
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await stack.close();
    }
  });
  it('Nano Banana 2 with Google Search: sent as google_search, remembered, shown in the viewer', async () => {
    const stack = await realKeyStack();
    try {
      const { page, problems } = await openApp(browser, stack, APP_OPTIONS);
      const toggle = page.getByTestId('google-search-toggle');
      // Only the model that takes it offers it.
      expect(await toggle.count()).toBe(0);
      await page.getByTestId('model-select').selectOption('nano-banana-pro');
      await page.getByTestId('resolution-select').waitFor();
      expect(await toggle.count()).toBe(0);
      await page.getByTestId('model-select').selectOption('nano-banana-2');
      await toggle.check();
      await page.getByTestId('prompt-input').fill('the tallest building finished this year, at dusk');
      await page.getByTestId('submit-button').click();
      await expect.poll(() => createTasks(stack), { timeout: 20_000 }).toBe(1);
      const [task] = [...stack.kie.tasks.values()];
      expect(task?.model).toBe('nano-banana-2');
      expect(task?.input['google_search']).toBe(true);
      await expect
        .poll(() => page.locator('[data-testid="job-item"][data-state="done"]').count(), { timeout: 30_000 })
        .toBe(1);

      // The image keeps it: the viewer lists it with the parameters.
      await page.getByTestId('gallery-item').first().click();
      await page.keyboard.press('Enter');
      await page.getByTestId('viewer').waitFor();
      await expect.poll(() => page.getByTestId('viewer-meta').innerText()).toContain('Use Google Search');
      await page.keyboard.press('Escape');

      // Remembered as the panel's default; off again for Pro, which does not take it.
      await page.reload();
      await page.getByTestId('app-root').waitFor();
      await expect.poll(() => page.getByTestId('google-search-toggle').isChecked()).toBe(true);
      await page.getByTestId('model-select').selectOption('nano-banana-pro');
      await page.getByTestId('prompt-input').fill('a quiet harbour');
      await page.getByTestId('submit-button').click();
      await expect.poll(() => createTasks(stack), { timeout: 20_000 }).toBe(2);
      const pro = [...stack.kie.tasks.values()].find((item) => item.model === 'nano-banana-pro');
      expect(pro?.input).not.toHaveProperty('google_search');
      expect(problems).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  it('a 29 MB reference: Pro takes it; Nano Banana Edit refuses it by name and holds Generate', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true } });
    try {
      const { page, problems } = await openApp(browser, stack, APP_OPTIONS);
      const model = page.getByTestId('model-select');
      const chips = page.getByTestId('reference-chip');
      const submit = page.getByTestId('submit-button');
      await model.selectOption('nano-banana-pro');
      await page.getByTestId('prompt-input').fill('a lighthouse in a storm');
      // Pro takes up to 30 MB: the file goes through the bridge and is staged.
      await dropBigPng(page, 'big.png', 29 * MB);
      await expect.poll(() => chips.count(), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => page.getByTestId('reference-pending').count(), { timeout: 30_000 }).toBe(0);

      // Switched to the edit model (10 MB), the reference stays, named, and Generate waits.
      await model.selectOption('google/nano-banana-edit');
      const warning = page.getByTestId('model-reference-warning');
      await warning.waitFor();
      expect(await warning.getAttribute('data-kind')).toBe('tooBig');
      expect(await warning.innerText()).toContain(
        'Nano Banana Edit takes reference images up to 10 MB each, and “big.png” is 29 MB.',
      );
      expect(await submit.isDisabled()).toBe(true);
      await snap(page, 'compose-options-09-reference-too-big');
      // Another one that big is refused by name while the edit model is chosen; the tray is kept.
      await dropBigPng(page, 'second.png', 29 * MB);
      await expect
        .poll(() => page.getByTestId('reference-error').innerText())
        .toContain('“second.png” is 29 MB; Nano Banana Edit takes reference images up to 10 MB.');
      expect(await chips.count()).toBe(1);

      // Back to Pro: nothing to fix, and the job goes with the file.
      await model.selectOption('nano-banana-pro');
      await warning.waitFor({ state: 'detached' });
      await submit.click();
      await expect
        .poll(() => page.locator('[data-testid="job-item"][data-state="done"]').count(), { timeout: 30_000 })
        .toBe(1);
      const [task] = [...stack.demo.tasks.values()];
      expect(task?.model).toBe('nano-banana-pro');
      expect(task?.referenceUrls).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  it('a price corrected in Settings is what the Generate button shows, and it is saved', async () => {
    const stack = await realKeyStack();
    try {
      const { page, problems } = await openApp(browser, stack, APP_OPTIONS);
      await expect.poll(() => cost(page)).toBe('4 credits');
      await page.getByTestId('open-settings').click();
      await page.getByTestId('settings-dialog').locator('summary').filter({ hasText: 'Prices' }).click();
      const field = page.locator('[data-testid="cost-override"][data-model="google/nano-banana"]');
      await field.fill('5');
      await field.press('Enter');
      await page.getByTestId('settings-close').click();
      await expect.poll(() => cost(page)).toBe('5 credits');
      const saved = await stack.harness.core.dispatch('settings.get', {}, { transport: 'test' });
      expect(saved.ok && (saved.value as { costOverrides: unknown }).costOverrides).toMatchObject({
        'google/nano-banana': {},
      });
      expect(problems).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});
