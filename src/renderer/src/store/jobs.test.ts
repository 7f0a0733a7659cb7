import { beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { EventName, EventPayload } from '@shared/ipc/contract';
import { routeFixtures } from '@shared/ipc/fixtures';
import type { Result } from '@shared/ipc/result';
import { setApi, type Api } from '../ipc/api';
import { bindEvents } from './bindEvents';
import { JOBS_KEPT, upsertJob, useJobs } from './jobs';
import { useToasts } from './toasts';

const base = routeFixtures['jobs.submit'].output as Job;
const job = (id: string, state: Job['state'], second = 0): Job => ({
  ...base,
  id,
  state,
  createdAt: new Date(Date.UTC(2026, 10, 25, 4, 0, second)).toISOString(),
});

/** A fake core: answers jobs.list / jobs.clear from these, and lets a test push events. */
function fakeApi(answers: { list?: Job[]; cleared?: string[]; clearError?: boolean }) {
  const handlers = new Map<string, ((payload: unknown) => void)[]>();
  const requests: { route: string; input: unknown }[] = [];
  const api: Api = {
    async request(route, input) {
      requests.push({ route, input });
      const ok = (value: unknown) => ({ ok: true, value }) as Result<never>;
      if (route === 'jobs.list') return ok(answers.list ?? []);
      if (route === 'queue.get') return ok(routeFixtures['queue.get'].output);
      if (route === 'jobs.clear')
        return answers.clearError
          ? { ok: false, error: { code: 'VALIDATION', message: 'This job is still on its way.' } }
          : ok({ cleared: answers.cleared ?? [] });
      return { ok: false, error: { code: 'OFFLINE', message: 'not in this test' } };
    },
    on(name, handler) {
      handlers.set(name, [...(handlers.get(name) ?? []), handler as (payload: unknown) => void]);
      return () => undefined;
    },
  };
  const push = <E extends EventName>(name: E, payload: EventPayload<E>) =>
    handlers.get(name)?.forEach((handler) => handler(payload));
  return { api, requests, push };
}

beforeEach(() => {
  useJobs.setState({ byId: {}, order: [], queue: null, revealed: null });
  useToasts.setState({ toasts: [] });
});

describe('the jobs store', () => {
  it('keeps at most JOBS_KEPT jobs, dropping the oldest ended ones, never one on its way', () => {
    let state = { byId: {}, order: [] as string[] };
    state = upsertJob(state, job('running-old', 'generating', 0));
    for (let index = 1; index <= JOBS_KEPT; index += 1)
      state = upsertJob(state, job(`done-${index}`, 'done', index % 60));
    expect(state.order).toHaveLength(JOBS_KEPT);
    expect(state.order).toContain('running-old');
    expect(Object.keys(state.byId)).toHaveLength(JOBS_KEPT);
  });

  it('a reload forgets ended jobs core no longer lists (cleared elsewhere), but keeps newer running ones', async () => {
    const { api } = fakeApi({ list: [job('kept', 'done', 1)] });
    setApi(api);
    useJobs.getState().upsert(job('kept', 'done', 1));
    useJobs.getState().upsert(job('cleared-elsewhere', 'failed', 2));
    useJobs.getState().upsert(job('just-submitted', 'queued', 3));
    await useJobs.getState().load();
    expect(useJobs.getState().order).toEqual(['just-submitted', 'kept']);
  });

  it('clear removes what core cleared; a refusal comes back to show and removes nothing', async () => {
    const ok = fakeApi({ cleared: ['a'] });
    setApi(ok.api);
    useJobs.getState().upsert(job('a', 'done', 1));
    useJobs.getState().upsert(job('b', 'generating', 2));
    expect(await useJobs.getState().clear({ scope: 'finished' })).toBeNull();
    expect(ok.requests.at(-1)).toEqual({ route: 'jobs.clear', input: { scope: 'finished' } });
    expect(useJobs.getState().order).toEqual(['b']);
    setApi(fakeApi({ clearError: true }).api);
    expect(await useJobs.getState().clear({ scope: 'job', id: 'b' })).toMatchObject({ code: 'VALIDATION' });
    expect(useJobs.getState().order).toEqual(['b']);
  });
});

describe('job events', () => {
  it('a job seen failing raises one toast; one read failed at start or failing again does not', () => {
    const { api, push } = fakeApi({});
    bindEvents(api);
    useJobs.getState().upsert(job('old-failure', 'failed'));
    push('job.updated', job('old-failure', 'failed'));
    push('job.updated', job('live', 'queued'));
    push('job.updated', job('live', 'generating'));
    expect(useToasts.getState().toasts).toEqual([]);
    push('job.updated', { ...job('live', 'failed'), error: { code: 'CONTENT_REJECTED', message: 'No.' } });
    push('job.updated', { ...job('live', 'failed'), error: { code: 'CONTENT_REJECTED', message: 'No.' } });
    push('job.updated', job('lost', 'submitting'));
    push('job.updated', job('lost', 'unknown-outcome'));
    expect(useToasts.getState().toasts.map((toast) => toast.body.kind)).toEqual(['jobFailed', 'jobFailed']);
  });

  it('jobs.cleared drops the named jobs, or reads the list again; a clicked notice opens or reveals', async () => {
    const { api, push, requests } = fakeApi({ list: [job('c', 'done', 3)] });
    setApi(api);
    bindEvents(api);
    for (const id of ['a', 'b', 'c']) useJobs.getState().upsert(job(id, 'done', id.charCodeAt(0) % 60));
    push('jobs.cleared', { ids: ['a'], reset: false });
    expect(useJobs.getState().order).toEqual(['c', 'b']);
    push('jobs.cleared', { ids: [], reset: true });
    await expect.poll(() => useJobs.getState().order).toEqual(['c']);
    expect(requests.some((request) => request.route === 'jobs.list')).toBe(true);
    push('notice.clicked', { jobId: 'c', imageId: null });
    expect(useJobs.getState().revealed?.id).toBe('c');
  });
});

describe('the job cards’ image cache', () => {
  it('asks core once per unknown id, and follows trash, restore and reset', async () => {
    const { useJobImages } = await import('./jobImages');
    const image = routeFixtures['gallery.get'].output;
    const asked: string[] = [];
    setApi({
      async request(route, input) {
        if (route !== 'gallery.get') return { ok: false, error: { code: 'OFFLINE', message: 'no' } };
        const { id } = input as { id: string };
        asked.push(id);
        return id === image.id
          ? ({ ok: true, value: image } as Result<never>)
          : { ok: false, error: { code: 'NOT_FOUND', message: 'gone' } };
      },
      on: () => () => undefined,
    });
    await Promise.all([
      useJobImages.getState().resolve([image.id, 'gone']),
      useJobImages.getState().resolve([image.id]),
    ]);
    expect(asked.sort()).toEqual([image.id, 'gone'].sort());
    expect(useJobImages.getState().byId).toEqual({ [image.id]: image, gone: null });
    useJobImages.getState().changed({ images: [], removedIds: [image.id], reset: false });
    expect(useJobImages.getState().byId[image.id]).toBeNull();
    useJobImages.getState().changed({ images: [image], removedIds: [], reset: false });
    expect(useJobImages.getState().byId[image.id]).toEqual(image);
    useJobImages.getState().changed({ images: [], removedIds: [], reset: true });
    expect(useJobImages.getState().byId).toEqual({});
  });
});
