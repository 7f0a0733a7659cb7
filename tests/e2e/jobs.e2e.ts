import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import { launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

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
