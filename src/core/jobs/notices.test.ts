import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { AnyEvent } from '@shared/ipc/contract';
import type { Core } from '../core';
import { createCore } from '../createCore';
import { startKieSimulator } from '../kie/simulator';
import { memorySecretStore, testPorts } from '../testing/memoryPorts';
import { recordingShell } from '../testing/recordingShell';
import { submitPrompt } from '../testing/submitPrompt';
import { useTempDirs } from '../testing/tempDir';
import { FAST_CORE, FAST_TIMINGS } from '../testing/coreRig';
import { NOTICE_IMAGE_SIZE, noticeKind } from './notices';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('noticeKind', () => {
  it('a finished image always, a failure only while no window has the focus', () => {
    expect(noticeKind({ state: 'done' }, true)).toBe('done');
    expect(noticeKind({ state: 'done' }, false)).toBe('done');
    for (const state of ['failed', 'unknown-outcome'] as const) {
      expect(noticeKind({ state }, true)).toBeNull();
      expect(noticeKind({ state }, false)).toBe('failed');
    }
    expect(noticeKind({ state: 'cancelled' }, false)).toBeNull();
  });
});

/** A real core in Demo mode whose shell records notifications (as the web harness does). */
async function rig(settings: Record<string, unknown> = {}) {
  const sim = await startKieSimulator({ timings: FAST_TIMINGS });
  cleanups.push(() => sim.close());
  const dataDir = await tempDir();
  const shell = recordingShell(dataDir);
  const core: Core = await createCore(
    testPorts(dataDir, {
      shell,
      secrets: memorySecretStore({ kieApiKey: sim.apiKey }),
      demoKie: { apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey },
      settings: { demoMode: true, language: 'en', ...settings },
    }),
    FAST_CORE,
  );
  cleanups.push(() => core.dispose());
  const events: AnyEvent[] = [];
  core.onEvent((event) => events.push(event));
  const call = async (route: string, input: unknown) => {
    const result = await core.dispatch(route, input, { transport: 'test' });
    if (!result.ok) throw new Error(`${route}: ${result.error.message}`);
    return result.value;
  };
  const settled = async (job: Job): Promise<Job> => {
    for (let i = 0; i < 400; i += 1) {
      const latest = events
        .filter((event) => event.name === 'job.updated' && event.payload.id === job.id)
        .at(-1)?.payload as Job | undefined;
      if (latest && ['done', 'failed', 'cancelled', 'unknown-outcome'].includes(latest.state)) return latest;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`job ${job.id} did not settle`);
  };
  return { core, sim, shell, events, call, settled };
}

const clicks = (events: AnyEvent[]) =>
  events.filter((event) => event.name === 'notice.clicked').map((event) => event.payload);

describe('job notifications', () => {
  it('a finished image comes with its thumbnail as a small PNG; a click asks to open it', async () => {
    const r = await rig();
    const job = await r.settled(await submitPrompt(r.core, 'a lighthouse at dawn'));
    expect(job.state).toBe('done');
    await expect.poll(() => r.shell.notifications.length).toBe(1);
    const [note] = r.shell.notifications;
    expect(note).toMatchObject({ title: 'Image ready', body: 'a lighthouse at dawn' });
    const picture = await sharp(note?.imagePng ?? Buffer.alloc(0)).metadata();
    expect(picture.format).toBe('png');
    expect(Math.max(picture.width, picture.height)).toBeLessThanOrEqual(NOTICE_IMAGE_SIZE);
    note?.click();
    expect(clicks(r.events)).toEqual([{ jobId: job.id, imageId: job.imageIds[0] }]);
  });

  it('a failure notifies only while the window does not have the focus', async () => {
    const r = await rig();
    await r.call('app.setWindowFocus', { focused: true });
    r.sim.setFault({ kind: 'contentRejected' }, 'next');
    expect((await r.settled(await submitPrompt(r.core, 'seen in the window'))).state).toBe('failed');
    // Time for a notification that should not come.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.shell.notifications).toEqual([]);

    await r.call('app.setWindowFocus', { focused: false });
    r.sim.setFault({ kind: 'contentRejected' }, 'next');
    const failed = await r.settled(await submitPrompt(r.core, 'nobody looking'));
    await expect.poll(() => r.shell.notifications.length).toBe(1);
    expect(r.shell.notifications[0]).toMatchObject({
      title: 'Image failed',
      body: "nobody looking — KIE's safety filter rejected this prompt or image.",
      imagePng: null,
    });
    r.shell.notifications[0]?.click();
    expect(clicks(r.events)).toEqual([{ jobId: failed.id, imageId: null }]);
  });

  it('none at all when notifications are off; the focus route refuses bad input', async () => {
    const r = await rig({ notifications: false });
    r.sim.setFault({ kind: 'contentRejected' }, 'next');
    await r.settled(await submitPrompt(r.core, 'failed quietly'));
    await r.settled(await submitPrompt(r.core, 'done quietly'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.shell.notifications).toEqual([]);
    const bad = await r.core.dispatch('app.setWindowFocus', { focused: 'yes' }, { transport: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
