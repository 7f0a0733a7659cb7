import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '@shared/ipc/result';
import type { Core } from '../core';
import { createCore } from '../createCore';
import { startKieSimulator, type KieSimulator } from '../kie/simulator';
import { memorySecretStore, memoryStore, testPorts } from '../testing/memoryPorts';
import { useTempDirs } from '../testing/tempDir';

/**
 * What jobs.submit does for the compose panel, through the real core and the KIE simulator:
 * it records the prompt history, and refuses a job the known balance cannot pay for.
 */
const FAST = { waitingMs: 30, queuingMs: 30, generatingMs: 60 };
const params = { model: 'google/nano-banana', aspectRatio: '1:1', outputFormat: 'png', resolution: null };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('compose routes', () => {
  const tempDir = useTempDirs();

  async function rig(
    options: { credits?: number; settings?: object; store?: ReturnType<typeof memoryStore> } = {},
  ) {
    const sim: KieSimulator = await startKieSimulator({
      timings: FAST,
      maxImageSide: 128,
      credits: options.credits ?? 500,
    });
    cleanups.push(() => sim.close());
    const settings = {
      kieApiBaseUrl: sim.apiBaseUrl,
      kieUploadBaseUrl: sim.uploadBaseUrl,
      ...options.settings,
    };
    const store = options.store ?? memoryStore();
    store.set('settings', { ...(store.get('settings') as object | undefined), ...settings });
    const ports = testPorts(await tempDir(), {
      secrets: memorySecretStore({ kieApiKey: sim.apiKey }),
      store,
    });
    const core: Core = await createCore(ports, {
      poll: { initialMs: 30, maxMs: 100, perSecond: 200, burst: 50 },
      libraryScanDelayMs: 60_000,
      probeIntervalMs: 60_000,
    });
    cleanups.push(() => core.dispose());
    const call = (route: string, input: unknown): Promise<Result<unknown>> =>
      core.dispatch(route, input, { transport: 'test' });
    return { sim, core, store, call };
  }

  it('records each submitted prompt, newest first, and keeps them across a restart', async () => {
    const store = memoryStore();
    const first = await rig({ store });
    for (const prompt of ['a red fox', 'a blue whale', 'a red fox', '  a green frog  ']) {
      expect((await first.call('jobs.submit', { ...params, prompt })).ok).toBe(true);
    }
    // Refused jobs are not remembered.
    expect((await first.call('jobs.submit', { ...params, prompt: 'x'.repeat(5001) })).ok).toBe(false);
    const expected = ['a green frog', 'a red fox', 'a blue whale'];
    expect(await first.call('prompts.history', { limit: 200 })).toEqual({ ok: true, value: expected });
    expect(await first.call('prompts.history', { limit: 1 })).toEqual({ ok: true, value: ['a green frog'] });
    await first.core.dispose();

    const second = await rig({ store });
    expect(await second.call('prompts.history', { limit: 200 })).toEqual({ ok: true, value: expected });
  });

  it('refuses with NO_CREDITS when the balance, read again, is below the cost', async () => {
    const r = await rig({ credits: 20 });
    expect(await r.call('credits.get', {})).toMatchObject({ ok: true, value: { balance: 20 } });
    // Pro at 4K costs about 24 credits an image.
    const refused = await r.call('jobs.submit', {
      ...params,
      model: 'nano-banana-pro',
      resolution: '4K',
      prompt: 'x',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'NO_CREDITS', details: { balance: 20, cost: 24 } },
    });
    expect(r.sim.countRequests('POST', '/api/v1/jobs/createTask')).toBe(0);
    expect(await r.call('prompts.history', { limit: 10 })).toEqual({ ok: true, value: [] });
    // 1K (18) fits.
    const accepted = await r.call('jobs.submit', {
      ...params,
      model: 'nano-banana-pro',
      resolution: '1K',
      prompt: 'y',
    });
    expect(accepted.ok).toBe(true);
  });

  it('a stale low balance is read again: a top-up since lets the job through', async () => {
    const r = await rig({ credits: 2 });
    await r.call('credits.get', {});
    r.sim.setCredits(100);
    expect((await r.call('jobs.submit', { ...params, prompt: 'after the top-up' })).ok).toBe(true);
    expect(r.sim.countRequests('GET', '/api/v1/chat/credit')).toBe(2);
  });

  it('uses the price overrides, and does not check before any balance was read or in Demo mode', async () => {
    const r = await rig({
      credits: 10,
      settings: { costOverrides: { 'google/nano-banana': { default: 11 } } },
    });
    // Nothing read yet: KIE decides (its 402 would pause the queue).
    expect((await r.call('jobs.submit', { ...params, prompt: 'unknown balance' })).ok).toBe(true);
    r.sim.setCredits(10);
    await r.call('credits.get', {});
    expect(await r.call('jobs.submit', { ...params, prompt: 'over' })).toMatchObject({
      ok: false,
      error: { code: 'NO_CREDITS' },
    });
    await r.call('settings.update', { demoMode: true });
    expect((await r.call('jobs.submit', { ...params, prompt: 'demo is free' })).ok).toBe(true);
  });
});
