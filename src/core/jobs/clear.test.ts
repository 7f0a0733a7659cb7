import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CLEARED_IDS, type Job } from '@shared/domain/job';
import type { GalleryQueryPage } from '@shared/ipc/galleryRoutes';
import { openDatabase } from '../db/database';
import { startCoreRig, type CoreRig } from '../testing/coreRig';
import { useTempDirs } from '../testing/tempDir';

/**
 * "Clear" in the job list, through the real router on a real core: what it hides, what it refuses,
 * that the images stay, and that it lasts across a restart.
 */
const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function call(r: CoreRig, route: string, input: unknown): Promise<unknown> {
  const result = await r.core.dispatch(route, input, { transport: 'test' });
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const listed = async (r: CoreRig): Promise<string[]> =>
  ((await call(r, 'jobs.list', { limit: 100 })) as Job[]).map((job) => job.params.prompt);

const images = async (r: CoreRig): Promise<number> =>
  ((await call(r, 'gallery.query', { query: {}, cursor: null, limit: 100 })) as GalleryQueryPage).items
    .length;

describe('jobs.clear', () => {
  it('hides finished and failed jobs, keeps running and unknown ones, and never touches an image', async () => {
    const r = await startCoreRig(tempDir, cleanups, { demo: true });
    const done = await r.submit('done one');
    await r.until(done.id, ['done']);
    r.sim.setFault({ kind: 'generationFailed' }, 'next');
    const failed = await r.submit('failed one');
    await r.until(failed.id, ['failed']);
    r.sim.setFault({ kind: 'createTaskReset' }, 'next');
    const unknown = await r.submit('unknown one');
    await r.until(unknown.id, ['unknown-outcome']);
    await call(r, 'queue.pause', {});
    const queued = await r.submit('queued one');
    expect(await listed(r)).toEqual(['queued one', 'unknown one', 'failed one', 'done one']);
    const filesBefore = await r.files();
    expect(filesBefore).toHaveLength(1);

    // One job still on its way, or with an unknown outcome: refused, with a reason, nothing hidden.
    for (const id of [queued.id, unknown.id]) {
      const refused = await r.core.dispatch('jobs.clear', { scope: 'job', id }, { transport: 'test' });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', details: { reason: 'not-finished' } },
      });
    }
    expect(
      await r.core.dispatch('jobs.clear', { scope: 'job', id: 'nope' }, { transport: 'test' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    // Bad input is refused by the contract.
    for (const bad of [{ scope: 'everything' }, { scope: 'job' }, { scope: 'failed', id: failed.id }]) {
      expect(await r.core.dispatch('jobs.clear', bad, { transport: 'test' })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION' },
      });
    }
    expect(await listed(r)).toHaveLength(4);

    expect(await call(r, 'jobs.clear', { scope: 'failed' })).toEqual({ cleared: [failed.id] });
    expect(await listed(r)).toEqual(['queued one', 'unknown one', 'done one']);
    expect(await call(r, 'jobs.clear', { scope: 'finished' })).toEqual({ cleared: [done.id] });
    expect(await listed(r)).toEqual(['queued one', 'unknown one']);
    // Every window hears of it.
    expect(r.events.filter((event) => event.name === 'jobs.cleared').map((event) => event.payload)).toEqual([
      { ids: [failed.id], reset: false },
      { ids: [done.id], reset: false },
    ]);
    // Nothing more to clear: no event.
    expect(await call(r, 'jobs.clear', { scope: 'finished' })).toEqual({ cleared: [] });
    expect(r.events.filter((event) => event.name === 'jobs.cleared')).toHaveLength(2);

    // The image, its file and its gallery row are all still there; the job still names it.
    expect(await r.files()).toEqual(filesBefore);
    expect(await images(r)).toBe(1);
    expect(r.latest.get(done.id)?.imageIds).toHaveLength(1);
    const logs = (await call(r, 'logs.list', { jobId: null, limit: 500 })) as { message: string }[];
    expect(logs.some((entry) => entry.message === 'Jobs cleared from the list')).toBe(true);
  });

  it('a cleared job stays cleared after a restart; a single clear takes only that job', async () => {
    const dataDir = await tempDir();
    const first = await startCoreRig(tempDir, cleanups, { demo: true, dataDir });
    const a = await first.submit('first');
    const b = await first.submit('second');
    await first.until(a.id, ['done']);
    await first.until(b.id, ['done']);
    expect(await call(first, 'jobs.clear', { scope: 'job', id: a.id })).toEqual({ cleared: [a.id] });
    expect(await listed(first)).toEqual(['second']);
    await first.dispose();

    const second = await startCoreRig(tempDir, cleanups, { demo: true, dataDir, store: first.store });
    expect(await listed(second)).toEqual(['second']);
    expect(await images(second)).toBe(2);
  });

  it('clearing more than an event can name tells every window to read its list again', async () => {
    const r = await startCoreRig(tempDir, cleanups, { demo: true });
    // A long history written straight into library.db (a second connection, as WAL allows).
    const db = openDatabase(join(r.dataDir, 'library.db'));
    const insert = db.prepare(
      `INSERT INTO jobs (id, params, state, demo, created_at, updated_at) VALUES (?, ?, 'done', 1, ?, ?)`,
    );
    const params = JSON.stringify({
      model: 'google/nano-banana',
      prompt: 'old',
      aspectRatio: '1:1',
      outputFormat: 'png',
      resolution: null,
    });
    const at = new Date().toISOString();
    for (let index = 0; index <= MAX_CLEARED_IDS; index += 1) insert.run(`old-${index}`, params, at, at);
    db.close();
    const { cleared } = (await call(r, 'jobs.clear', { scope: 'finished' })) as { cleared: string[] };
    expect(cleared).toHaveLength(MAX_CLEARED_IDS + 1);
    expect(r.events.filter((event) => event.name === 'jobs.cleared').map((event) => event.payload)).toEqual([
      { ids: [], reset: true },
    ]);
    expect(await listed(r)).toEqual([]);
  });
});
