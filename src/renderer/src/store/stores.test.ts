import { describe, expect, it } from 'vitest';
import type { Job, JobParams } from '@shared/domain/job';
import { routeFixtures } from '@shared/ipc/fixtures';
import { composeProblem, reusedSettings, upsertJob } from './stores';

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
    });
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
  });
});
