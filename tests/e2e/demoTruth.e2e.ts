import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { priceRange } from '@shared/domain/pricing';
import { launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

/**
 * Demo mode says one thing: the header shows the callbacks really used (the built-in simulator
 * calls back directly, no tunnel), and the empty gallery does not ask to turn on what is on.
 * Without a key, the first start shows a welcome card (key or Demo mode) that is answered once.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
const stacks: Stack[] = [];

/** What core wrote to the harness's settings file (empty until the first change). */
async function savedSettings(stack: Stack): Promise<Record<string, unknown>> {
  const text = await readFile(join(stack.harness.dataDir, 'settings.json'), 'utf8').catch(() => '{}');
  return (JSON.parse(text) as { settings?: Record<string, unknown> }).settings ?? {};
}

/** The little of the page's DOM the card check reads (tests are type-checked without DOM types). */
interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}
interface CardElement {
  tagName: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  dataset: Record<string, string | undefined>;
  getBoundingClientRect(): Rect;
  querySelectorAll(selector: string): Iterable<CardElement>;
}
interface CardScope {
  innerWidth: number;
  innerHeight: number;
  document: {
    querySelector(selector: string): CardElement | null;
    createRange(): { selectNodeContents(node: unknown): void; getClientRects(): Iterable<Rect> };
    createTreeWalker(root: CardElement, whatToShow: 4): { nextNode(): { textContent: string | null } | null };
  };
}

/**
 * The welcome card's geometry: inside the gallery area and the window, its two options side by
 * side or stacked but never overlapping, and no control or heading clipped or (buttons) wrapped.
 */
async function cardProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as CardScope;
    const found: string[] = [];
    const card = scope.document.querySelector('[data-testid="welcome-card"]');
    const gallery = scope.document.querySelector('section.gallery');
    if (!card || !gallery) return ['no card or no gallery'];
    const inside = (inner: Rect, outer: Rect) =>
      inner.left >= outer.left - 0.5 &&
      inner.right <= outer.right + 0.5 &&
      inner.top >= outer.top - 0.5 &&
      inner.bottom <= outer.bottom + 0.5;
    const box = card.getBoundingClientRect();
    const area = gallery.getBoundingClientRect();
    if (!inside(box, area)) found.push('the card reaches outside the gallery area');
    const view = { left: 0, top: 0, right: scope.innerWidth, bottom: scope.innerHeight, width: 0, height: 0 };
    if (!inside(box, view)) found.push('the card reaches outside the window');
    const options = Array.from(card.querySelectorAll('.welcome-option')).map((option) =>
      option.getBoundingClientRect(),
    );
    if (options.length !== 2) found.push(`${options.length} options instead of 2`);
    const [a, b] = options;
    if (a && b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
      found.push('the two options overlap');
    for (const element of Array.from(card.querySelectorAll('button, a, h2, h3, input, p'))) {
      const name = element.dataset['testid'] ?? element.textContent?.trim().slice(0, 30) ?? element.tagName;
      const rect = element.getBoundingClientRect();
      if (!inside(rect, box)) found.push(`“${name}” sticks out of the card`);
      // A typed key longer than its field scrolls inside it, as a field should.
      if (element.tagName !== 'INPUT' && element.scrollWidth - element.clientWidth > 1)
        found.push(`“${name}” is clipped`);
      if (element.tagName !== 'BUTTON') continue;
      const walker = scope.document.createTreeWalker(element, 4);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const range = scope.document.createRange();
        range.selectNodeContents(node);
        const lines = new Set(Array.from(range.getClientRects()).map((line) => Math.round(line.top)));
        if (lines.size > 1) found.push(`button “${name}” wraps onto ${lines.size} lines`);
      }
    }
    return found;
  });
}
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

  it('no key: the gallery holds a welcome card that fits, and Try Demo mode works in one click, for good', async () => {
    const stack = await startStack({ initialSettings: { demoMode: false, language } });
    stacks.push(stack);
    for (const [width, height] of [
      [1280, 800],
      [1024, 768],
    ] as const) {
      const { page, problems, context } = await openApp(browser, stack, { width, height });
      const card = page.getByTestId('welcome-card');
      await card.waitFor();
      // Nothing says "broken": no alert, the header says polling, and the card's words are calm.
      expect(await page.getByRole('alert').count()).toBe(0);
      const pill = page.getByTestId('tunnel-pill');
      await expect.poll(() => pill.getAttribute('data-state')).toBe('off');
      expect(await pill.innerText()).toBe(text.tunnel.pollingOnly);
      await expect
        .poll(() => page.getByTestId('header-credits').getAttribute('title'))
        .toBe(text.credits.noKey);
      expect(await page.getByTestId('gallery-empty-hint').count()).toBe(0);
      expect(await card.locator('h2').innerText()).toBe(text.welcome.title);
      const link = page.getByTestId('welcome-key-link');
      expect(await link.getAttribute('href')).toBe('https://kie.ai/api-key');
      expect(await link.innerText()).toBe(text.welcome.keyLink);
      const { min, max } = priceRange({});
      expect(await page.getByTestId('welcome-cost').innerText()).toBe(
        text.welcome.cost.replace('{{min}}', String(min)).replace('{{max}}', String(max)),
      );
      expect(await cardProblems(page)).toEqual([]);
      await snap(page, `welcome-${language}-${width}`);
      expect(problems).toEqual([]);
      await context.close();
    }

    // The smallest window: the card scrolls inside the gallery area rather than being cut off.
    {
      const { page, context } = await openApp(browser, stack, { width: 900, height: 600 });
      const demo = page.getByTestId('welcome-try-demo');
      await demo.scrollIntoViewIfNeeded();
      const box = await demo.boundingBox();
      const area = await page.locator('section.gallery').boundingBox();
      expect(
        box && area && box.y >= area.y && box.y + box.height <= Math.min(area.y + area.height, 600),
      ).toBe(true);
      // Scrolled by the card's own scroll box (a user can do that), not by the gallery section,
      // which hides its overflow and could only be scrolled from a script.
      const scrolled = (selector: string) =>
        page.locator(selector).evaluate((element) => (element as unknown as { scrollTop: number }).scrollTop);
      expect(await scrolled('.gallery-welcome')).toBeGreaterThan(0);
      expect(await scrolled('section.gallery')).toBe(0);
      await context.close();
    }

    const { page, problems } = await openApp(browser, stack);
    await page.getByTestId('welcome-try-demo').click();
    await page.getByTestId('demo-badge').waitFor();
    await page.getByTestId('welcome-card').waitFor({ state: 'detached' });
    expect(await page.getByTestId('gallery-empty-hint').innerText()).toBe(text.gallery.emptyHintDemo);
    // Remembered: core's settings file holds the answer, and a reload does not show the card.
    expect(await savedSettings(stack)).toMatchObject({ demoMode: true, welcomeDone: true });
    await page.reload();
    await page.getByTestId('gallery-empty-hint').waitFor();
    expect(await page.getByTestId('welcome-card').count()).toBe(0);
    expect(await page.getByTestId('demo-badge').count()).toBe(1);
    expect(problems).toEqual([]);
  }, 60_000);

  it('no key: the welcome card takes a pasted key, tells a wrong one apart, and does not come back', async () => {
    const stack = await startStack({ initialSettings: { demoMode: false, language } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack);
    const input = page.getByTestId('welcome-key-input');
    const save = page.getByTestId('welcome-save-key');
    const error = page.getByTestId('welcome-key-error');
    await input.fill('short');
    await save.click();
    expect(await error.innerText()).toBe(text.settings.invalidKey);
    // A key KIE refuses is not kept: the card says so and stays.
    await input.fill('sk-not-the-right-key-0000');
    await save.click();
    await expect.poll(() => error.innerText()).toBe(text.settings.testKeyRejected);
    expect(await page.getByTestId('welcome-card').count()).toBe(1);
    expect(await cardProblems(page)).toEqual([]);
    await snap(page, `welcome-${language}-rejected`);

    await input.fill(stack.kie.apiKey);
    await save.click();
    await page.getByTestId('welcome-card').waitFor({ state: 'detached' });
    expect(await page.getByTestId('gallery-empty-hint').innerText()).toBe(text.gallery.emptyHintReady);
    await page.reload();
    await page.getByTestId('gallery-empty-hint').waitFor();
    expect(await page.getByTestId('welcome-card').count()).toBe(0);
    // The key went to the place Settings keeps it.
    await page.getByTestId('open-settings').click();
    expect(await page.getByTestId('clear-api-key').count()).toBe(1);
    expect(problems).toEqual([]);
  }, 60_000);

  it('no key, no keyring: the card asks the same storage question as Settings before keeping the key', async () => {
    const stack = await startStack({
      osEncryption: { backend: 'basic_text' },
      initialSettings: { demoMode: false, language },
    });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack);
    await page.getByTestId('welcome-key-input').fill(stack.kie.apiKey);
    await page.getByTestId('welcome-save-key').click();
    const question = page.getByTestId('storage-question');
    await question.waitFor();
    // Closing the question keeps nothing, and the card stays with the key still typed.
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    expect(await page.getByTestId('welcome-card').count()).toBe(1);
    expect(await page.getByTestId('welcome-key-input').inputValue()).toBe(stack.kie.apiKey);
    expect(await savedSettings(stack)).not.toMatchObject({ welcomeDone: true });

    await page.getByTestId('welcome-save-key').click();
    await page.getByTestId('storage-session').click();
    await page.getByTestId('welcome-card').waitFor({ state: 'detached' });
    expect(await page.getByTestId('gallery-empty-hint').innerText()).toBe(text.gallery.emptyHintReady);
    expect(await savedSettings(stack)).toMatchObject({ weakSecretStorage: 'session', welcomeDone: true });
    expect(problems).toEqual([]);
  });

  it('no key: "Not now" puts the card away for good, and the gallery still says what to do', async () => {
    const stack = await startStack({ initialSettings: { demoMode: false, language } });
    stacks.push(stack);
    const { page, problems } = await openApp(browser, stack);
    await page.getByTestId('welcome-dismiss').click();
    await page.getByTestId('welcome-card').waitFor({ state: 'detached' });
    expect(await page.getByTestId('gallery-empty-hint').innerText()).toBe(text.gallery.emptyHint);
    expect(await savedSettings(stack)).toMatchObject({ demoMode: false, welcomeDone: true });
    await page.reload();
    await page.getByTestId('gallery-empty-hint').waitFor();
    expect(await page.getByTestId('welcome-card').count()).toBe(0);

    // With a key saved in Settings, the hint no longer asks for one.
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
