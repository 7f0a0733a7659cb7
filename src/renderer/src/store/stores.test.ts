import { beforeEach, describe, expect, it } from 'vitest';
import type { Job, JobParams } from '@shared/domain/job';
import type { StagedReference } from '@shared/domain/reference';
import { routeFixtures } from '@shared/ipc/fixtures';
import { setApi, type Api } from '../ipc/api';
import { composeProblem, reusedSettings, upsertJob, useCompose } from './stores';

const job = routeFixtures['jobs.submit'].output as Job;

describe('store helpers', () => {
  it('upsertJob keeps newest first and updates in place', () => {
    let state = { byId: {}, order: [] as string[] };
    state = upsertJob(state, { ...job, id: 'old', createdAt: '2026-11-25T01:00:00.000Z' });
    state = upsertJob(state, { ...job, id: 'new', createdAt: '2026-11-25T02:00:00.000Z' });
    state = upsertJob(state, { ...job, id: 'old', createdAt: '2026-11-25T01:00:00.000Z', state: 'done' });
    expect(state.order).toEqual(['new', 'old']);
    expect((state.byId as Record<string, Job>)['old']?.state).toBe('done');
  });

  it.each([
    ['empty', '', 'empty'],
    ['blank', '   ', 'empty'],
    ['short', 'a cat', null],
    ['5001 Latin characters', 'x'.repeat(5001), 'tooLong'],
    ['5000 Chinese characters', '猫'.repeat(5000), null],
  ])('composeProblem: %s → %s', (_name, prompt, problem) => {
    expect(composeProblem(prompt, 'google/nano-banana')).toBe(problem);
  });

  it('reusedSettings copies prompt and parameters', () => {
    const params: JobParams = {
      model: 'nano-banana-pro',
      prompt: '雨后的竹林',
      aspectRatio: '16:9',
      outputFormat: 'jpeg',
      resolution: '4K',
    };
    expect(reusedSettings(params, { model: 'google/nano-banana', resolution: '1K' })).toEqual({
      prompt: '雨后的竹林',
      model: 'nano-banana-pro',
      aspectRatio: '16:9',
      outputFormat: 'jpeg',
      resolution: '4K',
      googleSearch: false,
    });
    expect(
      reusedSettings(
        { ...params, model: 'nano-banana-2', googleSearch: true },
        { model: 'google/nano-banana', resolution: '1K' },
      ),
    ).toMatchObject({ model: 'nano-banana-2', googleSearch: true });
  });

  it('reusedSettings keeps the current model for one the panel does not offer, and a null resolution', () => {
    const params: JobParams = {
      model: 'google/nano-banana-edit',
      prompt: 'make it blue',
      aspectRatio: 'auto',
      outputFormat: 'png',
      resolution: null,
    };
    expect(reusedSettings(params, { model: 'nano-banana-2', resolution: '2K' })).toMatchObject({
      model: 'nano-banana-2',
      resolution: '2K',
      aspectRatio: 'auto',
    });
    // A photo from elsewhere: its prompt and shape, the panel's own model.
    const photo = {
      ...params,
      model: 'unknown' as const,
      prompt: 'holiday snap',
      aspectRatio: '4:3' as const,
    };
    expect(
      reusedSettings(photo, { model: 'nano-banana-pro', resolution: '2K', referenceCount: 1 }),
    ).toMatchObject({ model: 'nano-banana-pro', prompt: 'holiday snap', aspectRatio: '4:3' });
  });
});

describe('compose references and the model', () => {
  const requests: { route: string; input: unknown }[] = [];
  const reference = (id: string, galleryImageId: string | null = null): StagedReference => ({
    id: id.padEnd(32, '0'),
    name: `${id}.png`,
    format: 'png',
    width: 10,
    height: 10,
    bytes: 100,
    frames: 1,
    url: `/gallery/ref/${id}`,
    thumbUrl: `/gallery/ref/${id}`,
    galleryImageId,
  });
  const [a, b, c] = [reference('a'), reference('b'), reference('c')] as [
    StagedReference,
    StagedReference,
    StagedReference,
  ];

  beforeEach(() => {
    requests.length = 0;
    const api: Api = {
      async request(route, input) {
        requests.push({ route, input });
        if (route === 'jobs.submit') return { ok: true, value: job } as never;
        return { ok: false, error: { code: 'OFFLINE', message: 'not in this test' } };
      },
      on: () => () => undefined,
    };
    setApi(api);
    useCompose.setState({
      prompt: 'put the cat on the sofa',
      model: 'google/nano-banana',
      references: [],
      pending: [],
      referenceProblems: [],
      modelPinned: false,
      modelHint: null,
      submitting: false,
      error: null,
    });
  });

  const compose = () => useCompose.getState();

  it('the first reference switches to Edit with a hint; clearing switches back', () => {
    expect(compose().addReferences([a])).toBe(true);
    expect(compose().model).toBe('google/nano-banana-edit');
    expect(compose().modelHint).toEqual({
      kind: 'switched',
      from: 'google/nano-banana',
      to: 'google/nano-banana-edit',
    });
    compose().addReferences([b, a]);
    expect(compose().references.map((item) => item.id)).toEqual([a.id, b.id]);
    expect(compose().addReferences([a])).toBe(false);
    compose().removeReference(a.id);
    expect(compose().model).toBe('google/nano-banana-edit');
    compose().clearReferences();
    expect(compose().model).toBe('google/nano-banana');
    expect(compose().modelHint?.kind).toBe('restored');
  });

  it('undo keeps the text model and the references; submit then sends none', async () => {
    compose().addReferences([a, b]);
    compose().undoModelSwitch();
    expect(compose().model).toBe('google/nano-banana');
    expect(compose().references).toHaveLength(2);
    await compose().submit();
    const submitted = requests.find((entry) => entry.route === 'jobs.submit')?.input;
    expect(submitted).toMatchObject({ model: 'google/nano-banana' });
    expect(submitted).not.toHaveProperty('references');
  });

  it('submit sends the ids in tray order, after a reorder', async () => {
    compose().addReferences([a, b, c]);
    compose().moveReference(c.id, 0);
    compose().nudgeReference(a.id, 1);
    expect(compose().references.map((item) => item.id)).toEqual([c.id, b.id, a.id]);
    await compose().submit();
    expect(requests.find((entry) => entry.route === 'jobs.submit')?.input).toMatchObject({
      model: 'google/nano-banana-edit',
      references: [c.id, b.id, a.id],
    });
  });

  it('a model picked with references is kept; the edit model is never saved as the default', () => {
    compose().addReferences([a]);
    compose().choose({ model: 'nano-banana-pro' });
    expect(compose()).toMatchObject({ model: 'nano-banana-pro', modelPinned: true, modelHint: null });
    compose().addReferences([b]);
    expect(compose().model).toBe('nano-banana-pro');
    requests.length = 0;
    compose().choose({ model: 'google/nano-banana-edit' });
    expect(requests.find((entry) => entry.route === 'settings.update')).toBeUndefined();
    compose().choose({ model: 'nano-banana-2' });
    expect(requests.find((entry) => entry.route === 'settings.update')?.input).toEqual({
      compose: { model: 'nano-banana-2' },
    });
  });

  it('does not submit too many references for the model, or while one is still being staged', async () => {
    compose().addReferences([a, b]);
    const [pending] = compose().startPending(['c.png']);
    await compose().submit();
    compose().endPending(pending?.key ?? 0);
    useCompose.setState({ references: Array.from({ length: 9 }, (_, index) => reference(`r${index}`)) });
    compose().choose({ model: 'nano-banana-pro' });
    await compose().submit();
    expect(requests.some((entry) => entry.route === 'jobs.submit')).toBe(false);
  });

  it('reusing an edit image’s settings keeps Edit while references are attached', () => {
    const params: JobParams = {
      model: 'google/nano-banana-edit',
      prompt: 'make it blue',
      aspectRatio: '4:3',
      outputFormat: 'jpeg',
      resolution: null,
      references: [a.id],
    };
    expect(
      reusedSettings(params, { model: 'nano-banana-2', resolution: '2K', referenceCount: 1 }).model,
    ).toBe('google/nano-banana-edit');
    compose().addReferences([a]);
    compose().reuse({ ...params, model: 'google/nano-banana' });
    // A text model reused with references attached hands over to Edit, with the undo.
    expect(compose()).toMatchObject({
      prompt: 'make it blue',
      model: 'google/nano-banana-edit',
      aspectRatio: '4:3',
    });
    expect(compose().modelHint?.kind).toBe('switched');
  });
});
