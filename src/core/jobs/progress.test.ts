import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import { startCoreRig, type CoreRig } from '../testing/coreRig';
import { useTempDirs } from '../testing/tempDir';

/**
 * What a job's states tell the step bar on the way: KIE's own states (waiting, queuing,
 * generating) must show up whether the result comes by callback or by polling.
 */
const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Slow enough that each of KIE's states lasts several looks. */
const TIMINGS = { waitingMs: 400, queuingMs: 400, generatingMs: 800 };

function statesOf(r: CoreRig, jobId: string): Job['state'][] {
  const states = r.events
    .filter((event) => event.name === 'job.updated' && event.payload.id === jobId)
    .map((event) => (event.payload as Job).state);
  return states.filter((state, index) => state !== states[index - 1]);
}

describe('a job on its way moves through KIE’s states', () => {
  it('with a callback coming (Demo mode): looked at for progress, woken by the callback', async () => {
    // The callback is "late" only after a minute: every state seen before it came from a look.
    const r = await startCoreRig(tempDir, cleanups, {
      demo: true,
      timings: TIMINGS,
      core: { poll: { progressMs: 100, initialMs: 100, maxMs: 200, lateCallbackMs: 60_000 } },
    });
    const job = await r.submit('a slow banana');
    await r.until(job.id, ['done'], 15_000);
    const states = statesOf(r, job.id);
    expect(states.slice(0, 3)).toEqual(['queued', 'submitting', 'submitted']);
    expect(states).toContain('generating');
    expect(states.slice(-2)).toEqual(['downloading', 'done']);
    expect(states.indexOf('generating')).toBeLessThan(states.indexOf('downloading'));
    expect(r.sim.tasks.size).toBe(1);
    expect(r.creates()).toBe(1);
  });

  it('by polling (no callback URL)', async () => {
    const r = await startCoreRig(tempDir, cleanups, {
      timings: TIMINGS,
      core: { poll: { initialMs: 100, maxMs: 200 } },
    });
    const job = await r.submit('a polled banana');
    await r.until(job.id, ['done'], 15_000);
    const states = statesOf(r, job.id);
    expect(states).toContain('generating');
    expect(states.slice(-2)).toEqual(['downloading', 'done']);
  });
});
