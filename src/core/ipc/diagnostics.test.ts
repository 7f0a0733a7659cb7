import { afterEach, describe, expect, it } from 'vitest';
import { diagnosticsSchema, type Diagnostics } from '@shared/ipc/contract';
import type { Core } from '../core';
import { createCore } from '../createCore';
import { memorySecretStore, testPorts } from '../testing/memoryPorts';
import { useTempDirs } from '../testing/tempDir';
import type { TunnelSession } from '../tunnel/manager';
import { baseUrlOnly, scrubSecrets, secretForms, stripUrlPaths } from './diagnosticsHandlers';

const API_KEY = 'SENTINEL-kie-api-key-7f3a9c';
const NGROK_TOKEN = 'SENTINEL_ngrok_token_2b8e41';
const HMAC_KEY = 'SENTINEL.hmac.key.5d0c66';
const SECRETS = [API_KEY, NGROK_TOKEN, HMAC_KEY];
const CALLBACK_TOKEN = '0123456789abcdef0123456789abcdef';

const encodings = (secret: string): string[] => {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')];
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('app.diagnostics', () => {
  const tempDir = useTempDirs();

  async function rig() {
    // The "public" URL carries a token in its path and query, as a careless proxy might.
    const session: TunnelSession = {
      open: async () => ({
        url: `https://banana.ngrok.example/kie/callback/${CALLBACK_TOKEN}?t=${NGROK_TOKEN}`,
        close: async () => undefined,
      }),
    };
    const ports = testPorts(await tempDir(), {
      secrets: memorySecretStore({
        kieApiKey: API_KEY,
        ngrokAuthtoken: NGROK_TOKEN,
        webhookHmacKey: HMAC_KEY,
      }),
      settings: {
        tunnelMode: 'ngrok',
        kieApiBaseUrl: 'http://127.0.0.1:9',
        kieUploadBaseUrl: 'http://127.0.0.1:9',
      },
      tunnelSession: session,
    });
    const core: Core = await createCore(ports, { libraryScanDelayMs: 60_000 });
    cleanups.push(() => core.dispose());
    const call = async (route: 'app.diagnostics' | 'app.openLogsFolder' | 'tunnel.get'): Promise<unknown> => {
      const result = await core.dispatch(route, {}, { transport: 'test' });
      if (!result.ok) throw new Error(`${route}: ${result.error.message}`);
      return result.value;
    };
    return { core, ports, call };
  }

  it('reports versions, settings and states, and no secret in any encoding', async () => {
    const { ports, call } = await rig();
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (((await call('tunnel.get')) as { state: string }).state === 'up') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const log = ports.log.child('test');
    log.warn(`KIE refused key ${API_KEY}`);
    log.error('Callback failed', {
      url: `https://banana.ngrok.example/kie/callback/${CALLBACK_TOKEN}`,
      body: Buffer.from(HMAC_KEY).toString('base64'),
    });
    log.warn(`ngrok said ${Buffer.from(NGROK_TOKEN).toString('hex')}`);
    log.error('Upload failed', { authorization: `Bearer ${API_KEY}`, hmac: HMAC_KEY });
    log.info('An info line that the report leaves out');

    const report = diagnosticsSchema.parse(await call('app.diagnostics')) as Diagnostics;
    const text = JSON.stringify(report);

    for (const secret of SECRETS) {
      for (const form of encodings(secret)) expect(text).not.toContain(form);
    }
    expect(text).not.toContain(CALLBACK_TOKEN);
    expect(text).not.toContain('SENTINEL');
    expect(report.settings).not.toHaveProperty('apiKeyHint');
    expect(report.settings).toMatchObject({
      hasApiKey: true,
      hasNgrokAuthtoken: true,
      hasWebhookHmacKey: true,
    });
    expect(report.app).toMatchObject({ name: 'Banana Studio', version: '0.0.0-test', host: 'web' });
    expect(report.app.node).toBe(process.versions.node);
    expect(report.tunnel).toMatchObject({
      mode: 'ngrok',
      state: 'up',
      publicUrl: 'https://banana.ngrok.example',
    });
    expect(report.queue).toHaveProperty('paused');
    expect(report.library?.images).toBe(0);
    expect(report.logs.length).toBeGreaterThanOrEqual(4);
    expect(report.logs.every((entry) => entry.level === 'warn' || entry.level === 'error')).toBe(true);
    expect(report.logs.at(-1)?.message).toBe('Upload failed');
  });

  it('keeps only the last 50 warnings and errors', async () => {
    const { ports, call } = await rig();
    for (let index = 0; index < 80; index += 1) ports.log.warn(`warning ${index}`);
    const report = (await call('app.diagnostics')) as Diagnostics;
    expect(report.logs).toHaveLength(50);
    expect(report.logs.at(-1)?.message).toBe('warning 79');
  });

  it('opens the logs folder through the shell', async () => {
    const { ports, call } = await rig();
    expect(await call('app.openLogsFolder')).toEqual({});
    const shell = ports.shell as unknown as { actions: { action: string; paths: string[] }[] };
    expect(shell.actions).toContainEqual({ action: 'open', paths: [`${ports.paths.dataDir}/logs`] });
  });
});

describe('URL and secret scrubbing', () => {
  it.each([
    ['https://banana.ngrok.example/kie/callback/abc123', 'https://banana.ngrok.example'],
    ['http://127.0.0.1:41234/kie/callback/abc?x=1', 'http://127.0.0.1:41234'],
    ['https://user:pass@example.com/a', 'https://example.com'],
    ['', ''],
    [null, null],
    ['not a url', null],
  ])('baseUrlOnly(%j) = %j', (url, expected) => {
    expect(baseUrlOnly(url)).toBe(expected);
  });

  it('cuts URLs in free text down to their origin', () => {
    expect(stripUrlPaths('POST https://h.example/kie/callback/tok failed (see http://a.b/c?d=e).')).toBe(
      'POST https://h.example failed (see http://a.b).',
    );
  });

  it('replaces a secret in every encoding, in nested values', () => {
    const secret = 'hunter2-secret';
    const value = {
      a: [secret, `x${Buffer.from(secret).toString('hex')}y`],
      b: { c: Buffer.from(secret).toString('base64') },
      n: 3,
    };
    const out = scrubSecrets(value, [secret]);
    expect(JSON.stringify(out)).not.toMatch(/hunter2|68756e74/);
    expect(out.n).toBe(3);
    expect(secretForms(secret)).toContain(Buffer.from(secret).toString('base64url'));
  });
});
