import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, snap, startStack, watchConsole } from './support';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const API_KEY = 'SENTINEL-e2e-kie-key-41c7';
const NGROK_TOKEN = 'SENTINEL_e2e_ngrok_9a03';
const HMAC_KEY = 'SENTINEL.e2e.hmac.6be2';

const forms = (secret: string): string[] => {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')];
};

describe('diagnostics in Chromium', () => {
  it('copies a secret-free report and opens the logs folder', async () => {
    const stack = await startStack({
      secrets: { kieApiKey: API_KEY, ngrokAuthtoken: NGROK_TOKEN, webhookHmacKey: HMAC_KEY },
    });
    try {
      // A history entry with secrets the logger never saw: the report still must not carry them.
      stack.harness.logs.write({
        time: new Date().toISOString(),
        level: 'warn',
        scope: 'e2e',
        message: `raw ${API_KEY} ${Buffer.from(NGROK_TOKEN).toString('base64')}`,
        fields: { note: Buffer.from(HMAC_KEY).toString('hex') },
      });
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      const page = await context.newPage();
      const problems = watchConsole(page);
      await page.goto(stack.harness.url);
      await page.getByTestId('app-root').waitFor();
      await page.getByTestId('open-settings').click();

      await page.getByTestId('copy-diagnostics').click();
      await expect.poll(() => page.getByTestId('copy-diagnostics').textContent()).toBe('Copied');
      const copied = await page.evaluate<string>('navigator.clipboard.readText()');
      const report = JSON.parse(copied) as Record<string, unknown>;
      expect(report).toMatchObject({
        app: { name: 'Banana Studio', host: 'web' },
        settings: { hasApiKey: true, hasNgrokAuthtoken: true, hasWebhookHmacKey: true },
      });
      expect(report['settings']).not.toHaveProperty('apiKeyHint');
      for (const secret of [API_KEY, NGROK_TOKEN, HMAC_KEY]) {
        for (const form of forms(secret)) expect(copied).not.toContain(form);
      }
      expect(copied).not.toContain('SENTINEL');
      await snap(page, 'diagnostics-copied');

      await page.getByTestId('open-logs-folder').click();
      await expect
        .poll(() => stack.harness.shellActions.filter((action) => action.action === 'open'))
        .toContainEqual({ action: 'open', paths: [join(stack.harness.dataDir, 'logs')] });

      // Updates: the web harness has no release feed, and says so; the opt-in is saved.
      await page.getByTestId('check-updates').click();
      await expect.poll(() => page.getByTestId('update-result').getAttribute('data-state')).toBe('disabled');
      await page.getByTestId('auto-update-toggle').check();
      await expect
        .poll(async () => {
          const view = await stack.harness.core.dispatch('settings.get', {}, { transport: 'test' });
          return view.ok && (view.value as { autoUpdate: boolean }).autoUpdate;
        })
        .toBe(true);
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await stack.close();
    }
  });
});
