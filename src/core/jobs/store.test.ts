import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobParams, JobState } from '@shared/domain/job';
import { openDatabase } from '../db/database';
import { attachJobJournal } from '../db/jobJournal';
import { createLogger, MemorySink } from '../log/logger';
import { useTempDirs } from '../testing/tempDir';
import { JobStore } from './store';

const params: JobParams = {
  model: 'google/nano-banana',
  prompt: 'a lighthouse at dawn',
  aspectRatio: '1:1',
  outputFormat: 'png',
  resolution: null,
};

describe('JobStore (real SQLite file)', () => {
  const tempDir = useTempDirs();

  it('persists jobs and transitions across reopening', async () => {
    const file = join(await tempDir(), 'library.db');
    const db = openDatabase(file);
    const store = new JobStore(db, () => new Date('2026-11-25T00:00:00Z'));
    const job = store.create(params, true);
    store.transition(job.id, { state: 'submitting', callbackUrl: null });
    store.transition(job.id, { state: 'submitted', kieTaskId: 'task_1' });
    db.close();

    const reopened = new JobStore(openDatabase(file), () => new Date());
    const again = reopened.get(job.id);
    expect(again).toMatchObject({ state: 'submitted', kieTaskId: 'task_1', demo: true, params });
    expect(reopened.byTaskId('task_1')?.id).toBe(job.id);
    expect(reopened.unfinished().map((item) => item.id)).toEqual([job.id]);
  });

  it('rejects an illegal transition and leaves the row unchanged', async () => {
    const db = openDatabase(join(await tempDir(), 'library.db'));
    const store = new JobStore(db, () => new Date());
    const job = store.create(params, false);
    expect(() => store.transition(job.id, { state: 'done' })).toThrow(/Illegal job transition/);
    expect(store.get(job.id)?.state).toBe('queued');
  });

  it('stores errors as values and lists newest first', async () => {
    const db = openDatabase(join(await tempDir(), 'library.db'));
    let tick = 0;
    const store = new JobStore(db, () => new Date(Date.UTC(2026, 10, 25, 0, 0, tick++)));
    const first = store.create(params, false);
    const second = store.create({ ...params, prompt: 'second' }, false);
    store.transition(first.id, { state: 'submitting' });
    store.transition(first.id, { state: 'failed', error: { code: 'UNAUTHORIZED', message: 'Bad key.' } });
    expect(store.list(10).map((item) => item.id)).toEqual([second.id, first.id]);
    expect(store.get(first.id)?.error).toEqual({ code: 'UNAUTHORIZED', message: 'Bad key.' });
    expect(store.unfinished().map((item) => item.id)).toEqual([second.id]);
  });

  it('opens with WAL and passes an integrity check', async () => {
    const db = openDatabase(join(await tempDir(), 'library.db'));
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });

  describe('clearing from the list', () => {
    /** A store with one job in each of these states, created a second apart in this order. */
    async function storeWith(file: string, states: JobState[]) {
      const db = openDatabase(file);
      let tick = 0;
      const store = new JobStore(db, () => new Date(Date.UTC(2026, 10, 25, 0, 0, tick++)));
      const ids = states.map((state) => {
        const job = store.create({ ...params, prompt: state }, false);
        for (const step of PATH_TO[state] ?? [])
          store.transition(job.id, { state: step, kieTaskId: `task-${job.id}` });
        return job.id;
      });
      return { db, store, ids };
    }
    const PATH_TO: Partial<Record<JobState, JobState[]>> = {
      queued: [],
      generating: ['submitting', 'submitted', 'generating'],
      done: ['submitting', 'submitted', 'generating', 'downloading', 'done'],
      failed: ['submitting', 'submitted', 'failed'],
      cancelled: ['submitting', 'submitted', 'cancelled'],
      'unknown-outcome': ['submitting', 'unknown-outcome'],
    };
    const prompts = (store: JobStore, limit = 50) => store.list(limit).map((job) => job.params.prompt);

    it('lists the jobs on their way first, then the rest, each newest first, within the limit', async () => {
      const { store } = await storeWith(join(await tempDir(), 'library.db'), [
        'generating',
        'done',
        'queued',
        'failed',
        'unknown-outcome',
      ]);
      expect(prompts(store)).toEqual(['queued', 'generating', 'unknown-outcome', 'failed', 'done']);
      expect(prompts(store, 3)).toEqual(['queued', 'generating', 'unknown-outcome']);
      expect(prompts(store, 1)).toEqual(['queued']);
    });

    it('hides only ended jobs in the given states, for good, and never deletes a row', async () => {
      const file = join(await tempDir(), 'library.db');
      const all: JobState[] = ['generating', 'done', 'failed', 'cancelled', 'unknown-outcome', 'queued'];
      const { db, store, ids } = await storeWith(file, all);
      const [, done, failed, cancelled] = ids;
      expect(store.dismiss(['failed'])).toEqual([failed]);
      expect(prompts(store)).toEqual(['queued', 'generating', 'unknown-outcome', 'cancelled', 'done']);
      // "Every finished one": the failed one is already hidden; active and unknown ones stay.
      expect(store.dismiss(['done', 'failed', 'cancelled']).sort()).toEqual([done, cancelled].sort());
      expect(prompts(store)).toEqual(['queued', 'generating', 'unknown-outcome']);
      // One job by id, only when it is in one of the states.
      expect(store.dismiss(['done', 'failed', 'cancelled'], ids[0])).toEqual([]);
      expect(db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: all.length });
      expect(store.get(done ?? '')?.dismissedAt).toMatch(/^2026-11-25T00:00:\d\d\.000Z$/);
      db.close();

      // After a restart the cleared jobs stay cleared.
      const reopened = new JobStore(openDatabase(file), () => new Date());
      expect(prompts(reopened)).toEqual(['queued', 'generating', 'unknown-outcome']);
      expect(reopened.get(failed ?? '')?.state).toBe('failed');
    });

    it('lists a cleared job again when it moves on (a paid result arriving late)', async () => {
      const { store, ids } = await storeWith(join(await tempDir(), 'library.db'), ['cancelled']);
      const id = ids[0] ?? '';
      store.dismiss(['cancelled'], id);
      expect(prompts(store)).toEqual([]);
      store.transition(id, { state: 'cancelled' });
      expect(prompts(store)).toEqual([]);
      store.transition(id, { state: 'downloading' });
      expect(store.get(id)?.dismissedAt).toBeNull();
      expect(prompts(store)).toEqual(['cancelled']);
    });

    it('keeps the cleared mark in the journal, so a rebuilt library.db gets it back', async () => {
      const dir = await tempDir();
      const log = createLogger({ sinks: [new MemorySink()] });
      const first = await storeWith(join(dir, 'library.db'), ['done', 'failed']);
      attachJobJournal({ db: first.db, file: join(dir, 'jobs.db'), libraryIsNew: false, log });
      first.store.dismiss(['done']);
      first.db.close();
      for (const suffix of ['', '-wal', '-shm']) await rm(join(dir, 'library.db' + suffix), { force: true });
      const db = openDatabase(join(dir, 'library.db'));
      attachJobJournal({ db, file: join(dir, 'jobs.db'), libraryIsNew: true, log });
      const store = new JobStore(db, () => new Date());
      expect(prompts(store)).toEqual(['failed']);
      expect(db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 2 });
      db.close();
    });
  });
});
