import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Credits } from '@shared/domain/credits';
import type { GalleryImage } from '@shared/domain/image';
import type { Job } from '@shared/domain/job';
import type { Core } from '@core/core';
import { createCore, type CoreOptions } from '@core/createCore';
import { memoryStore, testPorts } from '@core/testing/memoryPorts';
import { submitPrompt } from '@core/testing/submitPrompt';
import { useTempDirs } from '@core/testing/tempDir';
import { startHarness } from '../../src/harness/server';

/**
 * Issue 11 §4: Demo mode's built-in simulator keeps its tasks in the data folder, so a job that
 * was generating when the app stopped finishes after the restart, as it would on KIE, instead of
 * coming back as "Task … was not found". And Demo credits never fall.
 */
const CORE: CoreOptions = {
  poll: { initialMs: 50, maxMs: 200, lateCallbackMs: 400, perSecond: 200, burst: 50 },
  download: { maxBytes: 5_000_000, idleMs: 1_000 },
  probeIntervalMs: 100,
  // Long enough to stop the app while the task is still generating.
  demoTimings: { waitingMs: 50, queuingMs: 50, generatingMs: 1_500 },
};

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0).reverse()) await core.dispose();
});

async function call<T>(core: Core, route: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatch(route, input, { transport: 'test' });
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function jobOf(core: Core, id: string): Promise<Job | undefined> {
  return (await call<Job[]>(core, 'jobs.list', { limit: 50 })).find((job) => job.id === id);
}

async function waitFor(core: Core, id: string, states: Job['state'][], timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  let last: Job | undefined;
  while (Date.now() < deadline) {
    last = await jobOf(core, id);
    if (last && states.includes(last.state)) return last;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  throw new Error(
    `job ${id} is ${last?.state} (${last?.error?.message ?? 'no error'}), wanted ${states.join('|')}`,
  );
}

describe('Demo mode across restarts', () => {
  const tempDir = useTempDirs();

  async function start(
    dataDir: string,
    store: ReturnType<typeof memoryStore>,
    options: CoreOptions = {},
  ): Promise<Core> {
    const core = await createCore(testPorts(dataDir, { store }), { ...CORE, ...options });
    cores.push(core);
    return core;
  }

  async function stop(core: Core): Promise<void> {
    cores.splice(cores.indexOf(core), 1);
    await core.dispose();
  }

  async function libraryFiles(libraryDir: string): Promise<string[]> {
    const entries = await readdir(libraryDir, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  }

  it.each([
    // Polling is slowed to a minute here, so only the simulator's callback can deliver in time.
    ['the same settings store (the callback reaches the same address)', true],
    ['a fresh settings store (the callback server moves; polling delivers)', false],
  ])(
    'a job generating when the app stops finishes after the restart, with %s',
    { timeout: 40_000 },
    async (_name, keepStore) => {
      const dataDir = await tempDir();
      const store = memoryStore({ settings: { demoMode: true } });
      const first = await start(dataDir, store);
      const before = await call<Credits>(first, 'credits.get');
      expect(before.demo).toBe(true);
      const submitted = await submitPrompt(first, 'a lighthouse at dusk');
      const running = await waitFor(first, submitted.id, ['generating', 'queuing', 'waiting']);
      expect(running.kieTaskId).not.toBeNull();
      await stop(first);

      const second = keepStore
        ? await start(dataDir, store, { poll: { ...CORE.poll, initialMs: 60_000, lateCallbackMs: 60_000 } })
        : await start(dataDir, memoryStore({ settings: { demoMode: true } }));
      const done = await waitFor(second, submitted.id, ['done', 'failed', 'unknown-outcome']);
      expect(done.error?.message ?? null).toBeNull();
      expect(done.state).toBe('done');
      expect(done.kieTaskId).toBe(running.kieTaskId);
      expect(done.imageIds).toHaveLength(1);
      const image = await call<GalleryImage>(second, 'gallery.get', { id: done.imageIds[0] });
      expect(image).toMatchObject({ kieTaskId: running.kieTaskId, demo: true, status: 'ok' });
      expect(image.params.prompt).toBe('a lighthouse at dusk');
      expect(await libraryFiles(join(dataDir, 'library'))).toHaveLength(1);
      // "Free" means free: the demo balance is what it was before any job.
      const after = await call<Credits>(second, 'credits.get');
      expect(after.balance).toBe(before.balance);
    },
  );

  it('`npm run web` on the same data folder does the same', { timeout: 40_000 }, async () => {
    const dataDir = await tempDir();
    const rendererDir = await tempDir();
    const web = () =>
      startHarness({ rendererDir, dataDir, quiet: true, initialSettings: { demoMode: true }, core: CORE });
    const first = await web();
    const submitted = await submitPrompt(first.core, 'a web lighthouse').catch(async (error: unknown) => {
      await first.close();
      throw error;
    });
    const running = await waitFor(first.core, submitted.id, ['generating', 'queuing', 'waiting']);
    await first.close();

    const second = await web();
    try {
      const done = await waitFor(second.core, submitted.id, ['done', 'failed', 'unknown-outcome']);
      expect(done).toMatchObject({ state: 'done', error: null, kieTaskId: running.kieTaskId });
      expect(await libraryFiles(second.libraryDir)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('a finished demo job never lowers the demo balance', { timeout: 20_000 }, async () => {
    const dataDir = await tempDir();
    const core = await start(dataDir, memoryStore({ settings: { demoMode: true } }));
    const before = await call<Credits>(core, 'credits.get');
    const job = await submitPrompt(core, 'a free fox');
    await waitFor(core, job.id, ['done']);
    const after = await call<Credits>(core, 'credits.get');
    expect(after).toMatchObject({ demo: true, balance: before.balance });
  });
});
