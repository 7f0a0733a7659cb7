import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { SettingsView } from '@shared/domain/settings';
import { createCore } from '@core/createCore';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import { createLogger, MemorySink, Redactor, RotatingFileSink } from '@core/log/logger';
import type { CorePorts } from '@core/ports';
import { testPorts } from '@core/testing/memoryPorts';
import { confStore } from '../../src/harness/ports';

// Only safeStorage comes from Electron here; the secret store itself is the app's own.
vi.mock('electron', () => ({ app: {}, safeStorage: {} }));
vi.mock('electron-store', () => ({ default: class {} }));
const { electronSecretStore } = await import('../../src/main/ports');

/** A stand-in for the OS keychain: real AES-GCM with a key that never touches the disk. */
function keychain() {
  const key = randomBytes(32);
  return {
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret' as const,
    encryptStringAsync: async (plain: string) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptStringAsync: async (data: Buffer) => {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
      return { result: plain, shouldReEncrypt: false };
    },
  };
}

/** Every way a secret could sit in a file: as is, base64, hex, URL-encoded. */
function spellings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    secret,
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    encodeURIComponent(secret),
  ];
}

async function everyFile(dir: string): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name);
        return { path, text: (await readFile(path)).toString('latin1') };
      }),
  );
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('secrets never reach the disk or the logs in the clear', () => {
  it('a sentinel API key, ngrok token and HMAC key: used, restarted, grepped — 0 hits', async () => {
    const apiKey = `kie-sentinel-${randomBytes(12).toString('hex')}`;
    const ngrokToken = `ngrok-sentinel-${randomBytes(12).toString('hex')}`;
    const hmacKey = `hmac-sentinel-${randomBytes(12).toString('hex')}`;
    const typedKey = `typed-sentinel-${randomBytes(12).toString('hex')}`;
    const sim: KieSimulator = await startKieSimulator({
      apiKey,
      timings: { waitingMs: 20, queuingMs: 20, generatingMs: 40 },
      maxImageSide: 128,
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'banana-secrets-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    cleanups.push(() => sim.close());
    const safeStorage = keychain();

    /** The app as it starts on a desktop: settings, secrets and logs all in the data folder. */
    const start = async () => {
      const memory = new MemorySink(2000);
      const file = new RotatingFileSink(join(dataDir, 'logs'));
      const redactor = new Redactor();
      const log = createLogger({ sinks: [memory, file], redactor });
      const ports: CorePorts = {
        ...testPorts(dataDir),
        log,
        logHistory: memory,
        redactor,
        store: confStore(dataDir),
        secrets: electronSecretStore({ safeStorage, persisted: confStore(join(dataDir, 'secure')), log }),
      };
      const core = await createCore(ports, {
        poll: { initialMs: 30, maxMs: 100, lateCallbackMs: 200, perSecond: 200, burst: 50 },
        libraryScanDelayMs: 0,
      });
      const call = async (route: string, input: unknown): Promise<unknown> => {
        const result = await core.dispatch(route, input, { transport: 'test' });
        if (!result.ok) throw new Error(`${route}: ${result.error.message}`);
        return result.value;
      };
      return { core, call, file, memory };
    };
    const runJob = async (app: Awaited<ReturnType<typeof start>>) => {
      const job = (await app.call('jobs.submit', {
        model: 'google/nano-banana',
        prompt: 'a sealed envelope',
        aspectRatio: '1:1',
        outputFormat: 'png',
        resolution: null,
      })) as Job;
      await expect
        .poll(
          async () =>
            ((await app.call('jobs.list', { limit: 10 })) as Job[]).find((j) => j.id === job.id)?.state,
          {
            timeout: 10_000,
          },
        )
        .toBe('done');
    };

    const first = await start();
    await first.call('settings.update', {
      kieApiBaseUrl: sim.apiBaseUrl,
      kieUploadBaseUrl: sim.uploadBaseUrl,
    });
    await first.call('settings.setApiKey', { apiKey });
    await first.call('settings.setSecret', { name: 'ngrokAuthtoken', value: ngrokToken });
    await first.call('settings.setSecret', { name: 'webhookHmacKey', value: hmacKey });
    await first.call('settings.testApiKey', { apiKey: typedKey });
    await runJob(first);
    await first.core.dispose();
    await first.file.flush();

    // After a restart the keys are still there (from the keychain), and still work.
    const second = await start();
    const view = (await second.call('settings.get', {})) as SettingsView;
    expect(view).toMatchObject({ hasApiKey: true, hasNgrokAuthtoken: true, hasWebhookHmacKey: true });
    await runJob(second);
    await second.core.dispose();
    await second.file.flush();

    const files = await everyFile(dataDir);
    expect(files.some((file) => file.path.endsWith('.log'))).toBe(true);
    expect(files.some((file) => file.path.endsWith('.png'))).toBe(true);
    const memoryLog = JSON.stringify([...first.memory.entries, ...second.memory.entries]);
    const hits: string[] = [];
    for (const secret of [apiKey, ngrokToken, hmacKey, typedKey]) {
      for (const spelling of spellings(secret)) {
        for (const file of files) if (file.text.includes(spelling)) hits.push(`${file.path}: ${secret}`);
        if (memoryLog.includes(spelling)) hits.push(`in-app log: ${secret}`);
      }
    }
    expect(hits).toEqual([]);
  });
});
