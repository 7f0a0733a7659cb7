import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, snap, startStack, type Stack } from './support';

/**
 * Secrets through core's real secret store over the harness's fake OS encryption, with the
 * ciphertext in the data folder: a Linux without a keyring (the app asks before storing), and a
 * stored key this computer cannot decrypt (the app asks for it again).
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

async function stackWith(options: Parameters<typeof startStack>[0]): Promise<Stack> {
  const stack = await startStack({ ...options, initialSettings: { demoMode: false } });
  stacks.push(stack);
  return stack;
}

/** The data folder's ciphertext file (absent until something is stored). */
async function storedSecrets(stack: Stack): Promise<Record<string, string>> {
  const text = await readFile(join(stack.harness.dataDir, 'secrets.json'), 'utf8').catch(() => '{}');
  return JSON.parse(text) as Record<string, string>;
}

/** Every file of the data folder that holds `secret` as is or in base64. */
async function filesHolding(stack: Stack, secret: string): Promise<string[]> {
  const entries = await readdir(stack.harness.dataDir, { recursive: true, withFileTypes: true });
  const hits: string[] = [];
  for (const entry of entries.filter((item) => item.isFile())) {
    const path = join(entry.parentPath, entry.name);
    const text = (await readFile(path)).toString('latin1');
    if (text.includes(secret) || text.includes(Buffer.from(secret).toString('base64'))) hits.push(path);
  }
  return hits;
}

async function openSettings(page: Page): Promise<void> {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings-dialog').waitFor();
}

/** "Test key" with the box empty: checks the saved key. */
async function testSavedKey(page: Page): Promise<string | null> {
  const result = page.getByTestId('test-key-result');
  // Typing clears an earlier result, so the one awaited below is this test's.
  await page.getByTestId('api-key-input').fill('x');
  await page.getByTestId('api-key-input').fill('');
  await result.waitFor({ state: 'detached' });
  await page.getByTestId('test-api-key').click();
  await result.waitFor();
  return result.getAttribute('data-ok');
}

const focusedTestId = (page: Page) =>
  page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null");

async function hasApiKey(stack: Stack): Promise<boolean> {
  const result = await stack.harness.core.dispatch('settings.get', {}, { transport: 'test' });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { hasApiKey: boolean }).hasApiKey;
}

describe('secrets on a Linux without a keyring (basic_text)', () => {
  it('asks before storing; "this session only" keeps the key in memory and writes no ciphertext', async () => {
    const stack = await stackWith({ osEncryption: { backend: 'basic_text' } });
    const { page, problems } = await openApp(browser, stack);
    await openSettings(page);
    const status = page.getByTestId('secret-storage-status');
    expect(await status.getAttribute('data-mode')).toBe('session');
    expect(await page.getByTestId('weak-storage-select').inputValue()).toBe('ask');

    // Esc closes the question and saves nothing; the question comes back on the next save.
    await page.getByTestId('api-key-input').fill(stack.kie.apiKey);
    await page.getByTestId('save-api-key').click();
    const question = page.getByTestId('storage-question');
    await question.waitFor();
    expect(await question.innerText()).toMatch(/GNOME Keyring or KWallet/);
    expect(await focusedTestId(page)).toBe('storage-session');
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    expect(await page.getByTestId('settings-dialog').isVisible()).toBe(true);
    expect(await hasApiKey(stack)).toBe(false);

    await page.getByTestId('save-api-key').click();
    await question.waitFor();
    await snap(page, 'secrets-01-weak-question');
    await page.getByTestId('storage-session').click();
    await question.waitFor({ state: 'detached' });
    await page.getByTestId('settings-notice').waitFor();
    expect(await page.getByTestId('weak-storage-select').inputValue()).toBe('session');
    expect(await status.getAttribute('data-mode')).toBe('session');

    // Works now, and nothing of it is on disk; the answer is remembered as a plain setting.
    expect(await testSavedKey(page)).toBe('true');
    expect(await storedSecrets(stack)).not.toHaveProperty('kieApiKey');
    expect(await filesHolding(stack, stack.kie.apiKey)).toEqual([]);
    const settings = JSON.parse(await readFile(join(stack.harness.dataDir, 'settings.json'), 'utf8')) as {
      settings: { weakSecretStorage: string };
    };
    expect(settings.settings.weakSecretStorage).toBe('session');

    // Remembered: the next secret is saved without asking again.
    await page.getByTestId('tunnel-mode-select').selectOption('manual');
    await page.getByTestId('hmac-key-input').fill('whsec-session-0123456789');
    await page.getByTestId('save-hmac-key').click();
    await expect.poll(() => page.getByTestId('hmac-key-input').inputValue()).toBe('');
    expect(await question.count()).toBe(0);
    expect(await storedSecrets(stack)).toEqual({});
    expect(problems).toEqual([]);
  });

  it('"store anyway" keeps obfuscated ciphertext on disk, and can be changed in Settings', async () => {
    const stack = await stackWith({ osEncryption: { backend: 'basic_text' } });
    const { page, problems } = await openApp(browser, stack);
    await openSettings(page);
    await page.getByTestId('api-key-input').fill(stack.kie.apiKey);
    await page.getByTestId('save-api-key').click();
    await page.getByTestId('storage-store').click();
    await page.getByTestId('storage-question').waitFor({ state: 'detached' });

    const status = page.getByTestId('secret-storage-status');
    await expect.poll(() => status.getAttribute('data-mode')).toBe('obfuscated');
    expect(await page.getByTestId('weak-storage-select').inputValue()).toBe('store');
    // The key, and the callback path's token (which KIE's callbacks for tasks in flight name).
    expect(Object.keys(await storedSecrets(stack)).sort()).toEqual(['callbackToken', 'kieApiKey']);
    expect(await filesHolding(stack, stack.kie.apiKey)).toEqual([]);
    expect(await testSavedKey(page)).toBe('true');
    await snap(page, 'secrets-02-weak-stored');

    // Changed later: off the disk at once, still usable this session.
    await page.getByTestId('weak-storage-select').selectOption('session');
    await expect.poll(() => status.getAttribute('data-mode')).toBe('session');
    expect(await storedSecrets(stack)).toEqual({});
    expect(await testSavedKey(page)).toBe('true');
    expect(problems).toEqual([]);
  });
});

describe('a stored key that cannot be decrypted on this computer', () => {
  it('shows a notice whose button opens Settings at the field; a new key fixes it', async () => {
    const stack = await stackWith({
      osEncryption: { backend: 'keyring', foreignSecrets: { kieApiKey: 'kie-from-another-computer-0123' } },
    });
    const { page, problems } = await openApp(browser, stack);
    const banner = page.getByTestId('unreadable-secret-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('data-secret')).toBe('kieApiKey');
    expect(await banner.innerText()).toContain(
      'Your saved KIE API key could not be read on this computer. Please enter it again.',
    );
    expect(stack.harness.logs.entries.some((entry) => entry.fields?.['entry'] === 'kieApiKey')).toBe(true);
    expect(JSON.stringify(stack.harness.logs.entries)).not.toContain('kie-from-another-computer');

    // A job that needs the key fails with the usual "no key" message; the prompt stays.
    const prompt = 'a lighthouse in fog';
    await page.getByTestId('prompt-input').fill(prompt);
    await page.getByTestId('submit-button').click();
    const error = page.getByTestId('compose-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/Add your KIE API key in Settings/);
    expect(await page.getByTestId('prompt-input').inputValue()).toBe(prompt);
    await snap(page, 'secrets-03-unreadable-notice');

    await page.getByTestId('reenter-secret').click();
    await page.getByTestId('settings-dialog').waitFor();
    await expect.poll(() => focusedTestId(page)).toBe('api-key-input');
    await page.keyboard.type(stack.kie.apiKey);
    await page.keyboard.press('Enter');
    await page.getByTestId('settings-notice').waitFor();
    expect(await page.getByTestId('storage-question').count()).toBe(0);
    await expect.poll(() => banner.count()).toBe(0);
    expect(await testSavedKey(page)).toBe('true');

    // The broken ciphertext was replaced by one this computer can read.
    const stored = await storedSecrets(stack);
    expect(Buffer.from(stored['kieApiKey'] ?? '', 'base64').toString('latin1')).toMatch(
      /^fake-v1:this-computer:/,
    );
    expect(await filesHolding(stack, stack.kie.apiKey)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
