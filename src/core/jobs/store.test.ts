import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobParams } from '@shared/domain/job';
import { openDatabase } from '../db/database';
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
});
