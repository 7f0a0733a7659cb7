import { describe, expect, it } from 'vitest';
import type { GalleryImage } from '@shared/domain/image';
import type { Job } from '@shared/domain/job';
import { routeFixtures } from '@shared/ipc/fixtures';
import { composeProblem, prependImage, upsertJob } from './stores';

const job = routeFixtures['jobs.submit'].output as Job;
const image = routeFixtures['gallery.get'].output as GalleryImage;

describe('store helpers', () => {
  it('upsertJob keeps newest first and updates in place', () => {
    let state = { byId: {}, order: [] as string[] };
    state = upsertJob(state, { ...job, id: 'old', createdAt: '2026-11-25T01:00:00.000Z' });
    state = upsertJob(state, { ...job, id: 'new', createdAt: '2026-11-25T02:00:00.000Z' });
    state = upsertJob(state, { ...job, id: 'old', createdAt: '2026-11-25T01:00:00.000Z', state: 'done' });
    expect(state.order).toEqual(['new', 'old']);
    expect((state.byId as Record<string, Job>)['old']?.state).toBe('done');
  });

  it('prependImage ignores an image already shown', () => {
    const once = prependImage([], image);
    expect(prependImage(once, image)).toBe(once);
    expect(prependImage(once, { ...image, id: 'other' }).map((item) => item.id)).toEqual(['other', image.id]);
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
});
