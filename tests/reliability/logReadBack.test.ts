import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { LogEntryView } from '@shared/domain/log';
import type { Core } from '@core/core';
import { createCore, type CoreOptions } from '@core/createCore';
import { createLogger, MemorySink, Redactor, RotatingFileSink } from '@core/log/logger';
import { memoryStore, testPorts } from '@core/testing/memoryPorts';
import { submitPrompt } from '@core/testing/submitPrompt';
import { useTempDirs } from '@core/testing/tempDir';
import { startHarness } from '../../src/harness/server';

/**
 * Issue 11 §5: the log view reads back from the log file, so after a restart a job's
 * "only this job" view still shows what happened to it before.
 */
const CORE: CoreOptions = {
  poll: { initialMs: 50, maxMs: 200, lateCallbackMs: 400, perSecond: 200, burst: 50 },
  download: { maxBytes: 5_000_000, idleMs: 1_000 },
  probeIntervalMs: 100,
  demoTimings: { waitingMs: 30, queuingMs: 30, generatingMs: 60 },
};

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0).reverse()) await core.dispose();
});

async function call<T>(core: Pick<Core, 'dispatch'>, route: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatch(route, input, { transport: 'test' });
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function waitDone(core: Pick<Core, 'dispatch'>, id: string): Promise<Job> {
  const deadline = Date.now() + 15_000;
  let last: Job | undefined;
  while (Date.now() < deadline) {
    last = (await call<Job[]>(core, 'jobs.list', { limit: 50 })).find((job) => job.id === id);
    if (last && ['done', 'failed', 'unknown-outcome'].includes(last.state)) return last;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  throw new Error(`job ${id} is ${last?.state}`);
}

const jobLog = (core: Pick<Core, 'dispatch'>, jobId: string) =>
  call<LogEntryView[]>(core, 'logs.list', { jobId, limit: 500 });

describe('the log view across a restart', () => {
  const tempDir = useTempDirs();

  /** A core with the desktop app's log setup (src/main/ports.ts): the rotating file behind the view. */
  async function start(dataDir: string): Promise<Core> {
    const file = new RotatingFileSink(join(dataDir, 'logs'));
    const history = new MemorySink(500, file);
    const redactor = new Redactor();
    const core = await createCore(
      testPorts(dataDir, {
        store: memoryStore({ settings: { demoMode: true } }),
        log: createLogger({ sinks: [file, history], redactor }),
        logHistory: history,
        redactor,
      }),
      CORE,
    );
    cores.push(core);
    return core;
  }

  it('a restarted core still shows the earlier job’s lines, filtered by its id', async () => {
    const dataDir = await tempDir();
    const first = await start(dataDir);
    const earlier = await submitPrompt(first, 'a lighthouse at dusk');
    expect((await waitDone(first, earlier.id)).state).toBe('done');
    const other = await submitPrompt(first, 'another prompt');
    await waitDone(first, other.id);
    const before = await jobLog(first, earlier.id);
    expect(before.map((entry) => entry.message)).toEqual(
      expect.arrayContaining(['Task created', 'Image saved']),
    );
    cores.splice(cores.indexOf(first), 1);
    await first.dispose();

    const second = await start(dataDir);
    const after = await jobLog(second, earlier.id);
    expect(after.map((entry) => entry.message)).toEqual(
      expect.arrayContaining(['Task created', 'Image saved']),
    );
    expect(after.every((entry) => entry.jobId === earlier.id)).toBe(true);
    // Every line the first session wrote about this job, nothing about the other one.
    expect(after.map((entry) => [entry.time, entry.message])).toEqual(
      expect.arrayContaining(before.map((entry) => [entry.time, entry.message])),
    );
    // And the unfiltered view has both sessions.
    const all = await call<LogEntryView[]>(second, 'logs.list', { jobId: null, limit: 500 });
    expect(all.some((entry) => entry.jobId === other.id)).toBe(true);
  });

  it('`npm run web` on the same data folder does the same', async () => {
    const dataDir = await tempDir();
    const rendererDir = await tempDir();
    const web = () =>
      startHarness({ rendererDir, dataDir, quiet: true, initialSettings: { demoMode: true }, core: CORE });
    const first = await web();
    const jobId = await (async () => {
      try {
        const id = (await submitPrompt(first.core, 'a web lighthouse')).id;
        expect((await waitDone(first.core, id)).state).toBe('done');
        return id;
      } finally {
        await first.close();
      }
    })();
    const second = await web();
    try {
      const lines = await jobLog(second.core, jobId);
      expect(lines.map((entry) => entry.message)).toEqual(
        expect.arrayContaining(['Task created', 'Image saved']),
      );
    } finally {
      await second.close();
    }
  });
});
