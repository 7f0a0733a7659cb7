import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, snap, startStack, TRANSLATIONS, type Stack } from './support';

/**
 * A job whose createTask answer never came (a gateway page after KIE made the task): the card
 * says what that means, "Find it on KIE" takes a pasted task id and refuses wrong ones in plain
 * words, and "Send again" asks first because it may charge twice. In English and Chinese.
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

const creates = (stack: Stack) =>
  stack.kie.requests.filter((entry) => entry.path.endsWith('/jobs/createTask'));

async function saveKey(page: Page, stack: Stack): Promise<void> {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('api-key-input').fill(stack.kie.apiKey);
  await page.getByTestId('save-api-key').click();
  await page.getByTestId('settings-close').click();
}

/** Submits a prompt while KIE's answer is lost behind a gateway page, and waits for the card. */
async function unknownJob(page: Page, stack: Stack, prompt: string) {
  stack.kie.setFault({ kind: 'createTaskGateway', status: 502 }, 'next');
  await page.getByTestId('prompt-input').fill(prompt);
  await page.getByTestId('submit-button').click();
  const card = page.locator('[data-testid="job-item"][data-state="unknown-outcome"]').first();
  await card.waitFor({ timeout: 15_000 });
  return card;
}

/** A task under the same key made from another prompt (as on KIE's playground). */
async function foreignTask(stack: Stack, prompt: string): Promise<string> {
  const response = await fetch(`${stack.kie.apiBaseUrl}/api/v1/jobs/createTask`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.kie.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'google/nano-banana', input: { prompt, output_format: 'png' } }),
  });
  return ((await response.json()) as { data: { taskId: string } }).data.taskId;
}

describe.each(['en', 'zh-CN'] as const)('an unknown outcome in Chromium (%s)', (language) => {
  const text = TRANSLATIONS[language].jobs.recovery;

  it('explains it, finds the task on KIE by id after refusing wrong ones, and saves the image', async () => {
    const stack = await startStack({ initialSettings: { demoMode: false, language } });
    stacks.push(stack);
    // No callback either, so nothing but the user's paste can bring this job back.
    stack.kie.setFault({ kind: 'lostCallback' }, 'global');
    const { page, problems } = await openApp(browser, stack);
    await saveKey(page, stack);
    const prompt = language === 'en' ? 'a lighthouse at dawn' : '黎明时的灯塔';
    const card = await unknownJob(page, stack, prompt);

    const recovery = card.getByTestId('job-recovery');
    expect(await recovery.innerText()).toContain(text.explain);
    expect(await card.getByTestId('job-charge').getAttribute('class')).toMatch(/maybe/);
    // No plain "Retry as new" on a job that may be charged already.
    expect(await card.getByTestId('job-retry').count()).toBe(0);
    await snap(page, `unknown-${language}-01-card`);

    await card.getByTestId('find-on-kie').click();
    const input = card.getByTestId('find-task-input');
    const error = card.getByTestId('job-recovery-error');
    const before = stack.kie.requests.length;
    // Empty, then not a task id: refused on the spot, nothing asked of KIE.
    await card.getByTestId('find-task-submit').click();
    expect(await error.innerText()).toBe(text.taskIdEmpty);
    await input.fill('task id with spaces!');
    await input.press('Enter');
    expect(await error.innerText()).toBe(text.taskIdFormat);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(stack.kie.requests.length).toBe(before);

    // A well-formed id KIE does not know.
    await input.fill('no-such-task-123');
    await input.press('Enter');
    await expect.poll(() => error.innerText().catch(() => '')).toBe(text.noTask);

    // A real task of this key, made from another prompt.
    await input.fill(await foreignTask(stack, 'something else entirely'));
    await input.press('Enter');
    await expect.poll(() => error.innerText().catch(() => '')).toBe(text.otherRequest);
    expect(await card.getAttribute('data-state')).toBe('unknown-outcome');
    expect(await page.getByTestId('prompt-input').inputValue()).toBe(prompt);
    await snap(page, `unknown-${language}-02-refused`);

    // The job's own task, as the user would copy it from KIE's dashboard.
    const own = [...stack.kie.tasks.values()].find((task) => JSON.stringify(task).includes(prompt));
    expect(own).toBeDefined();
    const jobId = await card.getAttribute('data-job-id');
    await input.fill(` ${own?.taskId ?? ''} `);
    await input.press('Enter');
    const job = page.locator(`[data-testid="job-item"][data-job-id="${jobId}"]`);
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    await page.getByTestId('gallery-item').first().waitFor();
    expect(await job.getByTestId('job-recovery').count()).toBe(0);
    // Sent once by the app (the other createTask is the foreign task made above).
    expect(creates(stack).filter((entry) => JSON.stringify(entry.body).includes(prompt))).toHaveLength(1);
    await snap(page, `unknown-${language}-03-found`);
    expect(problems).toEqual([]);
  });

  it('"Send again" warns that it may charge twice, and sends only after a yes', async () => {
    const stack = await startStack({ initialSettings: { demoMode: false, language } });
    stacks.push(stack);
    stack.kie.setFault({ kind: 'lostCallback' }, 'global');
    const { page, problems } = await openApp(browser, stack);
    await saveKey(page, stack);
    const card = await unknownJob(page, stack, language === 'en' ? 'a red kite' : '一只红色风筝');
    expect(creates(stack)).toHaveLength(1);
    const first = page.locator(
      `[data-testid="job-item"][data-job-id="${await card.getAttribute('data-job-id')}"]`,
    );

    await first.getByTestId('send-again').click();
    const confirm = first.getByTestId('send-again-confirm');
    expect(await confirm.innerText()).toContain(text.chargeTwice);
    await snap(page, `unknown-${language}-04-confirm`);
    // Backing out sends nothing.
    await confirm.getByRole('button', { name: text.back }).click();
    expect(await confirm.count()).toBe(0);
    expect(creates(stack)).toHaveLength(1);

    await first.getByTestId('send-again').click();
    await first.getByTestId('send-again-yes').click();
    await expect.poll(() => creates(stack).length).toBe(2);
    await expect.poll(() => page.getByTestId('job-item').count()).toBe(2);
    // The first job stays as it was: its task may still turn up.
    expect(await first.getAttribute('data-state')).toBe('unknown-outcome');
    expect(await first.getByTestId('send-again-confirm').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
