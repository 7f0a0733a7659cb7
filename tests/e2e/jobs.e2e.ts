import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import { startKieSimulator } from '@core/kie/simulator';
import { startHarness } from '../../src/harness/server';
import { launchBrowser, openApp, RENDERER_DIR, snap, startStack, TRANSLATIONS, type Stack } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function call<T = unknown>(stack: Stack, route: string, input: unknown): Promise<T> {
  const result = await stack.harness.core.dispatch(route, input, { transport: 'test' });
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

const submit = (stack: Stack, prompt: string): Promise<Job> =>
  call<Job>(stack, 'jobs.submit', {
    model: 'google/nano-banana',
    prompt,
    aspectRatio: '1:1',
    outputFormat: 'png',
    resolution: null,
  });

async function settle(stack: Stack, ids: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const jobs = await call<Job[]>(stack, 'jobs.list', { limit: 100 });
    const open = jobs.filter((job) => ids.includes(job.id) && !['done', 'failed'].includes(job.state));
    if (open.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('jobs did not settle');
}

/**
 * A long history: `done` finished jobs, `failed` failed ones (content filter), then `queued`
 * held by a paused queue, so the list has jobs on its way that are also the newest.
 */
async function history(stack: Stack, counts: { done: number; failed: number; queued: number }) {
  const ids: string[] = [];
  for (let index = 0; index < counts.done; index += 1)
    ids.push((await submit(stack, `finished banana number ${index + 1} on a long sunny beach`)).id);
  // Before any fault: a 'next' fault is taken by whichever createTask comes next.
  await settle(stack, ids);
  for (let index = 0; index < counts.failed; index += 1) {
    stack.demo.setFault({ kind: 'contentRejected' }, 'next');
    ids.push((await submit(stack, `rejected banana ${index + 1}`)).id);
    // One at a time: a 'next' fault is taken by the next createTask.
    await settle(stack, ids);
  }
  await settle(stack, ids);
  await call(stack, 'queue.pause', {});
  const queued: string[] = [];
  for (let index = 0; index < counts.queued; index += 1)
    queued.push((await submit(stack, `waiting banana ${index + 1}`)).id);
  return { settled: ids, queued };
}

/** The little of the page's DOM these checks read (the file is type-checked without DOM types). */
interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
  height: number;
  width: number;
}
interface El {
  getBoundingClientRect(): Box;
  scrollHeight: number;
  clientHeight: number;
  scrollWidth: number;
  clientWidth: number;
  tabIndex: number;
  textContent: string | null;
  disabled?: boolean;
  closest(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  getAttribute(name: string): string | null;
  dataset: Record<string, string | undefined>;
}
interface Scope {
  innerHeight: number;
  innerWidth: number;
  document: {
    querySelector(selector: string): El | null;
    querySelectorAll(selector: string): Iterable<El>;
    createRange(): {
      selectNodeContents(node: El): void;
      getClientRects(): Iterable<{ top: number; height: number }>;
    };
  };
  getComputedStyle(element: El): { display: string; visibility: string };
}

interface Geometry {
  viewport: { width: number; height: number };
  sidebar: { scrollHeight: number; clientHeight: number };
  panel: Box;
  scroller: { scrollHeight: number; clientHeight: number; box: Box };
  states: string[];
  /** Per card: how many of its controls (itself included) a Tab reaches. */
  tabStops: number[];
  /** Buttons in the panel whose label is clipped or wraps. */
  badLabels: string[];
  /** Cards whose boxes overlap the next one. */
  overlaps: number;
  firstCardHeight: number;
}

async function geometry(page: Page): Promise<Geometry> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as Scope;
    const one = (selector: string): El => {
      const found = scope.document.querySelector(selector);
      if (!found) throw new Error(`${selector} is missing`);
      return found;
    };
    const sidebar = one('.sidebar');
    const panel = one('[data-testid="jobs-panel"]');
    const scroller = one('[data-testid="job-scroll"]');
    const cards = Array.from(scope.document.querySelectorAll('[data-testid="job-item"]'));
    const focusable = 'button, input, select, textarea, a[href], [tabindex]';
    const tabStops = cards.map(
      (card) =>
        (card.tabIndex >= 0 ? 1 : 0) +
        Array.from(card.querySelectorAll(focusable)).filter(
          (element) => element.tabIndex >= 0 && element.disabled !== true,
        ).length,
    );
    const badLabels: string[] = [];
    for (const button of Array.from(panel.querySelectorAll('button'))) {
      const box = button.getBoundingClientRect();
      if (box.width === 0) continue;
      const text = button.textContent?.trim() ?? '';
      if (button.scrollWidth > button.clientWidth + 1) badLabels.push(`${text}: clipped`);
      // A label broken over two lines: its text's boxes sit at more than one height.
      const range = scope.document.createRange();
      range.selectNodeContents(button);
      const lines = new Set(
        Array.from(range.getClientRects())
          .filter((rect) => rect.height > 0)
          .map((rect) => Math.round(rect.top)),
      );
      if (text !== '' && lines.size > 1) badLabels.push(`${text}: wraps onto ${lines.size} lines`);
    }
    for (const name of Array.from(panel.querySelectorAll('.job-step-name'))) {
      if (name.scrollWidth > name.clientWidth + 1) badLabels.push(`step ${name.textContent ?? ''}: cut`);
    }
    let overlaps = 0;
    for (let index = 1; index < cards.length; index += 1) {
      const above = cards[index - 1]?.getBoundingClientRect();
      const below = cards[index]?.getBoundingClientRect();
      if (above && below && below.top < above.bottom - 0.5) overlaps += 1;
    }
    return {
      viewport: { width: scope.innerWidth, height: scope.innerHeight },
      sidebar: { scrollHeight: sidebar.scrollHeight, clientHeight: sidebar.clientHeight },
      panel: panel.getBoundingClientRect(),
      scroller: {
        scrollHeight: scroller.scrollHeight,
        clientHeight: scroller.clientHeight,
        box: scroller.getBoundingClientRect(),
      },
      states: cards.map((card) => card.getAttribute('data-state') ?? ''),
      tabStops,
      badLabels,
      overlaps,
      firstCardHeight: cards[0]?.getBoundingClientRect().height ?? 0,
    };
  });
}

const focusedJobId = (page: Page): Promise<string | null> =>
  page.evaluate<string | null>('document.activeElement?.getAttribute("data-job-id") ?? null');

describe('the job list as a compact, scrollable panel (Chromium)', () => {
  for (const language of ['en', 'zh-CN'] as const) {
    it(`${language}: 25 jobs at 1280×800 stay inside the window, jobs on their way first, one Tab stop per card`, async () => {
      const words = TRANSLATIONS[language];
      const stack = await startStack({ initialSettings: { demoMode: true, language } });
      try {
        const { settled, queued } = await history(stack, { done: 19, failed: 3, queued: 3 });
        const { context, page, problems } = await openApp(browser, stack, { width: 1280, height: 800 });
        await expect.poll(() => page.getByTestId('job-item').count(), { timeout: 20_000 }).toBe(25);
        await expect.poll(() => page.locator('[data-testid="job-image"] img').count()).toBeGreaterThan(3);
        await snap(page, `jobs-01-long-list-${language}`);

        const shape = await geometry(page);
        // The sidebar does not grow with the list: it fits the window, and the list scrolls inside.
        expect(shape.sidebar.scrollHeight).toBeLessThanOrEqual(shape.sidebar.clientHeight + 1);
        expect(shape.panel.bottom).toBeLessThanOrEqual(shape.viewport.height);
        expect(shape.scroller.scrollHeight).toBeGreaterThan(shape.scroller.clientHeight);
        // Room for a whole card at least, however tall the compose panel above.
        expect(shape.scroller.box.height).toBeGreaterThanOrEqual(shape.firstCardHeight);
        expect(shape.overlaps).toBe(0);
        expect(shape.badLabels).toEqual([]);
        // Jobs on their way first (the queued ones), then the rest.
        expect(shape.states.slice(0, 3)).toEqual(['queued', 'queued', 'queued']);
        expect(shape.states.slice(3).every((state) => state === 'done' || state === 'failed')).toBe(true);
        expect(await page.getByTestId('job-item').first().getAttribute('data-job-id')).toBe(queued.at(-1));
        // One card is in the Tab order with its own buttons; every other card costs nothing.
        const [first = 0, ...others] = shape.tabStops;
        expect(first).toBeGreaterThanOrEqual(1);
        expect(first).toBeLessThanOrEqual(4);
        expect(others.every((stops) => stops === 0)).toBe(true);

        // Keyboard: into the list with Tab, card to card with the arrows.
        await page.getByTestId('queue-toggle').focus();
        const stopsToList: string[] = [];
        for (let step = 0; step < 6 && (await focusedJobId(page)) === null; step += 1) {
          await page.keyboard.press('Tab');
          stopsToList.push(await page.evaluate<string>('document.activeElement?.textContent ?? ""'));
        }
        expect(await focusedJobId(page)).toBe(queued.at(-1));
        await page.keyboard.press('ArrowDown');
        expect(await focusedJobId(page)).toBe(queued.at(-2));
        await page.keyboard.press('End');
        const lastId = await focusedJobId(page);
        expect(lastId).toBe(settled[0]);
        // The focused card is scrolled into view inside the panel (its top, if it is taller).
        const lastBox = await page
          .locator(`[data-testid="job-item"][data-job-id="${lastId}"]`)
          .evaluate((node) => (node as unknown as El).getBoundingClientRect());
        const after = await geometry(page);
        expect(lastBox.top).toBeGreaterThanOrEqual(after.scroller.box.top - 1);
        expect(Math.min(lastBox.bottom, after.scroller.box.bottom) - lastBox.top).toBeGreaterThan(40);
        // Still one Tab stop per card, now on the last one.
        expect(after.tabStops.at(-1)).toBeGreaterThanOrEqual(1);
        expect(after.tabStops.slice(0, -1).every((stops) => stops === 0)).toBe(true);
        await snap(page, `jobs-02-keyboard-${language}`);

        expect(await page.getByTestId('jobs-clear-menu').innerText()).toBe(words.jobs.clearMenu);
        await page.getByTestId('jobs-clear-menu').click();
        expect(await page.getByTestId('jobs-clear-finished').innerText()).toBe(words.jobs.clearFinished);
        expect(await page.getByTestId('jobs-clear-failed').innerText()).toBe(words.jobs.clearFailed);
        expect((await geometry(page)).badLabels).toEqual([]);
        await snap(page, `jobs-03-clear-menu-${language}`);
        expect(problems).toEqual([]);
        await context.close();
      } finally {
        await stack.close();
      }
    });
  }
});

const card = (page: Page, id: string) => page.locator(`[data-testid="job-item"][data-job-id="${id}"]`);
const cardIds = async (page: Page): Promise<string[]> =>
  (await page
    .getByTestId('job-item')
    .evaluateAll((nodes) =>
      nodes.map((node) => (node as unknown as El).getAttribute('data-job-id') ?? ''),
    )) as string[];

describe('clearing jobs from the list', () => {
  it('one, every failed, every finished: the images stay, other windows follow, a reload keeps it', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true } });
    try {
      const { settled, queued } = await history(stack, { done: 3, failed: 2, queued: 1 });
      const [done1 = '', done2 = '', done3 = '', failed1 = '', failed2 = ''] = settled;
      const { context, page, problems } = await openApp(browser, stack);
      const other = await openApp(browser, stack);
      await expect.poll(() => page.getByTestId('job-item').count(), { timeout: 20_000 }).toBe(6);
      await expect.poll(() => other.page.getByTestId('job-item').count(), { timeout: 20_000 }).toBe(6);
      await expect.poll(() => page.getByTestId('gallery-item').count()).toBe(3);
      // A job on its way has nothing to clear.
      expect(
        await card(page, queued[0] ?? '')
          .getByTestId('job-clear')
          .count(),
      ).toBe(0);

      // One card, with the mouse.
      await card(page, done3).getByTestId('job-clear').click();
      await expect.poll(() => cardIds(page)).not.toContain(done3);
      await expect.poll(() => cardIds(other.page)).not.toContain(done3);
      // One card, from the keyboard: Delete on the card, and the focus moves on to the next one.
      await card(page, done2).focus();
      await page.keyboard.press('Delete');
      await expect.poll(() => cardIds(page)).not.toContain(done2);
      await expect.poll(() => focusedJobId(page)).toBe(done1);

      // Every failed one: the finished ones stay.
      await page.getByTestId('jobs-clear-menu').click();
      await page.getByTestId('jobs-clear-failed').click();
      await expect.poll(() => cardIds(page)).toEqual([queued[0], done1]);
      expect(await cardIds(page)).not.toContain(failed1);
      expect(await cardIds(page)).not.toContain(failed2);
      await snap(page, 'jobs-04-cleared-failed');
      // Every finished one: only the job on its way is left.
      await page.getByTestId('jobs-clear-menu').click();
      await page.getByTestId('jobs-clear-finished').click();
      await expect.poll(() => cardIds(page)).toEqual([queued[0]]);
      await expect.poll(() => cardIds(other.page)).toEqual([queued[0]]);
      await expect.poll(() => page.getByTestId('jobs-clear-menu').count()).toBe(0);

      // Not an image was touched.
      expect(await page.getByTestId('gallery-item').count()).toBe(3);
      await page.reload();
      await page.getByTestId('app-root').waitFor();
      await expect.poll(() => page.getByTestId('job-item').count(), { timeout: 20_000 }).toBe(1);
      expect(await cardIds(page)).toEqual([queued[0]]);
      await expect.poll(() => page.getByTestId('gallery-item').count()).toBe(3);
      expect(problems).toEqual([]);
      expect(other.problems).toEqual([]);
      await other.context.close();
      await context.close();
    } finally {
      await stack.close();
    }
  });
});

/**
 * A stack whose simulators take their time (each of KIE's states lasts a second, the download a
 * while), and whose core looks often: the step bar has something to show at every step.
 */
async function slowStack(mode: 'callback' | 'polling'): Promise<Stack> {
  const timings = { waitingMs: 1_000, queuingMs: 1_000, generatingMs: 2_000 };
  const kie = await startKieSimulator({ timings });
  const demo = await startKieSimulator({ timings });
  for (const sim of [kie, demo]) sim.setFault({ kind: 'slowDownload', chunks: 5, intervalMs: 300 }, 'global');
  const harness = await startHarness({
    rendererDir: RENDERER_DIR,
    quiet: true,
    removeDataOnClose: true,
    demoKie: { apiBaseUrl: demo.apiBaseUrl, uploadBaseUrl: demo.uploadBaseUrl, apiKey: demo.apiKey },
    // The callback is "late" only after a minute: with a callback coming, every state seen
    // before it came from a look at the task.
    core: { poll: { initialMs: 250, maxMs: 400, progressMs: 250, lateCallbackMs: 60_000 } },
    initialSettings: {
      kieApiBaseUrl: kie.apiBaseUrl,
      kieUploadBaseUrl: kie.uploadBaseUrl,
      language: 'en',
      demoMode: mode === 'callback',
      tunnelMode: 'off',
    },
  });
  const stack: Stack = {
    harness,
    kie,
    demo,
    async close() {
      await harness.close();
      await Promise.all([kie.close(), demo.close()]);
    },
  };
  if (mode === 'polling') await call(stack, 'settings.setApiKey', { apiKey: kie.apiKey });
  return stack;
}

/** A card's state and the step marked `now` (or `all-done`), read in one go. */
async function barOf(page: Page, id: string): Promise<{ state: string; now: string }> {
  return card(page, id).evaluate((node) => {
    const element = node as unknown as El;
    const steps = Array.from(element.querySelectorAll('[data-testid="job-steps"] li'));
    const now = steps.find((step) => step.getAttribute('data-status') === 'now');
    const allDone = steps.length > 0 && steps.every((step) => step.getAttribute('data-status') === 'done');
    return {
      state: element.getAttribute('data-state') ?? '',
      now: now?.getAttribute('data-step') ?? (allDone ? 'all-done' : 'none'),
    };
  });
}

describe('the step bar tells the truth', () => {
  for (const mode of ['callback', 'polling'] as const) {
    it(`${mode}: sent → waiting → generating → downloading → saved, as the job's state changes`, async () => {
      const stack = await slowStack(mode);
      try {
        const { context, page, problems } = await openApp(browser, stack);
        await page.getByTestId('prompt-input').fill(`a ${mode} banana at sunrise`);
        await page.getByTestId('submit-button').click();
        await expect.poll(() => page.getByTestId('job-item').count()).toBe(1);
        const id = (await page.getByTestId('job-item').first().getAttribute('data-job-id')) ?? '';
        const seen: { state: string; now: string }[] = [];
        const deadline = Date.now() + 40_000;
        while (Date.now() < deadline) {
          const bar = await barOf(page, id);
          if (seen.at(-1)?.now !== bar.now || seen.at(-1)?.state !== bar.state) seen.push(bar);
          if (bar.state === 'done') break;
          await page.waitForTimeout(40);
        }
        // Every moment agrees with the state then…
        const STEP_FOR: Record<string, string> = {
          queued: 'none',
          submitting: 'sent',
          submitted: 'waiting',
          waiting: 'waiting',
          queuing: 'waiting',
          generating: 'generating',
          downloading: 'downloading',
          done: 'all-done',
        };
        for (const shot of seen) expect(shot.now, JSON.stringify(seen)).toBe(STEP_FOR[shot.state]);
        // …and the bar went through every step after sending, in order, to the end.
        const steps = seen.map((shot) => shot.now).filter((now, index, all) => now !== all[index - 1]);
        const wanted = ['waiting', 'generating', 'downloading', 'all-done'];
        expect(
          steps.filter((now) => wanted.includes(now)),
          JSON.stringify(seen),
        ).toEqual(wanted);
        await snap(page, `jobs-05-steps-${mode}`);
        // The way the result came: a callback URL for Demo mode, none when polling.
        const task = [...(mode === 'callback' ? stack.demo : stack.kie).tasks.values()][0];
        expect(task?.callBackUrl ? 'callback' : 'polling').toBe(mode);
        expect(problems).toEqual([]);
        await context.close();
      } finally {
        await stack.close();
      }
    });
  }
});

/** Plays the window losing the focus (another app in front): what the renderer then tells core. */
async function blurWindow(page: Page): Promise<void> {
  await page.evaluate(() => {
    const scope = globalThis as unknown as {
      document: { hasFocus: () => boolean };
      dispatchEvent(event: unknown): void;
      Event: new (type: string) => unknown;
    };
    scope.document.hasFocus = () => false;
    scope.dispatchEvent(new scope.Event('blur'));
  });
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('notices about jobs', () => {
  for (const language of ['en', 'zh-CN'] as const) {
    it(`${language}: a failure raises a toast, and an OS notification only when the window is not focused; a finished image notifies with its picture and opens on click`, async () => {
      const words = TRANSLATIONS[language];
      const stack = await startStack({ initialSettings: { demoMode: true, language } });
      try {
        const { context, page, problems } = await openApp(browser, stack);
        const notes = stack.harness.notifications;
        expect(await page.evaluate<boolean>('document.hasFocus()')).toBe(true);

        // Focused: a toast in the window, no OS notification.
        stack.demo.setFault({ kind: 'contentRejected' }, 'next');
        await page.getByTestId('prompt-input').fill('a rejected banana');
        await page.getByTestId('submit-button').click();
        const toast = page.locator('[data-testid="toast"][data-kind="jobFailed"]');
        await toast.waitFor({ timeout: 20_000 });
        const toastText = await toast.innerText();
        expect(toastText).toContain('a rejected banana');
        expect(toastText).toContain(words.errors.CONTENT_REJECTED);
        expect(await toast.getByTestId('toast-show-job').innerText()).toBe(words.jobs.toast.show);
        await snap(page, `jobs-06-failed-toast-${language}`);
        await page.waitForTimeout(300);
        expect(notes).toEqual([]);
        // "Show job" brings the failed card into view, focused.
        const failedId =
          (await page.locator('[data-testid="job-item"][data-state="failed"]').getAttribute('data-job-id')) ??
          '';
        await toast.getByTestId('toast-show-job').click();
        await expect.poll(() => focusedJobId(page)).toBe(failedId);
        expect(await card(page, failedId).getAttribute('data-revealed')).toBe('true');

        // Not focused: the failure is also an OS notification; a click on it shows the job.
        await blurWindow(page);
        await page
          .getByTestId('prompt-input')
          .evaluate((node) => (node as unknown as { blur(): void }).blur());
        stack.demo.setFault({ kind: 'contentRejected' }, 'next');
        const second = await submit(stack, 'a banana nobody watched');
        await expect.poll(() => notes.length, { timeout: 20_000 }).toBe(1);
        expect(notes[0]?.title).toBe(words.notifications.failedTitle);
        expect(notes[0]?.body).toContain('a banana nobody watched');
        expect(notes[0]?.imagePng).toBeNull();
        await page.locator('[data-testid="toast"][data-kind="jobFailed"]').first().waitFor();
        notes[0]?.click();
        await expect.poll(() => focusedJobId(page)).toBe(second.id);

        // A finished image: its thumbnail rides along as a PNG, and a click opens it in the viewer.
        const done = await submit(stack, 'a banana worth seeing');
        await expect.poll(() => notes.length, { timeout: 20_000 }).toBe(2);
        const note = notes[1];
        expect(note?.title).toBe(words.notifications.doneTitle);
        expect(note?.body).toBe('a banana worth seeing');
        expect(note?.imagePng?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
        const imageId = (await call<Job[]>(stack, 'jobs.list', { limit: 10 })).find(
          (job) => job.id === done.id,
        )?.imageIds[0];
        expect(imageId).toBeDefined();
        note?.click();
        const viewer = page.getByTestId('viewer');
        await viewer.waitFor();
        expect(await viewer.getAttribute('data-image-id')).toBe(imageId);
        await snap(page, `jobs-07-notification-opened-${language}`);
        expect(problems).toEqual([]);
        await context.close();
      } finally {
        await stack.close();
      }
    });
  }
});

describe('a job card links to its results and its log', () => {
  it('its image opens in the viewer, its log lines are one click away', async () => {
    const stack = await startStack({ initialSettings: { demoMode: true } });
    try {
      const { context, page, problems } = await openApp(browser, stack);
      await page.getByTestId('prompt-input').fill('a banana with a paper trail');
      await page.getByTestId('submit-button').click();
      const item = page.getByTestId('job-item').first();
      await expect.poll(() => item.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
      const jobId = (await item.getAttribute('data-job-id')) ?? '';
      const [imageId] = (await call<Job[]>(stack, 'jobs.list', { limit: 10 }))[0]?.imageIds ?? [];
      const thumb = item.getByTestId('job-image');
      expect(await thumb.getAttribute('data-image-id')).toBe(imageId);
      await expect
        .poll(() => thumb.locator('img').getAttribute('src'))
        .toContain(`/gallery/thumb/${imageId}`);
      // From the keyboard too: Enter on the card opens its image.
      await item.focus();
      await page.keyboard.press('Enter');
      const viewer = page.getByTestId('viewer');
      await viewer.waitFor();
      expect(await viewer.getAttribute('data-image-id')).toBe(imageId);
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });
      await thumb.click();
      await viewer.waitFor();
      expect(await viewer.getAttribute('data-image-id')).toBe(imageId);
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });

      await item.getByTestId('job-log').click();
      const log = page.getByTestId('log-dialog');
      await log.waitFor();
      await expect.poll(() => log.getByTestId('log-list').locator('li').count()).toBeGreaterThan(2);
      const text = await log.getByTestId('log-list').innerText();
      expect(text).toContain('Job queued');
      expect(text).toContain(jobId);
      await snap(page, 'jobs-08-log');
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await stack.close();
    }
  });
});
