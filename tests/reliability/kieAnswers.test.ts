import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { AnyEvent } from '@shared/ipc/contract';
import { startCoreRig, type CoreRig, type CoreRigOptions } from '@core/testing/coreRig';
import { submitPrompt } from '@core/testing/submitPrompt';
import { useTempDirs } from '@core/testing/tempDir';

/**
 * Answers the real KIE service is known to give (public clients, real logs), produced by the
 * simulator's faults, against a real core. The rule in every case: a task KIE may have created
 * and charged is never "failed, nothing charged", and its image reaches the gallery without a
 * restart. Named by the items (2a–2f, 3, 4).
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const tempDir = useTempDirs();
const rig = (options: CoreRigOptions = {}): Promise<CoreRig> => startCoreRig(tempDir, cleanups, options);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lastQueue(events: AnyEvent[]) {
  const queue = events.filter((event) => event.name === 'queue.changed').at(-1);
  return queue?.name === 'queue.changed' ? queue.payload : undefined;
}

/** POSTs a callback body to the core's callback URL, as KIE (or an attacker) would. */
async function postCallback(callbackUrl: string, taskId: string): Promise<number> {
  const response = await fetch(callbackUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 200, msg: 'ok', data: { taskId, state: 'success' } }),
  });
  await response.text();
  return response.status;
}

/** A task under the same key that no job of this library knows (made elsewhere, e.g. KIE's playground). */
async function createForeignTask(r: CoreRig, prompt: string): Promise<string> {
  const response = await fetch(`${r.sim.apiBaseUrl}/api/v1/jobs/createTask`, {
    method: 'POST',
    headers: { authorization: `Bearer ${r.sim.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'google/nano-banana',
      input: { prompt, output_format: 'png', aspect_ratio: '1:1' },
    }),
  });
  const { data } = (await response.json()) as { data: { taskId: string } };
  return data.taskId;
}

describe('2a. recordInfo answers "recordInfo is null" / 404 for a fresh task', () => {
  it.each([422, 404] as const)(
    'code %i means "not ready yet": the job keeps asking and is delivered',
    async (code) => {
      const r = await rig();
      r.sim.setFault({ kind: 'recordInfoNull', count: 4, code }, 'next');
      const job = await r.submit();
      const done = await r.until(job.id, ['done', 'failed']);
      expect(done.state).toBe('done');
      expect(await r.files()).toHaveLength(1);
      expect(r.creates()).toBe(1);
      const task = [...r.sim.tasks.values()][0];
      expect(
        r.sim.requests.filter((q) => q.taskId === task?.taskId && q.fault === 'recordInfoNull'),
      ).toHaveLength(4);
    },
  );
});

describe('2b. createTask reached KIE but the answer is not a KIE envelope', () => {
  it.each([
    ['a 502 gateway page', { kind: 'createTaskGateway', status: 502 }],
    ['a 504 gateway page', { kind: 'createTaskGateway', status: 504 }],
    ['a reset connection', { kind: 'createTaskReset' }],
  ] as const)('%s makes the job unknown-outcome, never "failed, nothing charged"', async (_name, fault) => {
    const r = await rig();
    r.sim.setFault(fault, 'next');
    const job = await r.submit();
    const settled = await r.until(job.id, ['unknown-outcome', 'failed']);
    expect(settled.state).toBe('unknown-outcome');
    expect(settled.error?.code).toBe('UNKNOWN_OUTCOME');
    expect(r.sim.tasks.size).toBe(1);
    expect(r.creates()).toBe(1);
  });

  it('Retry on an unknown-outcome job needs an explicit "may charge twice" yes', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'createTaskGateway' }, 'next');
    const job = await r.submit();
    await r.until(job.id, ['unknown-outcome']);
    const refused = await r.core.dispatch('jobs.retry', { id: job.id }, { transport: 'test' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('VALIDATION');
      expect(refused.error.details).toMatchObject({ reason: 'may-charge-twice' });
    }
    expect(r.creates()).toBe(1);
    const confirmed = await r.core.dispatch(
      'jobs.retry',
      { id: job.id, confirmMayChargeTwice: true },
      { transport: 'test' },
    );
    expect(confirmed.ok).toBe(true);
    if (confirmed.ok) await r.until((confirmed.value as Job).id, ['done']);
    expect(r.creates()).toBe(2);
  });
});

describe('2c. the deadline counts from KIE accepting the task, and never without a last look', () => {
  it('a job held in a paused queue longer than the deadline is sent and delivered', async () => {
    const r = await rig({ core: { poll: { initialMs: 50, maxMs: 200, deadlineMs: 600 } } });
    await r.core.dispatch('queue.pause', {}, { transport: 'test' });
    const job = await r.submit();
    await sleep(900);
    await r.core.dispatch('queue.resume', {}, { transport: 'test' });
    const done = await r.until(job.id, ['done', 'failed']);
    expect(done.state).toBe('done');
  });

  it('after the app was closed longer than the deadline, reopening checks the job and delivers it', async () => {
    const first = await rig({
      timings: { waitingMs: 100, queuingMs: 100, generatingMs: 300 },
      core: { poll: { initialMs: 5_000, deadlineMs: 700 } },
    });
    first.sim.setFault({ kind: 'lostCallback' }, 'global');
    const job = await first.submit();
    await first.until(job.id, ['submitted']);
    await first.dispose();
    await sleep(1_100);
    const second = await rig({
      sim: first.sim,
      dataDir: first.dataDir,
      core: { poll: { initialMs: 50, maxMs: 200, deadlineMs: 700 } },
    });
    const done = await second.until(job.id, ['done', 'failed']);
    expect(done.state).toBe('done');
    expect(await second.files()).toHaveLength(1);
  });

  it('a task still running at the deadline fails as TIMEOUT after a last look, resumable, never "send again"', async () => {
    const r = await rig({
      timings: { waitingMs: 100, queuingMs: 100, generatingMs: 3_000 },
      core: { poll: { initialMs: 50, maxMs: 100, deadlineMs: 400 } },
    });
    const job = await r.submit();
    const failed = await r.until(job.id, ['failed', 'done']);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('TIMEOUT');
    expect(failed.error?.message).not.toMatch(/submit|try again/i);
    // The task finishes later: a restart (or a callback) still brings the paid image in.
    const task = [...r.sim.tasks.values()][0];
    if (task) await r.sim.whenSettled(task.taskId);
    await r.dispose();
    const second = await rig({ sim: r.sim, dataDir: r.dataDir });
    expect((await second.until(job.id, ['done'])).imageIds).toHaveLength(1);
  });
});

describe('2d. success seen before the result URL is filled', () => {
  it('is looked at again with back-off and delivered', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'successWithoutUrl', count: 3 }, 'next');
    r.sim.setFault({ kind: 'lostCallback' }, 'global');
    const job = await r.submit();
    const done = await r.until(job.id, ['done', 'failed']);
    expect(done.state).toBe('done');
    expect(await r.files()).toHaveLength(1);
  });

  it('when the URL never comes, the message does not suggest submitting again', async () => {
    const r = await rig({ core: { poll: { initialMs: 50, maxMs: 100, deadlineMs: 600 } } });
    r.sim.setFault({ kind: 'successWithoutUrl', count: 10_000 }, 'next');
    const job = await r.submit();
    const failed = await r.until(job.id, ['failed', 'done']);
    expect(failed.state).toBe('failed');
    expect(failed.error?.details).toMatchObject({ reason: 'success-without-url' });
    expect(failed.error?.message).toMatch(/do not send it again/);
    expect(failed.error?.message).not.toMatch(/submit|try again/i);
  });
});

describe('2e. result downloads as real file hosts serve them', () => {
  it('a download that drops midway is resumed with Range, not started over or failed', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'droppedDownload', count: 2 }, 'next');
    const job = await r.submit();
    const done = await r.until(job.id, ['done', 'failed']);
    expect(done.state).toBe('done');
    expect(await r.files()).toHaveLength(1);
    const fileRequests = r.sim.requests.filter((q) => q.path.startsWith('/files/'));
    expect(fileRequests.filter((q) => q.fault === 'droppedDownload')).toHaveLength(2);
    expect(fileRequests.some((q) => q.status === 206)).toBe(true);
  });

  it('a gzip-encoded result (Content-Length the compressed size) is saved', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'gzipDownload' }, 'next');
    const job = await r.submit();
    expect((await r.until(job.id, ['done', 'failed'])).state).toBe('done');
    expect(await r.files()).toHaveLength(1);
  });

  it.each([401, 403, 404, 410, 'html'] as const)(
    'an expired link answering %s is refreshed through download-url and saved',
    async (answer) => {
      const r = await rig();
      r.sim.setFault({ kind: 'expiredResultUrl', answer }, 'next');
      const job = await r.submit();
      const done = await r.until(job.id, ['done', 'failed']);
      expect(done.state).toBe('done');
      expect(await r.files()).toHaveLength(1);
      expect(r.sim.requests.some((q) => q.path === '/api/v1/common/download-url')).toBe(true);
    },
  );

  it('when download-url does not know the link, a fresh recordInfo brings a working one', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'expiredResultUrl', refresh: 'recordInfo' }, 'next');
    const job = await r.submit();
    const done = await r.until(job.id, ['done', 'failed']);
    expect(done.state).toBe('done');
    expect(await r.files()).toHaveLength(1);
    expect(r.creates()).toBe(1);
  });

  it('a slow link that keeps sending is not cut off by a total deadline', async () => {
    // 60 pieces, one every 100 ms (whatever the picture's size): longer in total than the rig's
    // old 5 s download deadline and far over its 400 ms idle limit, yet never idle for that long.
    const r = await rig();
    r.sim.setFault({ kind: 'slowDownload', chunks: 60, intervalMs: 100 }, 'next');
    const job = await r.submit();
    const started = Date.now();
    const done = await r.until(job.id, ['done', 'failed']);
    expect(done.state).toBe('done');
    expect(Date.now() - started).toBeGreaterThan(5_000);
    expect(await r.files()).toHaveLength(1);
  }, 30_000);
});

describe('2f. refusals that waiting cannot clear are not re-sent every few seconds', () => {
  it('433 (a key over its limit) pauses as key-limit, not "not enough credits", and backs off', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'createTaskRefused', code: 433 }, 'global');
    const job = await r.submit();
    await expect.poll(() => lastQueue(r.events)?.reason).toBe('key-limit');
    const queued = r.latest.get(job.id);
    expect(queued?.state).toBe('queued');
    expect(queued?.error?.code).toBe('KEY_LIMIT');
    await sleep(1_600);
    // The probe interval is 100 ms: re-sending at that pace would be ~16 calls by now.
    expect(r.creates()).toBeLessThanOrEqual(6);
    r.sim.clearFaults();
    await r.core.dispatch('queue.resume', {}, { transport: 'test' });
    expect((await r.until(job.id, ['done'])).state).toBe('done');
  });

  it("402 with a balance below this job's cost waits for enough credits instead of re-sending", async () => {
    const r = await rig();
    r.sim.setCredits(1);
    const job = await r.submit();
    await expect.poll(() => lastQueue(r.events)?.reason).toBe('credits');
    await sleep(1_000);
    expect(r.creates()).toBe(1);
    r.sim.setCredits(500);
    expect((await r.until(job.id, ['done'])).state).toBe('done');
    expect(r.creates()).toBe(2);
  });

  it('455 maintenance on every createTask backs off', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'maintenance', count: 100_000, endpoint: 'createTask' }, 'global');
    const job = await r.submit();
    await expect.poll(() => lastQueue(r.events)?.reason).toBe('maintenance');
    await sleep(1_600);
    expect(r.creates()).toBeLessThanOrEqual(6);
    expect(r.latest.get(job.id)?.state).toBe('queued');
  });

  it.each([
    [400, 'BAD_REQUEST'],
    [505, 'FEATURE_DISABLED'],
  ] as const)('%i fails the job with its own code (%s), sent once', async (code, appCode) => {
    const r = await rig();
    r.sim.setFault({ kind: 'createTaskRefused', code }, 'next');
    const job = await r.submit();
    const failed = await r.until(job.id, ['failed']);
    expect(failed.error?.code).toBe(appCode);
    expect(r.creates()).toBe(1);
  });
});

describe('3. an unknown outcome is recovered, not only reported', () => {
  it('the callback names the job: a lost createTask answer is recovered and delivered', async () => {
    const r = await rig({ demo: true });
    r.sim.setFault({ kind: 'createTaskGateway' }, 'next');
    const job = await r.submit();
    const done = await r.until(job.id, ['done'], 10_000);
    expect(done.kieTaskId).toBe([...r.sim.tasks.keys()][0]);
    expect(await r.files()).toHaveLength(1);
    expect(r.creates()).toBe(1);
  });

  it('a forged callback naming a real job but a foreign task changes nothing', async () => {
    const r = await rig({ demo: true });
    r.sim.setFault({ kind: 'createTaskGateway' }, 'next');
    r.sim.setFault({ kind: 'lostCallback' }, 'global');
    const job = await r.submit();
    await r.until(job.id, ['unknown-outcome']);
    const [ownTask] = [...r.sim.tasks.values()];
    const callbackUrl = ownTask?.callBackUrl ?? '';
    expect(callbackUrl).toContain(`job=${job.id}`);
    // A foreign task: same account, another prompt, no job of this library knows it.
    const foreignTask = await createForeignTask(r, 'a completely different picture');
    await r.sim.whenSettled(foreignTask);
    expect(await postCallback(callbackUrl, foreignTask)).toBe(200);
    await sleep(400);
    expect(r.latest.get(job.id)?.state).toBe('unknown-outcome');
    expect(r.latest.get(job.id)?.kieTaskId).toBeNull();
    // The genuine one recovers it.
    await r.sim.whenSettled(ownTask?.taskId ?? '');
    expect(await postCallback(callbackUrl, ownTask?.taskId ?? '')).toBe(200);
    expect((await r.until(job.id, ['done'])).kieTaskId).toBe(ownTask?.taskId);
  });

  it('"Find it on KIE": a pasted task id is checked against the job, then downloaded', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'createTaskReset' }, 'next');
    const job = await r.submit('a lighthouse at dawn');
    await r.until(job.id, ['unknown-outcome']);
    const [taskId] = [...r.sim.tasks.keys()];
    const other = await r.until((await submitPrompt(r.core, 'something else entirely')).id, ['done']);
    const find = (id: string, task: string) =>
      r.core.dispatch('jobs.findOnKie', { id, taskId: task }, { transport: 'test' });

    const missing = await find(job.id, 'no-such-task-123');
    expect(missing.ok ? null : missing.error).toMatchObject({
      code: 'NOT_FOUND',
      details: { reason: 'no-task' },
    });
    const taken = await find(job.id, other.kieTaskId ?? '');
    expect(taken.ok ? null : taken.error).toMatchObject({ details: { reason: 'already-in-library' } });

    const found = await find(job.id, taskId ?? '');
    expect(found.ok).toBe(true);
    const done = await r.until(job.id, ['done']);
    expect(done.kieTaskId).toBe(taskId);
    expect(r.creates()).toBe(2);
  });

  it('"Find it on KIE" refuses a task made from another request', async () => {
    const r = await rig();
    r.sim.setFault({ kind: 'createTaskReset' }, 'next');
    const job = await r.submit('a lighthouse at dawn');
    await r.until(job.id, ['unknown-outcome']);
    const foreignTask = await createForeignTask(r, 'a lighthouse at dusk');
    const result = await r.core.dispatch(
      'jobs.findOnKie',
      { id: job.id, taskId: foreignTask },
      { transport: 'test' },
    );
    expect(result.ok ? null : result.error).toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'other-request', mismatch: 'prompt' },
    });
    expect(r.latest.get(job.id)?.state).toBe('unknown-outcome');
  });
});

describe("4. restarts keep the user's pause", () => {
  it('a paused queue stays paused across a restart: nothing held is sent at start-up', async () => {
    const first = await rig();
    await first.core.dispatch('queue.pause', {}, { transport: 'test' });
    const job: Job = await first.submit();
    await first.dispose();
    const second = await rig({ sim: first.sim, dataDir: first.dataDir, store: first.store });
    const status = await second.core.dispatch('queue.get', {}, { transport: 'test' });
    expect(status.ok && status.value).toMatchObject({ paused: true, reason: 'user', pending: 1 });
    await sleep(300);
    expect(second.creates()).toBe(0);
    await second.core.dispatch('queue.resume', {}, { transport: 'test' });
    expect((await second.until(job.id, ['done'])).state).toBe('done');
  });
});
