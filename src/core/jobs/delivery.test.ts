import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { AnyEvent } from '@shared/ipc/contract';
import type { LibraryStatus } from '@shared/ipc/galleryRoutes';
import type { Core } from '../core';
import { createCore, type CoreOptions } from '../createCore';
import { readMetadataFromFile } from '../gallery/metadata';
import { startKieSimulator, type KieFault, type KieSimulator } from '../kie/simulator';
import { memorySecretStore, testPorts } from '../testing/memoryPorts';
import { submitPrompt } from '../testing/submitPrompt';
import { useTempDirs } from '../testing/tempDir';

/**
 * Delivery through the real core against the simulator on 127.0.0.1: every job that KIE
 * finishes ends as exactly one file, whatever the fault, and createTask is never sent twice.
 */
const FAST = { waitingMs: 60, queuingMs: 60, generatingMs: 120 };
const CORE: CoreOptions = {
  poll: { initialMs: 50, maxMs: 200, lateCallbackMs: 400, perSecond: 200, burst: 50 },
  download: { maxBytes: 5_000_000, idleMs: 400 },
  probeIntervalMs: 100,
};

interface Rig {
  core: Core;
  sim: KieSimulator;
  dataDir: string;
  events: AnyEvent[];
  submit(prompt?: string): Promise<Job>;
  until(jobId: string, states: Job['state'][], timeoutMs?: number): Promise<Job>;
  files(): Promise<string[]>;
  creates(): number;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('delivery against the simulator', () => {
  const tempDir = useTempDirs();

  async function rig(
    options: {
      demo?: boolean;
      fault?: KieFault;
      sim?: KieSimulator;
      dataDir?: string;
      core?: CoreOptions;
    } = {},
  ): Promise<Rig> {
    const sim = options.sim ?? (await startKieSimulator({ timings: FAST }));
    if (!options.sim) cleanups.push(() => sim.close());
    if (options.fault) sim.setFault(options.fault, 'global');
    const dataDir = options.dataDir ?? (await tempDir());
    const demo = options.demo ?? false;
    const ports = testPorts(dataDir, {
      secrets: memorySecretStore({ kieApiKey: sim.apiKey }),
      demoKie: { apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey },
      settings: { demoMode: demo, kieApiBaseUrl: sim.apiBaseUrl, kieUploadBaseUrl: sim.uploadBaseUrl },
    });
    const core = await createCore(ports, { ...CORE, ...options.core });
    let disposed = false;
    cleanups.push(async () => {
      if (!disposed) await core.dispose();
      disposed = true;
    });
    const events: AnyEvent[] = [];
    core.onEvent((event) => events.push(event));
    const latest = new Map<string, Job>();
    core.onEvent((event) => {
      if (event.name === 'job.updated') latest.set(event.payload.id, event.payload);
    });
    return {
      core,
      sim,
      dataDir,
      events,
      submit: (prompt = 'a red fox in the snow') => submitPrompt(core, prompt),
      async until(jobId, states, timeoutMs = 8_000) {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          const job = latest.get(jobId);
          if (job && states.includes(job.state)) return job;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error(`job ${jobId} stuck in ${latest.get(jobId)?.state}, wanted ${states.join('|')}`);
      },
      async files() {
        const entries = await readdir(join(dataDir, 'library'), {
          recursive: true,
          withFileTypes: true,
        }).catch(() => []);
        return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
      },
      creates: () => sim.countRequests('POST', '/api/v1/jobs/createTask'),
    };
  }

  it('delivers one image by polling when there is no callback', async () => {
    const r = await rig();
    const job = await r.submit();
    const done = await r.until(job.id, ['done']);
    expect(done.imageIds).toHaveLength(1);
    const files = await r.files();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}_a-red-fox-in-the-snow_[0-9a-f]{8}\.png$/);
    // The file carries its own metadata, so the library can be rebuilt from it alone.
    const saved = (await readdir(join(r.dataDir, 'library'), { recursive: true, withFileTypes: true })).find(
      (entry) => entry.isFile(),
    );
    const meta = await readMetadataFromFile(join(saved?.parentPath ?? '', saved?.name ?? ''));
    expect(meta).toMatchObject({
      imageId: done.imageIds[0],
      prompt: 'a red fox in the snow',
      model: 'google/nano-banana',
      kieTaskId: done.kieTaskId,
      resultIndex: 0,
      demo: false,
      appVersion: '0.0.0-test',
    });
    expect(r.creates()).toBe(1);
    const states = r.events.filter((e) => e.name === 'job.updated').map((e) => (e.payload as Job).state);
    expect(states[0]).toBe('queued');
    expect(states).toContain('submitted');
    expect(states.at(-1)).toBe('done');
    expect(r.events.filter((e) => e.name === 'gallery.added')).toHaveLength(1);
    // The library's counts follow by themselves (the renderer does not ask again).
    await expect
      .poll(() =>
        r.events.some((e) => e.name === 'library.changed' && (e.payload as LibraryStatus).images === 1),
      )
      .toBe(true);
  });

  it('demo mode is woken by the callback before the first poll is due', async () => {
    const r = await rig({ demo: true, core: { poll: { initialMs: 60_000, lateCallbackMs: 60_000 } } });
    const job = await r.submit();
    await r.until(job.id, ['done'], 5_000);
    const task = [...r.sim.tasks.values()][0];
    // The callback URL names the job, so a callback can recover it if createTask's answer is lost.
    expect(task?.callBackUrl).toBe(
      `${task?.callBackUrl?.match(/^http:\/\/127\.0\.0\.1:\d+\/kie\/callback\/[0-9a-f]{32}/)?.[0]}?job=${job.id}`,
    );
    expect(await r.files()).toHaveLength(1);
  });

  it('ten concurrent duplicate callbacks still give exactly one file', async () => {
    const r = await rig({ demo: true, fault: { kind: 'duplicateCallback', count: 10 } });
    const job = await r.submit();
    await r.until(job.id, ['done']);
    await r.sim.whenSettled([...r.sim.tasks.keys()][0] ?? '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await r.files()).toHaveLength(1);
    expect(r.events.filter((e) => e.name === 'gallery.added')).toHaveLength(1);
  });

  it('ignores the URLs in a tampered callback body and downloads what recordInfo says', async () => {
    const r = await rig({ demo: true, fault: { kind: 'tamperedCallbackUrls' } });
    const job = await r.submit();
    await r.until(job.id, ['done']);
    expect(await r.files()).toHaveLength(1);
  });

  it('a lost callback is made up for by polling', async () => {
    const r = await rig({ demo: true, fault: { kind: 'lostCallback' } });
    const job = await r.submit();
    await r.until(job.id, ['done']);
    expect(await r.files()).toHaveLength(1);
  });

  it('a late callback after polling already delivered changes nothing', async () => {
    const r = await rig({ demo: true, fault: { kind: 'lateCallback', delayMs: 100, afterPoll: true } });
    const job = await r.submit();
    await r.until(job.id, ['done']);
    await r.sim.whenSettled([...r.sim.tasks.keys()][0] ?? '');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await r.files()).toHaveLength(1);
    expect(r.events.filter((e) => e.name === 'gallery.added')).toHaveLength(1);
  });

  it.each([
    ['a forged signature', { kind: 'forgedSignature' } as const],
    ['a stale timestamp', { kind: 'staleTimestamp', skewSeconds: 3600 } as const],
  ])('%s is refused with 401 and the job still completes by polling', async (_name, fault) => {
    const sim = await startKieSimulator({ timings: FAST, hmacKey: 'whsec-test-key' });
    cleanups.push(() => sim.close());
    sim.setFault(fault, 'global');
    const dataDir = await tempDir();
    const ports = testPorts(dataDir, {
      secrets: memorySecretStore({ kieApiKey: sim.apiKey, webhookHmacKey: 'whsec-test-key' }),
      settings: { tunnelMode: 'manual', kieApiBaseUrl: sim.apiBaseUrl, kieUploadBaseUrl: sim.uploadBaseUrl },
    });
    // The "public" URL is the local callback server itself, so callbacks really arrive.
    const core = await createCore(ports, CORE);
    cleanups.push(() => core.dispose());
    const settings = await core.dispatch('settings.get', {}, { transport: 'test' });
    const local = settings.ok ? (settings.value as { callbackLocalUrl: string }).callbackLocalUrl : '';
    await core.dispatch('settings.update', { publicCallbackUrl: local }, { transport: 'test' });
    const updates: Job[] = [];
    core.onEvent((event) => event.name === 'job.updated' && updates.push(event.payload));
    const submitted = await core.dispatch(
      'jobs.submit',
      {
        model: 'google/nano-banana',
        prompt: 'signed',
        aspectRatio: '1:1',
        outputFormat: 'png',
        resolution: null,
      },
      { transport: 'test' },
    );
    expect(submitted.ok).toBe(true);
    await expect.poll(() => updates.at(-1)?.state, { timeout: 8_000 }).toBe('done');
    const task = [...sim.tasks.values()][0];
    expect(task?.callBackUrl).toContain('/kie/callback/');
    await sim.whenSettled(task?.taskId ?? '');
    expect(task?.callbacks.length).toBeGreaterThan(0);
    expect(task?.callbacks.every((attempt) => attempt.status === 401)).toBe(true);
    expect(ports.logs.entries.some((entry) => entry.message === 'Callback signature refused')).toBe(true);
  });

  it('a burst of 5xx on recordInfo is ridden out', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'serverErrorBurst', count: 4, status: 503, endpoint: 'recordInfo' }, 'global');
    const job = await r.submit();
    await r.until(job.id, ['done']);
    expect(await r.files()).toHaveLength(1);
  });

  it('455 maintenance on createTask pauses the queue, then resumes by itself', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'maintenance', count: 1, endpoint: 'createTask' }, 'global');
    const job = await r.submit();
    await expect.poll(() => lastQueue(r.events)?.reason).toBe('maintenance');
    await r.until(job.id, ['done']);
    expect(r.sim.requests.filter((q) => q.path === '/api/v1/jobs/createTask' && q.code === 200)).toHaveLength(
      1,
    );
  });

  it('a truncated download is retried into one whole file, or fails cleanly', async () => {
    const r = await rig({ fault: { kind: 'truncatedBody' } });
    const job = await r.submit();
    const end = await r.until(job.id, ['done', 'failed'], 10_000);
    const files = await r.files();
    if (end.state === 'done') expect(files).toHaveLength(1);
    else expect(files).toEqual([]);
    expect(files.filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('a download that stalls past the idle timeout fails with TIMEOUT and leaves nothing', async () => {
    const r = await rig({ fault: { kind: 'slowDownload', chunkBytes: 16, intervalMs: 2_000 } });
    const job = await r.submit();
    const failed = await r.until(job.id, ['failed'], 25_000);
    expect(failed.error?.code).toBe('TIMEOUT');
    expect(await r.files()).toEqual([]);
  }, 30_000);

  it('a content-safety failure is explained and nothing is written', async () => {
    const r = await rig({ fault: { kind: 'contentRejected' } });
    const job = await r.submit();
    const failed = await r.until(job.id, ['failed']);
    expect(failed.error?.code).toBe('CONTENT_REJECTED');
    expect(await r.files()).toEqual([]);
  });

  it('a reset after createTask becomes unknown-outcome and is never re-sent', async () => {
    const r = await rig({ fault: { kind: 'createTaskReset' } });
    const job = await r.submit();
    const unknown = await r.until(job.id, ['unknown-outcome']);
    expect(unknown.error?.code).toBe('UNKNOWN_OUTCOME');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.creates()).toBe(1);
  });

  it('refreshes an expired result URL through download-url', async () => {
    const r = await rig({ fault: { kind: 'expiredResultUrl' } });
    const job = await r.submit();
    await r.until(job.id, ['done']);
    expect(r.sim.countRequests('POST', '/api/v1/common/download-url')).toBeGreaterThanOrEqual(1);
    expect(await r.files()).toHaveLength(1);
  });

  it('a corrupt result fails with a clear error and leaves no file behind', async () => {
    const r = await rig({ fault: { kind: 'corruptImage' } });
    const job = await r.submit();
    const failed = await r.until(job.id, ['failed'], 10_000);
    expect(failed.error?.message).toMatch(/decode|image/i);
    expect(await r.files()).toEqual([]);
  });

  it('a bad key fails the job with UNAUTHORIZED', async () => {
    const sim = await startKieSimulator({ timings: FAST, apiKey: 'the-right-key-123' });
    cleanups.push(() => sim.close());
    const dataDir = await tempDir();
    const core = await createCore(
      testPorts(dataDir, {
        secrets: memorySecretStore({ kieApiKey: 'the-wrong-key-456' }),
        settings: { kieApiBaseUrl: sim.apiBaseUrl, kieUploadBaseUrl: sim.uploadBaseUrl },
      }),
      CORE,
    );
    cleanups.push(() => core.dispose());
    const updates: Job[] = [];
    core.onEvent((event) => event.name === 'job.updated' && updates.push(event.payload));
    const submitted = await core.dispatch(
      'jobs.submit',
      { model: 'google/nano-banana', prompt: 'x', aspectRatio: '1:1', outputFormat: 'png', resolution: null },
      { transport: 'test' },
    );
    expect(submitted.ok).toBe(true);
    await expect.poll(() => updates.at(-1)?.state).toBe('failed');
    expect(updates.at(-1)?.error?.code).toBe('UNAUTHORIZED');
  });

  it('402 pauses the queue with the job kept, and resumes when credits return', async () => {
    const sim = await startKieSimulator({ timings: FAST, credits: 0 });
    cleanups.push(() => sim.close());
    const r = await rig({ sim });
    const job = await r.submit();
    await expect.poll(() => lastQueue(r.events)?.reason).toBe('credits');
    const waiting = await r.until(job.id, ['queued']);
    expect(waiting.error?.code).toBe('NO_CREDITS');
    sim.setCredits(100);
    await r.until(job.id, ['done']);
    expect(lastQueue(r.events)?.paused).toBe(false);
  });

  it('429 on createTask waits for Retry-After, then submits once', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'rateLimit', count: 1, retryAfterSeconds: 1, endpoint: 'createTask' }, 'global');
    const job = await r.submit();
    await expect.poll(() => lastQueue(r.events)?.reason).toBe('rate-limited');
    await r.until(job.id, ['done'], 6_000);
    expect(
      r.sim.requests.filter((q) => q.path === '/api/v1/jobs/createTask' && q.status === 200),
    ).toHaveLength(1);
  });

  it('respects the concurrency limit and FIFO order, and pause/resume holds the queue', async () => {
    const r = await rig();
    await r.core.dispatch('settings.update', { concurrency: 1 }, { transport: 'test' });
    await r.core.dispatch('queue.pause', {}, { transport: 'test' });
    const jobs = [await r.submit('one'), await r.submit('two'), await r.submit('three')];
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(r.creates()).toBe(0);
    await r.core.dispatch('queue.resume', {}, { transport: 'test' });
    for (const job of jobs) await r.until(job.id, ['done']);
    const prompts = r.sim.requests
      .filter((q) => q.path === '/api/v1/jobs/createTask')
      .map((q) => (q.body as { input: { prompt: string } }).input.prompt);
    expect(prompts).toEqual(['one', 'two', 'three']);
  });

  it('cancel before submission never reaches KIE; stop-waiting keeps a late paid result', async () => {
    const r = await rig({ demo: true });
    await r.core.dispatch('queue.pause', {}, { transport: 'test' });
    const early = await r.submit('never sent');
    const cancelled = await r.core.dispatch('jobs.cancel', { id: early.id }, { transport: 'test' });
    expect(cancelled).toMatchObject({ ok: true, value: { state: 'cancelled' } });
    await r.core.dispatch('queue.resume', {}, { transport: 'test' });
    const late = await r.submit('kept anyway');
    await r.until(late.id, ['submitted', 'waiting', 'queuing', 'generating']);
    await r.core.dispatch('jobs.cancel', { id: late.id }, { transport: 'test' });
    // The callback for the task still arrives, and the paid image is delivered.
    await r.until(late.id, ['done']);
    expect(await r.files()).toHaveLength(1);
    expect(
      r.sim.requests.filter(
        (q) => (q.body as { input?: { prompt?: string } } | null)?.input?.prompt === 'never sent',
      ),
    ).toEqual([]);
  });

  it('retry makes a new job with the same inputs', async () => {
    const r = await rig({ fault: { kind: 'generationFailed' } });
    const job = await r.submit('try again');
    await r.until(job.id, ['failed']);
    r.sim.clearFaults();
    const retried = await r.core.dispatch('jobs.retry', { id: job.id }, { transport: 'test' });
    if (!retried.ok) throw new Error(retried.error.message);
    const again = retried.value as Job;
    expect(again.id).not.toBe(job.id);
    expect(again.params).toEqual(job.params);
    await r.until(again.id, ['done']);
  });

  it('resumes after a restart: an unfinished job is reconciled and delivered once', async () => {
    const sim = await startKieSimulator({ timings: { waitingMs: 200, queuingMs: 200, generatingMs: 400 } });
    cleanups.push(() => sim.close());
    const dataDir = await tempDir();
    const first = await rig({ sim, dataDir, core: { poll: { initialMs: 5_000 } } });
    const job = await first.submit();
    await first.until(job.id, ['submitted']);
    await first.core.dispose();
    const second = await rig({ sim, dataDir });
    await second.until(job.id, ['done']);
    expect(await second.files()).toHaveLength(1);
    expect(second.creates()).toBe(1);
  });
});

function lastQueue(events: AnyEvent[]) {
  const queue = events.filter((e) => e.name === 'queue.changed').at(-1);
  return queue?.name === 'queue.changed' ? queue.payload : undefined;
}
