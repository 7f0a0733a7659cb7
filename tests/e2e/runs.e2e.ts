import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GalleryImage } from '@shared/domain/image';
import type { Job } from '@shared/domain/job';
import type { StagedReference } from '@shared/domain/reference';
import { isFocused, layoutProblems } from './geometry';
import { launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const tiles = (page: Page): Locator => page.getByTestId('gallery-item');
const tile = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="gallery-item"][data-image-id="${id}"]`);
const fill = (template: string, values: Record<string, string | number>): string =>
  Object.entries(values).reduce(
    (text, [key, value]) => text.replaceAll(`{{${key}}}`, String(value)),
    template,
  );

async function dispatch<T>(stack: Stack, route: string, input: unknown): Promise<T> {
  const result = await stack.harness.core.dispatch(route, input, { transport: 'test' });
  if (!result.ok) throw new Error(`${route}: ${result.error.message}`);
  return result.value as T;
}

async function images(stack: Stack): Promise<GalleryImage[]> {
  return (
    await dispatch<{ items: GalleryImage[] }>(stack, 'gallery.query', { query: {}, cursor: null, limit: 100 })
  ).items;
}

const base = { model: 'google/nano-banana', outputFormat: 'png', resolution: null, aspectRatio: '1:1' };

/** A picture, and an edit made from it (so the edit has a reference to send again). */
async function seed(stack: Stack, page: Page): Promise<{ source: string; edit: GalleryImage }> {
  await dispatch<Job>(stack, 'jobs.submit', { ...base, prompt: 'a red kite over green hills' });
  await expect.poll(() => tiles(page).count(), { timeout: 30_000 }).toBe(1);
  const source = (await images(stack))[0]?.id ?? '';
  const reference = await dispatch<StagedReference>(stack, 'references.fromGallery', { imageId: source });
  await dispatch<Job>(stack, 'jobs.submit', {
    ...base,
    prompt: 'the kite in a storm',
    aspectRatio: '3:4',
    references: [reference.id],
  });
  await expect.poll(() => tiles(page).count(), { timeout: 30_000 }).toBe(2);
  const edit = (await images(stack)).find((image) => image.params.prompt === 'the kite in a storm');
  if (!edit) throw new Error('the edit did not arrive');
  return { source, edit };
}

describe('Again ×N and A/B runs (Chromium)', () => {
  for (const language of ['en', 'zh-CN'] as const) {
    it(`${language}: Again from a tile and from the viewer, a missing reference named, paid Again priced`, async () => {
      const text = TRANSLATIONS[language];
      const stack = await startStack({ initialSettings: { demoMode: true, language } });
      try {
        const { page, problems } = await openApp(browser, stack, { width: 1280, height: 820 });
        const { source: sourceId, edit } = await seed(stack, page);
        const same = (image: GalleryImage) =>
          image.id !== edit.id &&
          image.params.prompt === edit.params.prompt &&
          image.params.model === edit.params.model &&
          image.params.aspectRatio === edit.params.aspectRatio &&
          JSON.stringify(image.params.references) === JSON.stringify(edit.params.references);

        // ── Mouse: the tile's ↻, three more, free in Demo mode. ──
        await tile(page, edit.id).hover();
        await tile(page, edit.id).getByTestId('tile-again').click();
        const dialog = page.getByTestId('again-dialog');
        await dialog.waitFor();
        expect(await isFocused(page.getByTestId('again-cancel'))).toBe(true);
        expect(await page.getByTestId('again-settings').innerText()).toContain('3:4');
        expect(await page.getByTestId('again-cost').innerText()).toBe(text.compose.batchConfirmDemo);
        await expect.poll(() => page.getByTestId('again-ok').isEnabled()).toBe(true);
        await page.getByTestId('again-count-3').click();
        expect(await dialog.getAttribute('data-count')).toBe('3');
        expect(await page.getByTestId('again-ok').innerText()).toBe(fill(text.runs.againOk, { count: 3 }));
        expect(await layoutProblems(page, '[data-testid="again-dialog"]')).toEqual([]);
        await snap(page, `runs-${language}-01-again`);
        await page.getByTestId('again-ok').click();
        await dialog.waitFor({ state: 'detached' });
        await expect
          .poll(() => page.getByTestId('toasts').innerText())
          .toContain(fill(text.runs.againSent, { count: 3 }));
        await expect.poll(async () => (await images(stack)).filter(same).length, { timeout: 30_000 }).toBe(3);

        // ── Keyboard: Enter opens the viewer, A opens Again, the count by arrows, Enter sends. ──
        await tile(page, edit.id).click();
        await page.keyboard.press('Enter');
        await page.getByTestId('viewer').waitFor();
        await page.keyboard.press('a');
        await dialog.waitFor();
        await expect.poll(() => page.getByTestId('again-ok').isEnabled()).toBe(true);
        await page.keyboard.press('Shift+Tab');
        expect(await isFocused(page.getByTestId('again-count-1'))).toBe(true);
        await page.keyboard.press('ArrowRight');
        expect(await dialog.getAttribute('data-count')).toBe('2');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        expect(await isFocused(page.getByTestId('again-ok'))).toBe(true);
        await page.keyboard.press('Enter');
        await dialog.waitFor({ state: 'detached' });
        await expect.poll(async () => (await images(stack)).filter(same).length, { timeout: 30_000 }).toBe(5);
        // Esc on a second Again puts it away and leaves the viewer open.
        await page.keyboard.press('a');
        await dialog.waitFor();
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        expect(await page.getByTestId('viewer').count()).toBe(1);
        await page.keyboard.press('Escape');

        // ── A reference file gone: the dialog names it and sends nothing; the log says so too. ──
        const staging = join(stack.harness.dataDir, 'staging');
        for (const name of await readdir(staging)) await rm(join(staging, name));
        const jobsBefore = (await dispatch<Job[]>(stack, 'jobs.list', { limit: 100 })).length;
        await tile(page, edit.id).click();
        await page.keyboard.press('a');
        await dialog.waitFor();
        const missing = page.getByTestId('again-missing');
        await missing.waitFor();
        const sourceName = (await images(stack)).find((image) => image.id === sourceId)?.fileName ?? '?';
        expect(await missing.innerText()).toContain(`“${sourceName}”`);
        expect(await page.getByTestId('again-ok').isDisabled()).toBe(true);
        expect(
          stack.harness.logs.entries.some((entry) => entry.message === 'Again would miss reference images'),
        ).toBe(true);
        await snap(page, `runs-${language}-02-again-missing`);
        await page.getByTestId('again-cancel').click();
        expect((await dispatch<Job[]>(stack, 'jobs.list', { limit: 100 })).length).toBe(jobsBefore);

        // ── With a real key (the simulator): the cost is shown before anything is sent. ──
        await dispatch(stack, 'settings.setApiKey', { apiKey: stack.kie.apiKey });
        await dispatch(stack, 'settings.update', { demoMode: false });
        await dispatch(stack, 'credits.get', {});
        await tile(page, sourceId).hover();
        await tile(page, sourceId).getByTestId('tile-again').click();
        await dialog.waitFor();
        await page.getByTestId('again-count-2').check();
        await expect
          .poll(() => page.getByTestId('again-cost').innerText())
          .toBe(fill(text.runs.againCost, { count: 2, each: 4, credits: 8 }));
        expect(await page.getByTestId('again-cost').getAttribute('data-credits')).toBe('8');
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        expect(stack.kie.countRequests('POST', '/api/v1/jobs/createTask')).toBe(0);
        expect(problems).toEqual([]);
      } finally {
        await stack.close();
      }
    });

    it(`${language}: an A/B run of prompts (mouse), of aspect ratios (keyboard) and of models (paid, confirmed)`, async () => {
      const text = TRANSLATIONS[language];
      const stack = await startStack({ initialSettings: { demoMode: true, language } });
      try {
        const { page, problems } = await openApp(browser, stack, { width: 1280, height: 820 });
        const submit = page.getByTestId('submit-button');

        // ── Mouse: three prompt variants. ──
        await page.getByTestId('prompt-input').fill('a fox in the snow, watercolour');
        await page.getByTestId('ab-toggle').check();
        await page.getByTestId('ab-run').waitFor();
        expect(await page.getByTestId('ab-vary-prompt').isChecked()).toBe(true);
        await page.getByTestId('ab-prompt-0').fill('a fox in the snow, oil painting');
        await page.getByTestId('ab-prompt-add').click();
        // The same prompt twice is refused before anything is sent.
        await page.getByTestId('ab-prompt-1').fill('a fox in the snow, watercolour');
        await expect
          .poll(() => page.getByTestId('ab-problem').innerText())
          .toBe(fill(text.runs.problems.repeated, { letter: 'C' }));
        expect(await submit.isDisabled()).toBe(true);
        await page.getByTestId('ab-prompt-1').fill('a fox in the snow, pencil sketch');
        expect(await page.getByTestId('ab-problem').count()).toBe(0);
        expect(await page.getByTestId('ab-summary').getAttribute('data-count')).toBe('3');
        await expect.poll(() => submit.innerText()).toContain(fill(text.runs.submit, { count: 3 }));
        // The panel scrolls under its sticky Generate bar: at its end nothing is left beneath it.
        await page.evaluate(`(() => {
          const add = document.querySelector('[data-testid="ab-prompt-add"]');
          for (let node = add && add.parentElement; node; node = node.parentElement)
            if (node.scrollHeight > node.clientHeight && getComputedStyle(node).overflowY !== 'visible')
              node.scrollTop = node.scrollHeight;
        })()`);
        expect(await layoutProblems(page, '.compose', { vertical: false })).toEqual([]);
        await snap(page, `runs-${language}-03-ab-prompts`);
        // Batch and A/B are one at a time.
        await page.getByTestId('batch-toggle').check();
        expect(await page.getByTestId('ab-toggle').isChecked()).toBe(false);
        await page.getByTestId('ab-toggle').check();
        expect(await page.getByTestId('batch-toggle').isChecked()).toBe(false);
        await submit.click();
        await expect
          .poll(() => page.getByTestId('toasts').innerText())
          .toContain(fill(text.runs.sent, { count: 3 }));
        await expect.poll(() => tiles(page).count(), { timeout: 30_000 }).toBe(3);
        const badges = page.getByTestId('tile-run');
        await expect.poll(() => badges.count()).toBe(3);
        const runIds = new Set(
          await badges.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-run-id'))),
        );
        expect(runIds.size).toBe(1);
        // The badge opens the run as a board, each picture under its letter and prompt.
        await badges.first().click();
        const view = page.getByTestId('compare-view');
        await view.waitFor();
        expect(await view.getAttribute('data-layout')).toBe('board');
        await expect
          .poll(() => page.getByTestId('compare-caption').allInnerTexts())
          .toEqual([
            'A · a fox in the snow, watercolour',
            'B · a fox in the snow, oil painting',
            'C · a fox in the snow, pencil sketch',
          ]);
        await snap(page, `runs-${language}-04-run-board`);
        await page.keyboard.press('Escape');
        await view.waitFor({ state: 'detached' });

        // ── Keyboard: aspect ratios, picked with arrows and Space, sent with Ctrl+Enter. ──
        await page.getByTestId('ab-vary-prompt').focus();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        expect(await page.getByTestId('ab-vary-aspectRatio').isChecked()).toBe(true);
        // The current ratio (1:1) is ticked to start with; 9:16 and 16:9 join it.
        expect(await page.getByTestId('ab-ratio-1:1').isChecked()).toBe(true);
        await page.getByTestId('ab-ratio-9:16').focus();
        await page.keyboard.press('Space');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Space');
        expect(await page.getByTestId('ab-ratio-9:16').isChecked()).toBe(true);
        expect(await page.getByTestId('ab-ratio-16:9').isChecked()).toBe(true);
        expect(await page.getByTestId('ab-summary').getAttribute('data-count')).toBe('3');
        await page.getByTestId('prompt-input').focus();
        await page.keyboard.press('Control+Enter');
        await expect.poll(() => tiles(page).count(), { timeout: 30_000 }).toBe(6);
        const ratioRun = (await images(stack)).filter((image) => image.params.run?.vary === 'aspectRatio');
        expect(ratioRun.map((image) => image.params.aspectRatio).sort()).toEqual(['16:9', '1:1', '9:16']);
        expect(new Set(ratioRun.map((image) => `${image.width}x${image.height}`)).size).toBe(3);
        // C on one of its pictures opens the run.
        await tile(page, ratioRun[0]?.id ?? '').click();
        await page.keyboard.press('c');
        await view.waitFor();
        await expect
          .poll(() => page.getByTestId('compare-caption').allInnerTexts())
          .toEqual(['A · 1:1', 'B · 9:16', 'C · 16:9']);
        await page.keyboard.press('Escape');
        await view.waitFor({ state: 'detached' });

        // ── Models with a real key: the run's cost is confirmed first; each variant a plain task. ──
        await dispatch(stack, 'settings.setApiKey', { apiKey: stack.kie.apiKey });
        await dispatch(stack, 'settings.update', { demoMode: false });
        await dispatch(stack, 'credits.get', {});
        await page.getByTestId('ab-vary-model').check();
        await page.getByTestId('ab-model-nano-banana-pro').check();
        expect(await page.getByTestId('ab-model-google/nano-banana').isChecked()).toBe(true);
        await expect.poll(() => page.getByTestId('submit-cost').getAttribute('data-credits')).toBe('22');
        await submit.click();
        const confirm = page.getByTestId('run-confirm');
        await confirm.waitFor();
        expect(await isFocused(page.getByTestId('run-confirm-cancel'))).toBe(true);
        expect(await confirm.innerText()).toContain(fill(text.compose.batchConfirmCost, { credits: 22 }));
        await snap(page, `runs-${language}-05-run-confirm`);
        await page.getByTestId('run-confirm-ok').click();
        await expect
          .poll(() => stack.kie.countRequests('POST', '/api/v1/jobs/createTask'), { timeout: 15_000 })
          .toBe(2);
        const bodies = stack.kie.requests
          .filter((entry) => entry.method === 'POST' && entry.path === '/api/v1/jobs/createTask')
          .map((entry) => entry.body as { model: string; input: Record<string, unknown> });
        expect(bodies.map((body) => body.model).sort()).toEqual(['google/nano-banana', 'nano-banana-pro']);
        // Plain tasks: the run tag never leaves the app.
        for (const body of bodies)
          expect(JSON.stringify(body)).not.toMatch(/"run"|[0-9a-f]{8}-[0-9a-f]{4}-4/);
        await expect.poll(() => tiles(page).count(), { timeout: 30_000 }).toBe(8);
        const modelRun = (await images(stack)).find((image) => image.params.run?.vary === 'model');
        await tile(page, modelRun?.id ?? '').click();
        await page.keyboard.press('c');
        await view.waitFor();
        await expect
          .poll(() => page.getByTestId('compare-caption').allInnerTexts())
          .toEqual([`A · ${text.models.nanoBanana}`, `B · ${text.models.nanoBananaPro}`]);
        await page.keyboard.press('Escape');
        expect(problems).toEqual([]);
      } finally {
        await stack.close();
      }
    });
  }

  for (const language of ['en', 'zh-CN'] as const) {
    it(`${language} at 900×600: the A/B panel in each mode and the Again dialog fit`, async () => {
      const stack = await startStack({ initialSettings: { demoMode: true, language } });
      try {
        const { page, problems } = await openApp(browser, stack, { width: 900, height: 600 });
        const { edit } = await seed(stack, page);
        const report: string[] = [];
        await page.getByTestId('ab-toggle').check();
        for (const vary of ['prompt', 'model', 'aspectRatio'] as const) {
          await page.getByTestId(`ab-vary-${vary}`).check();
          if (vary === 'prompt') await page.getByTestId('ab-prompt-add').click();
          if (vary === 'model') await page.getByTestId('ab-model-nano-banana-2').check();
          await page.getByTestId('ab-run').scrollIntoViewIfNeeded();
          report.push(
            ...(await layoutProblems(page, '.compose', { vertical: false })).map(
              (problem) => `${vary}: ${problem}`,
            ),
          );
          await snap(page, `runs-${language}-900-ab-${vary}`);
        }
        // Generate stays on screen whatever the panel holds.
        const submit = await page.getByTestId('submit-button').boundingBox();
        if (!submit || submit.y + submit.height > 600) report.push('Generate is off-screen');
        await tile(page, edit.id).click();
        await page.keyboard.press('a');
        await page.getByTestId('again-dialog').waitFor();
        report.push(
          ...(await layoutProblems(page, '[data-testid="again-dialog"]')).map(
            (problem) => `again: ${problem}`,
          ),
        );
        expect(report).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await stack.close();
      }
    });
  }
});
