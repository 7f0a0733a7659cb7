import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { Bridge } from '@shared/ipc/bridge';
import type { Core } from '@core/core';
import { createCore } from '@core/createCore';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import { memorySecretStore, testPorts } from '@core/testing/memoryPorts';
import { useTempDirs } from '@core/testing/tempDir';
import { createApi, type Api } from '../../src/renderer/src/ipc/api';

/**
 * The renderer's typed API wired to the real core through an in-memory bridge that copies every
 * message through JSON, as both real transports do.
 */
function loopback(core: Core): Bridge {
  const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  return {
    request: async (route, input) => wire(await core.dispatch(route, wire(input), { transport: 'test' })),
    onEvent: (listener) => core.onEvent((event) => listener(event.name, wire(event.payload))),
  };
}

describe('renderer api ↔ real core over an in-memory bridge', () => {
  const tempDir = useTempDirs();
  let sim: KieSimulator;
  let core: Core;
  let api: Api;

  beforeAll(async () => {
    sim = await startKieSimulator({ timings: { waitingMs: 50, queuingMs: 50, generatingMs: 100 } });
  });
  afterAll(async () => {
    await core?.dispose();
    await sim?.close();
  });

  it('walks settings, submit, events and gallery through the typed API', async () => {
    const dataDir = await tempDir();
    core = await createCore(
      testPorts(dataDir, {
        secrets: memorySecretStore(),
        demoKie: { apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey },
      }),
      { poll: { initialMs: 50, maxMs: 100, lateCallbackMs: 200 } },
    );
    api = createApi(loopback(core));
    const updates: Job[] = [];
    api.on('job.updated', (job) => updates.push(job));

    const info = await api.request('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { name: 'Banana Studio', host: 'web' } });

    const noKey = await api.request('jobs.submit', {
      model: 'google/nano-banana',
      prompt: 'a teapot',
      aspectRatio: '1:1',
      outputFormat: 'png',
      resolution: null,
    });
    expect(noKey).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', details: { reason: 'missing-key' } },
    });

    const bad = await api.request('jobs.list', { limit: 0 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const demo = await api.request('settings.update', { demoMode: true });
    expect(demo).toMatchObject({ ok: true, value: { demoMode: true, hasApiKey: false } });

    const submitted = await api.request('jobs.submit', {
      model: 'google/nano-banana',
      prompt: 'a teapot',
      aspectRatio: '4:3',
      outputFormat: 'jpeg',
      resolution: null,
    });
    if (!submitted.ok) throw new Error(submitted.error.message);
    await expect
      .poll(() => updates.filter((job) => job.id === submitted.value.id).at(-1)?.state, { timeout: 5_000 })
      .toBe('done');

    const page = await api.request('gallery.query', { query: {}, cursor: null, limit: 10 });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.items).toHaveLength(1);
    expect(page.value.items[0]).toMatchObject({
      demo: true,
      format: 'jpeg',
      params: { prompt: 'a teapot', aspectRatio: '4:3' },
    });
    expect(page.value.nextCursor).toBeNull();
  });
});
