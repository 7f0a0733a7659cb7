import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import {
  ARTIFACTS,
  launchBrowser,
  ROOT,
  snap,
  startStack,
  type Stack,
  openApp,
  type OpenAppOptions,
} from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const APP_OPTIONS: OpenAppOptions = { permissions: ['clipboard-read', 'clipboard-write'] };

const FAST = { waitingMs: 300, queuingMs: 300, generatingMs: 600 };
/** A paused queue checks this often whether KIE is back. */
const PROBE_MS = 300;

/** A stack whose "real" KIE key is saved, so jobs go to the KIE simulator. */
async function stackWithKey(): Promise<Stack> {
  const stack = await startStack({
    initialSettings: { demoMode: false },
    core: { poll: { initialMs: 250, maxMs: 1_000 }, probeIntervalMs: PROBE_MS },
  });
  await call(stack, 'settings.setApiKey', { apiKey: stack.kie.apiKey });
  return stack;
}

async function call(stack: Stack, route: string, input: unknown): Promise<unknown> {
  const result = await stack.harness.core.dispatch(route, input, { transport: 'test' });
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const job = (page: Page, index = 0): Locator => page.getByTestId('job-item').nth(index);

async function submit(page: Page, prompt: string): Promise<void> {
  const before = await page.getByTestId('job-item').count();
  await page.getByTestId('prompt-input').fill(prompt);
  const button = page.getByTestId('submit-button');
  await expect.poll(() => button.isEnabled()).toBe(true);
  await button.click();
  await expect.poll(() => page.getByTestId('job-item').count()).toBe(before + 1);
}

async function stateOf(item: Locator): Promise<string | null> {
  return item.getAttribute('data-state');
}

/** The step statuses of a job, as `name:status`, read in one go with its state. */
async function snapshot(item: Locator): Promise<{ state: string; steps: string[] }> {
  return item.evaluate((node) => {
    const element = node as unknown as {
      getAttribute(name: string): string | null;
      querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }>;
    };
    return {
      state: element.getAttribute('data-state') ?? '',
      steps: [...element.querySelectorAll('[data-testid="job-steps"] li')].map(
        (step) => `${step.getAttribute('data-step')}:${step.getAttribute('data-status')}`,
      ),
    };
  });
}

async function openSettings(page: Page): Promise<void> {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings-dialog').waitFor();
}

async function closeSettings(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
}

const bodyBackground = (page: Page): Promise<string> =>
  page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
const htmlTheme = (page: Page): Promise<string | null> =>
  page.evaluate<string | null>('document.documentElement.getAttribute("data-theme")');

describe('queue panel, settings, offline and keyboard in Chromium', () => {
  it('a job shows its steps and a ticking time; copy details, open the result', async () => {
    const stack = await stackWithKey();
    try {
      const { context, page, problems } = await openApp(browser, stack, APP_OPTIONS);
      // Paused, the job waits on this computer: no step reached yet, and the clock runs.
      await page.getByTestId('queue-toggle').click();
      await page.getByTestId('queue-paused').waitFor();
      await submit(page, 'a banana-shaped hot air balloon over Guilin');
      const item = job(page);
      expect(await stateOf(item)).toBe('queued');
      expect((await snapshot(item)).steps).toEqual([
        'sent:todo',
        'waiting:todo',
        'generating:todo',
        'downloading:todo',
        'saved:todo',
      ]);
      const elapsed = item.getByTestId('job-elapsed');
      expect(await elapsed.getAttribute('data-active')).toBe('true');
      await expect.poll(() => elapsed.innerText(), { timeout: 5_000 }).toMatch(/^[1-9]\d*s$/);
      const first = await elapsed.innerText();
      await expect.poll(() => elapsed.innerText(), { timeout: 5_000 }).not.toBe(first);
      expect(await elapsed.getAttribute('title')).toMatch(/^Started /);
      await job(page).scrollIntoViewIfNeeded();
      await snap(page, 'queue-01-waiting');

      // Running: each snapshot's stepper agrees with the state at that moment.
      await page.getByTestId('queue-toggle').click();
      const seen: { state: string; steps: string[] }[] = [];
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const now = await snapshot(item);
        seen.push(now);
        if (now.state === 'done') break;
        await page.waitForTimeout(40);
      }
      const current = (shot: { steps: string[] }) => shot.steps.find((step) => step.endsWith(':now'));
      const expected: Record<string, string> = {
        submitting: 'sent:now',
        submitted: 'waiting:now',
        waiting: 'waiting:now',
        queuing: 'waiting:now',
        generating: 'generating:now',
        downloading: 'downloading:now',
      };
      const running = seen.filter((shot) => shot.state in expected);
      expect(running.length).toBeGreaterThan(0);
      for (const shot of running) expect(current(shot)).toBe(expected[shot.state]);
      const done = seen.at(-1);
      expect(done?.state).toBe('done');
      expect(done?.steps.every((step) => step.endsWith(':done'))).toBe(true);
      expect(await elapsed.getAttribute('data-active')).toBe('false');
      const final = await elapsed.innerText();
      await page.waitForTimeout(1_300);
      expect(await elapsed.innerText()).toBe(final);
      await job(page).scrollIntoViewIfNeeded();
      await snap(page, 'queue-02-done');

      // Copy details: the clipboard gets the ids, model, params and state.
      await item.getByTestId('job-copy').click();
      await expect.poll(() => item.getByTestId('job-copy').getAttribute('data-copied')).toBe('copied');
      const copied = await page.evaluate<string>('navigator.clipboard.readText()');
      const jobId = (await item.getAttribute('data-job-id')) ?? '';
      const task = [...stack.kie.tasks.keys()][0] ?? '';
      expect(copied).toContain(`Job: ${jobId}`);
      expect(copied).toContain(`KIE task: ${task}`);
      expect(copied).toContain('Model: google/nano-banana');
      expect(copied).toContain('"prompt":"a banana-shaped hot air balloon over Guilin"');
      expect(copied).toContain('State: done');

      // Open result: the job's thumbnail opens its image in the viewer; Esc closes it.
      const imageId = await page.getByTestId('gallery-item').first().getAttribute('data-image-id');
      expect(await item.getByTestId('job-image').getAttribute('data-image-id')).toBe(imageId);
      await item.getByTestId('job-image').click();
      const viewer = page.getByTestId('viewer');
      await viewer.waitFor();
      expect(await viewer.getAttribute('data-image-id')).toBe(imageId);
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await stack.close();
    }
  });

  it('a prompt rejected by the safety filter is explained, with what it cost', async () => {
    const stack = await stackWithKey();
    try {
      const { context, page } = await openApp(browser, stack, APP_OPTIONS);
      stack.kie.setFault({ kind: 'contentRejected' }, 'next');
      await submit(page, 'something the filter will not like');
      const item = job(page);
      await expect.poll(() => stateOf(item), { timeout: 20_000 }).toBe('failed');
      const problem = item.getByTestId('job-error');
      expect(await problem.getAttribute('data-cause')).toBe('contentRejected');
      expect(await problem.getAttribute('role')).toBe('alert');
      const text = await problem.innerText();
      expect(text).toMatch(/safety filter/);
      expect(text).toMatch(/rephras/i);
      expect(text).toContain('KIE said: The content was rejected by the safety filter.');
      expect(await item.getByTestId('job-charge').innerText()).toBe('No credits were charged.');
      expect((await snapshot(item)).steps).toContain('generating:failed');
      await item.getByTestId('job-retry').waitFor();
      await job(page).scrollIntoViewIfNeeded();
      await snap(page, 'queue-03-content-rejected');

      // The copied details carry the error too.
      await item.getByTestId('job-copy').click();
      await expect.poll(() => item.getByTestId('job-copy').getAttribute('data-copied')).toBe('copied');
      const copied = await page.evaluate<string>('navigator.clipboard.readText()');
      expect(copied).toContain('State: failed');
      expect(copied).toContain('Error: CONTENT_REJECTED');
      await context.close();
    } finally {
      await stack.close();
    }
  });

  it('settings: test key, theme, language, notifications and concurrency apply at once', async () => {
    const stack = await stackWithKey();
    try {
      const { context, page, problems } = await openApp(browser, stack, APP_OPTIONS);
      await openSettings(page);
      const result = page.getByTestId('test-key-result');

      // The saved key (empty box): the balance.
      await page.getByTestId('test-api-key').click();
      await result.waitFor();
      expect(await result.getAttribute('data-ok')).toBe('true');
      expect(await result.innerText()).toBe('The key works. Balance: 1,000 credits.');
      // A typed wrong key: the exact problem, and nothing saved.
      await page.getByTestId('api-key-input').fill('kie-wrong-key-0000');
      await page.getByTestId('test-api-key').click();
      await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
      expect(await result.innerText()).toMatch(/^KIE did not accept this key\./);
      const view = (await call(stack, 'settings.get', {})) as { apiKeyHint: string };
      expect(view.apiKeyHint).toBe(stack.kie.apiKey.slice(-4));
      await snap(page, 'queue-04-test-key');
      await page.getByTestId('api-key-input').fill('');

      // Theme: the explicit choice wins over the OS, 'system' follows the OS.
      const theme = page.getByTestId('theme-select');
      expect(await theme.inputValue()).toBe('system');
      expect(await htmlTheme(page)).toBe('light');
      expect(await bodyBackground(page)).toBe('rgb(246, 245, 241)');
      await theme.selectOption('dark');
      await expect.poll(() => htmlTheme(page)).toBe('dark');
      await expect.poll(() => bodyBackground(page)).toBe('rgb(22, 22, 26)');
      await snap(page, 'queue-05-dark-settings');
      await theme.selectOption('system');
      await expect.poll(() => bodyBackground(page)).toBe('rgb(246, 245, 241)');
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(() => htmlTheme(page)).toBe('dark');
      await expect.poll(() => bodyBackground(page)).toBe('rgb(22, 22, 26)');
      await theme.selectOption('light');
      await expect.poll(() => bodyBackground(page)).toBe('rgb(246, 245, 241)');
      expect(await htmlTheme(page)).toBe('light');
      await page.emulateMedia({ colorScheme: 'light' });

      // Language: 简体中文 and back, without a restart.
      await page.getByTestId('language-select').selectOption('zh-CN');
      await expect.poll(() => page.locator('#root h2').first().innerText()).toBe('创作');
      expect(await page.getByTestId('test-api-key').innerText()).toBe('测试密钥');
      expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-CN');
      await snap(page, 'queue-06-settings-zh');
      await page.getByTestId('language-select').selectOption('en');
      await expect.poll(() => page.getByTestId('test-api-key').innerText()).toBe('Test key');

      // Notifications off: a finished job no longer notifies.
      const toggle = page.getByTestId('notifications-toggle');
      expect(await toggle.isChecked()).toBe(true);
      await toggle.uncheck();
      await expect
        .poll(
          async () => ((await call(stack, 'settings.get', {})) as { notifications: boolean }).notifications,
        )
        .toBe(false);

      // Concurrency: the queue's limit follows.
      await page.getByTestId('concurrency-input').fill('2');
      await expect
        .poll(async () => ((await call(stack, 'queue.get', {})) as { limit: number }).limit)
        .toBe(2);
      await closeSettings(page);

      await submit(page, 'quiet banana');
      await expect.poll(() => stateOf(job(page)), { timeout: 20_000 }).toBe('done');
      await page.waitForTimeout(300);
      expect(stack.harness.notifications).toEqual([]);
      // The balance in the header was read again after the job.
      await expect
        .poll(() => page.getByTestId('header-credits').innerText())
        .toContain(new Intl.NumberFormat('en').format(stack.kie.credits));

      // …and on again, from the same place.
      await openSettings(page);
      await page.getByTestId('notifications-toggle').check();
      expect(await page.getByTestId('concurrency-input').inputValue()).toBe('2');
      await closeSettings(page);
      await submit(page, 'loud banana');
      await expect.poll(() => stateOf(job(page)), { timeout: 20_000 }).toBe('done');
      await expect.poll(() => stack.harness.notifications.map((note) => note.body)).toEqual(['loud banana']);
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await stack.close();
    }
  });

  it('offline: a banner says so, composing goes on, and queued jobs go out when KIE is back', async () => {
    const stack = await stackWithKey();
    let revived: KieSimulator | null = null;
    try {
      const { context, page } = await openApp(browser, stack, APP_OPTIONS);
      const port = Number(new URL(stack.kie.url).port);
      const apiKey = stack.kie.apiKey;
      await stack.kie.close();

      await submit(page, 'first banana while offline');
      const banner = page.getByTestId('offline-banner');
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.innerText()).toMatch(
        /You're offline — jobs will be sent when the connection returns/,
      );
      expect(await page.getByTestId('connection-banner').count()).toBe(0);
      const waiting = job(page).getByTestId('job-error');
      expect(await waiting.getAttribute('data-cause')).toBe('offline');
      expect(await waiting.getAttribute('role')).toBeNull();
      // Composing and queueing keep working.
      await submit(page, 'second banana while offline');
      expect(await stateOf(job(page, 0))).toBe('queued');
      expect(await stateOf(job(page, 1))).toBe('queued');
      await expect.poll(() => banner.innerText()).toMatch(/2 waiting/);
      await job(page).scrollIntoViewIfNeeded();
      await snap(page, 'queue-07-offline');

      revived = await startKieSimulator({ port, apiKey, timings: FAST });
      await expect.poll(() => stateOf(job(page, 0)), { timeout: 30_000 }).toBe('done');
      await expect.poll(() => stateOf(job(page, 1)), { timeout: 30_000 }).toBe('done');
      await banner.waitFor({ state: 'detached' });
      expect(revived.countRequests('POST', '/api/v1/jobs/createTask')).toBe(2);
      await expect.poll(() => page.getByTestId('gallery-item').count()).toBe(2);
      await job(page).scrollIntoViewIfNeeded();
      await snap(page, 'queue-08-back-online');
      await context.close();
    } finally {
      await stack.close();
      await revived?.close();
    }
  });

  it('keyboard: "?" opens the shortcuts sheet (not while typing), Esc closes, Ctrl+Enter generates', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true } });
    try {
      const { context, page, problems } = await openApp(browser, stack, APP_OPTIONS);
      const sheet = page.getByTestId('shortcuts-sheet');

      // In the prompt box "?" is just a character.
      await page.getByTestId('prompt-input').fill('why?');
      await page.getByTestId('prompt-input').press('?');
      expect(await page.getByTestId('prompt-input').inputValue()).toBe('why??');
      expect(await sheet.count()).toBe(0);

      await page.getByTestId('prompt-input').blur();
      await page.keyboard.press('?');
      await sheet.waitFor();
      const rows = sheet.getByTestId('shortcut');
      expect(await rows.count()).toBeGreaterThanOrEqual(20);
      const text = await sheet.innerText();
      for (const expected of ['Ctrl/⌘', 'Enter', 'Generate', 'Search the gallery', 'Esc']) {
        expect(text).toContain(expected);
      }
      await snap(page, 'queue-09-shortcuts');
      await page.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });

      // The header button opens it too, in Chinese after a language switch.
      await call(stack, 'settings.update', { language: 'zh-CN' });
      await expect
        .poll(() => page.getByTestId('open-shortcuts').getAttribute('aria-label'))
        .toBe('键盘快捷键（?）');
      await page.getByTestId('open-shortcuts').click();
      await sheet.waitFor();
      expect(await sheet.innerText()).toContain('键盘快捷键');
      expect(await sheet.innerText()).toContain('搜索图库');
      await page.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });
      // Focus went back to the button that opened the sheet; the keyboard moves on with a visible ring.
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<string>(
        '[document.activeElement.dataset.testid, getComputedStyle(document.activeElement).outlineStyle, document.activeElement.matches(":focus-visible")].join(" ")',
      );
      expect(focused).toBe('open-settings solid true');
      // Every stop of the Tab order shows a focus ring (a date field's calendar button, inside the
      // field, has the browser's own).
      const unringed: string[] = [];
      for (let stop = 0; stop < 40; stop += 1) {
        await page.keyboard.press('Tab');
        const seen = await page.evaluate<string>(
          '(() => { const el = document.activeElement; if (!el || el === document.body || !el.matches(":focus")) return ""; const style = getComputedStyle(el); return style.outlineStyle === "none" || style.outlineWidth === "0px" ? (el.dataset.testid || el.tagName) : ""; })()',
        );
        if (seen) unringed.push(seen);
      }
      expect(unringed).toEqual([]);
      await call(stack, 'settings.update', { language: 'en' });

      // Ctrl+Enter generates from outside the prompt box too.
      await page.getByTestId('prompt-input').fill('keyboard banana');
      await page.getByTestId('prompt-input').blur();
      await page.keyboard.press('Control+Enter');
      await expect.poll(() => page.getByTestId('job-item').count()).toBe(1);
      await expect.poll(() => stateOf(job(page)), { timeout: 20_000 }).toBe('done');
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await stack.close();
    }
  });

  it('screenshots of the main screen: English and Chinese, light and dark', async () => {
    const stack = await stackWithKey();
    try {
      const { context, page } = await openApp(browser, stack, APP_OPTIONS);
      const prompts: [string, string][] = [
        ['a lighthouse on a cliff at dawn, watercolour', '16:9'],
        ['一只戴着墨镜的柴犬坐在沙发上，胶片质感', '1:1'],
        ['isometric tiny banana farm with windmills', '4:3'],
        ['neon koi fish swimming through a night market', '3:4'],
        ['雨后的竹林，电影感光线', '9:16'],
        ['a paper boat sailing down a rainy Shanghai street', '16:9'],
        ['macro photo of a honeybee on a lavender flower', '1:1'],
        ['a retro robot watering houseplants, pastel colours', '4:5'],
      ];
      for (const [prompt, ratio] of prompts) {
        await page.getByTestId('aspect-select').selectOption(ratio);
        await submit(page, prompt);
        await expect.poll(() => stateOf(job(page)), { timeout: 20_000 }).toBe('done');
      }
      stack.kie.setFault({ kind: 'contentRejected' }, 'next');
      await submit(page, 'a photo of a celebrity at a crime scene');
      await expect.poll(() => stateOf(job(page)), { timeout: 20_000 }).toBe('failed');
      // One job still busy while the pictures are taken: its download trickles in.
      stack.kie.setFault({ kind: 'slowDownload', chunkBytes: 16, intervalMs: 1_000 }, 'next');
      await page.getByTestId('aspect-select').selectOption('1:1');
      await submit(page, 'a banana astronaut planting a flag on the moon');
      await expect.poll(() => stateOf(job(page)), { timeout: 20_000 }).toBe('downloading');
      await context.close();

      const shots: [string, 'en' | 'zh-CN', 'light' | 'dark', string][] = [
        ['main-en-light', 'en', 'light', 'a cosy reading nook inside a giant banana, soft morning light'],
        ['main-en-dark', 'en', 'dark', 'a cosy reading nook inside a giant banana, soft morning light'],
        ['main-zh-light', 'zh-CN', 'light', '巨大香蕉里的温馨阅读角，清晨柔和的光线'],
        ['main-zh-dark', 'zh-CN', 'dark', '巨大香蕉里的温馨阅读角，清晨柔和的光线'],
      ];
      const target = join(ROOT, 'docs/screenshots');
      for (const [name, language, theme, prompt] of shots) {
        await call(stack, 'settings.update', { language, theme });
        // The browser's own widgets (date fields) speak the language too.
        const shot = await browser.newContext({
          viewport: { width: 1280, height: 800 },
          colorScheme: theme,
          locale: language === 'en' ? 'en-US' : 'zh-CN',
        });
        const view = await shot.newPage();
        await view.goto(stack.harness.url);
        await view.getByTestId('app-root').waitFor();
        await expect.poll(() => htmlTheme(view)).toBe(theme);
        await expect.poll(() => view.evaluate<string>('document.documentElement.lang')).toBe(language);
        await expect.poll(() => view.getByTestId('job-item').count()).toBe(prompts.length + 2);
        await expect
          .poll(() =>
            view.evaluate<boolean>(
              `[...document.querySelectorAll("[data-testid=gallery-item] img")].every((img) => img.complete && img.naturalWidth > 0) && document.querySelectorAll("[data-testid=gallery-item] img").length === ${prompts.length}`,
            ),
          )
          .toBe(true);
        await view.getByTestId('prompt-input').fill(prompt);
        await view.getByTestId('prompt-input').blur();
        // The sidebar shows the prompt first: it is what the app is about.
        await view.evaluate('(() => { document.querySelector(".sidebar").scrollTop = 0; })()');
        await view.mouse.move(1270, 790);
        await view.waitForTimeout(300);
        await snap(view, name);
        // Only on request, so a test run does not rewrite files in the repository.
        if (process.env['UPDATE_SCREENSHOTS'] === '1') {
          await mkdir(target, { recursive: true });
          await copyFile(join(ARTIFACTS, `${name}.png`), join(target, `${name}.png`));
        }
        await shot.close();
      }
    } finally {
      await stack.close();
    }
  });
});
