import { existsSync } from 'node:fs';
import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { StagedReference } from '@shared/domain/reference';
import type { Core } from '@core/core';
import { createCore, type CoreOptions } from '@core/createCore';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import { memorySecretStore, memoryStore, testPorts } from '@core/testing/memoryPorts';
import { submitPrompt } from '@core/testing/submitPrompt';
import { useTempDirs } from '@core/testing/tempDir';

/**
 * Issue 11 §7: a damaged or deleted library.db is rebuilt from the image files, and the rebuild
 * never forgets a job. Jobs that were at KIE when the app stopped (generating, waiting in a
 * paused queue with a reference image, unknown outcome) are all there after the restart, finish,
 * and land in the gallery exactly once; a job that was done stays done with its image; nothing
 * is sent to KIE twice.
 */
const CORE: CoreOptions = {
  poll: { initialMs: 50, maxMs: 200, lateCallbackMs: 400, perSecond: 200, burst: 50 },
  download: { maxBytes: 5_000_000, idleMs: 2_000 },
  probeIntervalMs: 100,
  sweepDelayMs: 0,
  libraryScanDelayMs: 50,
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

async function jobs(core: Core): Promise<Job[]> {
  return call<Job[]>(core, 'jobs.list', { limit: 100 });
}

/** Waits until `check` accepts the job (generous: the machine is shared). */
async function waitForJob(
  core: Core,
  id: string,
  check: (job: Job) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  let last: Job | undefined;
  while (Date.now() < deadline) {
    last = (await jobs(core)).find((job) => job.id === id);
    if (last && check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  throw new Error(
    `job ${id}: wanted ${what}, is ${last ? `${last.state} (${last.error?.message ?? 'no error'})` : 'gone'}`,
  );
}

const inState =
  (...states: Job['state'][]) =>
  (job: Job): boolean =>
    states.includes(job.state);

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('rebuilding library.db keeps every job', () => {
  const tempDir = useTempDirs();
  let sim: KieSimulator;

  beforeAll(async () => {
    sim = await startKieSimulator({
      // Long enough to stop the app while tasks are still generating.
      timings: { waitingMs: 50, queuingMs: 50, generatingMs: 3_000 },
      maxImageSide: 256,
      credits: 1_000_000,
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  async function start(dataDir: string, store: ReturnType<typeof memoryStore>): Promise<Core> {
    const core = await createCore(
      testPorts(dataDir, {
        store,
        secrets: memorySecretStore({ kieApiKey: sim.apiKey }),
        demoKie: { apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey },
      }),
      CORE,
    );
    cores.push(core);
    return core;
  }

  async function stop(core: Core): Promise<void> {
    cores.splice(cores.indexOf(core), 1);
    await core.dispose();
  }

  const tasksFor = (prompt: string) => [...sim.tasks.values()].filter((task) => task.prompt === prompt);

  it.each([
    ['overwritten with garbage', 'corrupt'],
    ['deleted', 'missing'],
  ] as const)('library.db %s while the app is stopped', { timeout: 90_000 }, async (_how, damage) => {
    const dataDir = await tempDir();
    const tag = Math.random().toString(36).slice(2, 8);
    const prompt = (name: string) => `rebuild ${tag} ${name}`;
    const store = memoryStore({
      settings: { demoMode: true, kieApiBaseUrl: sim.apiBaseUrl, kieUploadBaseUrl: sim.uploadBaseUrl },
    });

    // ── First run: one job done, two generating, one with an unknown outcome, one held. ──
    const first = await start(dataDir, store);
    const done = await submitPrompt(first, prompt('done'));
    const doneBefore = await waitForJob(first, done.id, inState('done'), 'done');
    expect(doneBefore.imageIds).toHaveLength(1);

    // createTask reaches KIE (which creates the task) but its answer never comes back.
    sim.setFault({ kind: 'createTaskHang' }, 'next');
    const unknown = await submitPrompt(first, prompt('unknown outcome'));
    await until(() => tasksFor(prompt('unknown outcome')).length === 1, 'the hanging createTask');
    await waitForJob(first, unknown.id, inState('submitting'), 'submitting');

    const generating = [
      await submitPrompt(first, prompt('generating a')),
      await submitPrompt(first, prompt('generating b')),
    ];
    for (const job of generating) {
      await waitForJob(first, job.id, (j) => j.kieTaskId !== null && j.state !== 'done', 'at KIE');
    }

    // A job waiting in the paused queue, made from a staged reference image.
    await call(first, 'queue.pause');
    const png = await sharp({
      create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 120, b: 40 } },
    })
      .png()
      .toBuffer();
    const reference = await call<StagedReference>(first, 'references.add', {
      base64: png.toString('base64'),
      name: 'orange.png',
    });
    const held = await submitPrompt(first, prompt('held with a reference'), { references: [reference.id] });
    await waitForJob(first, held.id, inState('queued'), 'queued');
    const atStop = new Map((await jobs(first)).map((job) => [job.id, job.state]));
    for (const job of generating) expect(atStop.get(job.id)).not.toBe('done');
    await stop(first);

    // ── While the app is stopped, library.db is damaged. ──
    const libraryDb = join(dataDir, 'library.db');
    if (damage === 'corrupt') {
      const handle = await open(libraryDb, 'r+');
      const { size } = await handle.stat();
      await handle.write(Buffer.alloc(size, 0x5a), 0, size, 0);
      await handle.close();
    } else {
      for (const suffix of ['', '-wal', '-shm']) await rm(libraryDb + suffix, { force: true });
    }

    // ── Second run: the library is rebuilt and every job is still there. ──
    const second = await start(dataDir, store);
    const listed = new Map((await jobs(second)).map((job) => [job.id, job]));
    for (const job of [done, ...generating, unknown, held]) {
      expect(listed.has(job.id), `${job.params.prompt} is still a job`).toBe(true);
    }
    expect(listed.get(done.id)?.state).toBe('done');
    await call(second, 'queue.resume');

    for (const job of [...generating, held]) {
      const finished = await waitForJob(second, job.id, inState('done', 'failed', 'cancelled'), 'done');
      expect(finished.error?.message ?? null).toBeNull();
      expect(finished.state).toBe('done');
      expect(finished.imageIds).toHaveLength(1);
    }
    // The task KIE made for the unknown-outcome job is never forgotten: still asking the user
    // (or, once matched to its task, delivered), never "failed, nothing charged".
    const stillUnknown = await waitForJob(second, unknown.id, inState('unknown-outcome', 'done'), 'settled');
    // The done job comes back with its image once the rebuild scan has found the file.
    const doneAfter = await waitForJob(
      second,
      done.id,
      (job) => job.imageIds.length === 1,
      'its image linked again',
    );
    expect(doneAfter).toMatchObject({ state: 'done', imageIds: doneBefore.imageIds });
    await until(() => tasksFor(prompt('unknown outcome'))[0]?.state === 'success', 'the lost task');
    await stop(second);

    // Nothing was sent twice, and every image is in the gallery exactly once.
    const all = [done, ...generating, unknown, held];
    for (const job of all) expect(tasksFor(job.params.prompt), job.params.prompt).toHaveLength(1);
    const delivered = [done, ...generating, held, ...(stillUnknown.state === 'done' ? [unknown] : [])];
    const db = new DatabaseSync(libraryDb, { readOnly: true });
    try {
      expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      for (const job of delivered) {
        const taskId = tasksFor(job.params.prompt)[0]?.taskId ?? '';
        const rows = db.prepare('SELECT rel_path, job_id FROM images WHERE kie_task_id = ?').all(taskId) as {
          rel_path: string;
          job_id: string | null;
        }[];
        expect(rows, job.params.prompt).toHaveLength(1);
        expect(rows[0]?.job_id).toBe(job.id);
        expect(existsSync(join(dataDir, 'library', rows[0]?.rel_path ?? ''))).toBe(true);
      }
    } finally {
      db.close();
    }
    const files = (await readdir(join(dataDir, 'library'), { recursive: true, withFileTypes: true })).filter(
      (entry) => entry.isFile() && !entry.name.startsWith('.'),
    );
    expect(files).toHaveLength(delivered.length);
    if (damage === 'corrupt') {
      expect((await readdir(dataDir)).some((name) => name.startsWith('library.db.corrupt-'))).toBe(true);
    }
  });
});
