import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { AnyEvent, RouteName, RouteOutput } from '@shared/ipc/contract';
import type { Core } from '../core';
import { createCore } from '../createCore';
import { startKieSimulator, type KieSimulator } from '../kie/simulator';
import { memorySecretStore, testPorts } from '../testing/memoryPorts';
import { useTempDirs } from '../testing/tempDir';

/**
 * Settings routes through the real core against the KIE simulator on 127.0.0.1: "Test key",
 * notifications on/off, and a concurrency change that applies without a restart.
 */
const FAST = { waitingMs: 30, queuingMs: 30, generatingMs: 60 };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A 127.0.0.1 port that nothing listens on (taken, then freed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('settings routes', () => {
  const tempDir = useTempDirs();

  async function rig(options: { savedKey?: string | null; apiBaseUrl?: string; settings?: object } = {}) {
    const sim: KieSimulator = await startKieSimulator({ timings: FAST, maxImageSide: 128, credits: 321 });
    cleanups.push(() => sim.close());
    const ports = testPorts(await tempDir(), {
      secrets: memorySecretStore(
        options.savedKey === null ? {} : { kieApiKey: options.savedKey ?? sim.apiKey },
      ),
      settings: {
        kieApiBaseUrl: options.apiBaseUrl ?? sim.apiBaseUrl,
        kieUploadBaseUrl: sim.uploadBaseUrl,
        ...options.settings,
      },
    });
    const core: Core = await createCore(ports, {
      poll: { initialMs: 30, maxMs: 100, perSecond: 200, burst: 50 },
      libraryScanDelayMs: 60_000,
      apiKeyTestTimeoutMs: 2_000,
    });
    cleanups.push(() => core.dispose());
    const events: AnyEvent[] = [];
    core.onEvent((event) => events.push(event));
    async function call<R extends RouteName>(route: R, input: unknown): Promise<RouteOutput<R>> {
      const result = await core.dispatch(route, input, { transport: 'test' });
      if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
      return result.value as RouteOutput<R>;
    }
    async function settled(jobId: string, timeoutMs = 10_000): Promise<Job> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const last = events
          .flatMap((event) =>
            event.name === 'job.updated' && event.payload.id === jobId ? [event.payload] : [],
          )
          .at(-1);
        if (last && ['done', 'failed'].includes(last.state)) return last;
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      throw new Error(`job ${jobId} did not settle`);
    }
    return { sim, core, ports, events, call, settled };
  }

  describe('settings.testApiKey', () => {
    it('a good key shows the balance, and is not saved', async () => {
      const r = await rig({ savedKey: null });
      const result = await r.call('settings.testApiKey', { apiKey: r.sim.apiKey });
      expect(result).toEqual({ ok: true, balance: 321 });
      expect((await r.call('settings.get', {})).hasApiKey).toBe(false);
      expect(r.sim.countRequests('GET', '/api/v1/chat/credit')).toBe(1);
    });

    it('a bad key is UNAUTHORIZED, asked once (no retries)', async () => {
      const r = await rig();
      const result = await r.call('settings.testApiKey', { apiKey: 'kie-wrong-key-0000' });
      expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(r.sim.countRequests('GET', '/api/v1/chat/credit')).toBe(1);
      // The saved key is untouched.
      expect((await r.call('settings.get', {})).apiKeyHint).toBe(r.sim.apiKey.slice(-4));
    });

    it('an unreachable KIE is OFFLINE', async () => {
      const r = await rig({ apiBaseUrl: `http://127.0.0.1:${await closedPort()}` });
      const result = await r.call('settings.testApiKey', { apiKey: r.sim.apiKey });
      expect(result).toMatchObject({ ok: false, error: { code: 'OFFLINE' } });
    });

    it('null tests the saved key, or says that none is saved', async () => {
      const withKey = await rig();
      expect(await withKey.call('settings.testApiKey', { apiKey: null })).toEqual({ ok: true, balance: 321 });
      const without = await rig({ savedKey: null });
      expect(await without.call('settings.testApiKey', { apiKey: null })).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED', details: { reason: 'missing-key' } },
      });
      expect(without.sim.countRequests('*', '/api/')).toBe(0);
    });

    it('uses the configured base URL as it is now (no restart)', async () => {
      const r = await rig({ apiBaseUrl: `http://127.0.0.1:${await closedPort()}` });
      await r.call('settings.update', { kieApiBaseUrl: r.sim.apiBaseUrl });
      expect(await r.call('settings.testApiKey', { apiKey: null })).toEqual({ ok: true, balance: 321 });
    });
  });

  describe('notifications', () => {
    const prompt = { model: 'google/nano-banana', aspectRatio: '1:1', outputFormat: 'png', resolution: null };

    it('are sent when on (the default) and not when off; credits refresh either way', async () => {
      const r = await rig();
      expect((await r.call('settings.get', {})).notifications).toBe(true);
      const first = await r.call('jobs.submit', { ...prompt, prompt: 'first banana' });
      expect((await r.settled(first.id)).state).toBe('done');
      await expect.poll(() => r.ports.notifications).toEqual(['first banana']);

      await r.call('settings.update', { notifications: false });
      const creditEvents = () => r.events.filter((event) => event.name === 'credits.changed').length;
      const before = creditEvents();
      const second = await r.call('jobs.submit', { ...prompt, prompt: 'second banana' });
      expect((await r.settled(second.id)).state).toBe('done');
      await expect.poll(creditEvents).toBeGreaterThan(before);
      expect(r.ports.notifications).toEqual(['first banana']);
    });
  });

  it('a new concurrency limit applies at once', async () => {
    const r = await rig({ settings: { concurrency: 2 } });
    expect((await r.call('queue.get', {})).limit).toBe(2);
    await r.call('settings.update', { concurrency: 6 });
    expect((await r.call('queue.get', {})).limit).toBe(6);
    const queued = r.events.filter((event) => event.name === 'queue.changed').at(-1);
    expect(queued?.payload).toMatchObject({ limit: 6 });
  });
});
