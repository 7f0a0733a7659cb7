import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/tempDir';
import { createLogger, MemorySink } from '../log/logger';
import { openDatabase, type Database } from './database';
import { attachJobJournal } from './jobJournal';

const tempDir = useTempDirs();

function logger() {
  const sink = new MemorySink();
  return { sink, log: createLogger({ sinks: [sink] }) };
}

const now = '2026-12-03T10:00:00.000Z';

function addJob(db: Database, id: string, state = 'queued'): void {
  db.prepare(
    `INSERT INTO jobs (id, params, state, kie_task_id, error, demo, callback_url, created_at, updated_at)
     VALUES (?, '{"prompt":"p"}', ?, NULL, NULL, 0, NULL, ?, ?)`,
  ).run(id, state, now, now);
}

const STAGE = `INSERT INTO references_staged
  (id, sha256, format, width, height, bytes, name, gallery_image_id, kie_url, kie_url_uploaded_at, kie_upload_target, created_at)
  VALUES (?, ?, 'png', 8, 8, 100, 'cat.png', ?, NULL, NULL, NULL, ?)
  ON CONFLICT (id) DO UPDATE SET gallery_image_id = coalesce(references_staged.gallery_image_id, excluded.gallery_image_id)`;

async function open(dir: string, libraryIsNew: boolean) {
  const { log, sink } = logger();
  const db = openDatabase(join(dir, 'library.db'));
  const status = attachJobJournal({ db, file: join(dir, 'jobs.db'), libraryIsNew, log });
  return { db, status, sink };
}

function journalRows(dir: string, table: string): Record<string, unknown>[] {
  const db = new DatabaseSync(join(dir, 'jobs.db'), { readOnly: true });
  try {
    return db.prepare(`SELECT * FROM ${table} ORDER BY id`).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe('the job journal', () => {
  it('copies every insert, update and delete of a job, and upserts of a staged reference', async () => {
    const dir = await tempDir();
    const { db } = await open(dir, true);
    addJob(db, 'a');
    addJob(db, 'b');
    db.prepare("UPDATE jobs SET state = 'submitted', kie_task_id = 't1' WHERE id = 'a'").run();
    db.prepare("DELETE FROM jobs WHERE id = 'b'").run();
    const refId = 'r'.repeat(32);
    db.prepare(STAGE).run(refId, 's'.repeat(64), null, now);
    db.prepare(STAGE).run(refId, 's'.repeat(64), 'img-1', now);
    db.close();
    expect(journalRows(dir, 'jobs')).toMatchObject([{ id: 'a', state: 'submitted', kie_task_id: 't1' }]);
    expect(journalRows(dir, 'references_staged')).toMatchObject([{ id: refId, gallery_image_id: 'img-1' }]);
  });

  it('gives a fresh library.db its jobs, staged references and marked copies back', async () => {
    const dir = await tempDir();
    const first = await open(dir, true);
    addJob(first.db, 'held');
    addJob(first.db, 'at-kie', 'generating');
    first.db.prepare(STAGE).run('r'.repeat(32), 's'.repeat(64), null, now);
    // A copy with marks drawn on the first reference: its original and marks must survive too.
    first.db.prepare(STAGE).run('c'.repeat(32), 'd'.repeat(64), null, now);
    first.db
      .prepare('INSERT INTO reference_annotations (id, original_id, marks, created_at) VALUES (?, ?, ?, ?)')
      .run('c'.repeat(32), 'r'.repeat(32), '{"version":1,"width":4,"height":4,"marks":[]}', now);
    first.db.close();
    for (const suffix of ['', '-wal', '-shm']) await rm(join(dir, 'library.db' + suffix), { force: true });

    const second = await open(dir, true);
    expect(second.status).toEqual({
      sync: 'restored',
      restored: { jobs: 2, references_staged: 2, reference_annotations: 1 },
    });
    expect(second.db.prepare('SELECT id, original_id FROM reference_annotations').all()).toEqual([
      { id: 'c'.repeat(32), original_id: 'r'.repeat(32) },
    ]);
    const ids = (second.db.prepare('SELECT id FROM jobs ORDER BY id').all() as { id: string }[]).map(
      (row) => row.id,
    );
    expect(ids).toEqual(['at-kie', 'held']);
    expect(second.sink.entries.some((entry) => entry.message.includes('Restored the job records'))).toBe(
      true,
    );
    // Still journaled after the restore.
    addJob(second.db, 'later');
    second.db.close();
    expect(journalRows(dir, 'jobs').map((row) => row['id'])).toEqual(['at-kie', 'held', 'later']);
  });

  it('takes a healthy library.db as the truth: the journal is made equal to it', async () => {
    const dir = await tempDir();
    const first = await open(dir, true);
    addJob(first.db, 'kept');
    first.db.close();
    // A job written while the journal was not attached (an older version of the app).
    const plain = openDatabase(join(dir, 'library.db'));
    addJob(plain, 'unjournaled');
    plain.close();
    const second = await open(dir, false);
    expect(second.status.sync).toBe('mirrored');
    second.db.close();
    expect(journalRows(dir, 'jobs').map((row) => row['id'])).toEqual(['kept', 'unjournaled']);
  });

  it('restores by the columns both sides have when the journal is from an older schema', async () => {
    const dir = await tempDir();
    const old = new DatabaseSync(join(dir, 'jobs.db'));
    old.exec(
      "CREATE TABLE jobs (id TEXT, params TEXT, state TEXT, demo INTEGER, created_at TEXT, updated_at TEXT); INSERT INTO jobs VALUES ('old', '{}', 'queued', 0, 'x', 'x')",
    );
    old.close();
    const { db, status } = await open(dir, true);
    expect(status.restored.jobs).toBe(1);
    expect(db.prepare("SELECT state, sent_input FROM jobs WHERE id = 'old'").get()).toEqual({
      state: 'queued',
      sent_input: null,
    });
    db.close();
    // The journal now has the current columns.
    expect(Object.keys(journalRows(dir, 'jobs')[0] ?? {})).toContain('sent_input');
  });

  it('sets a damaged jobs.db aside and starts again from library.db', async () => {
    const dir = await tempDir();
    const first = await open(dir, true);
    addJob(first.db, 'safe');
    first.db.close();
    for (const suffix of ['-wal', '-shm']) await rm(join(dir, 'jobs.db' + suffix), { force: true });
    writeFileSync(join(dir, 'jobs.db'), Buffer.alloc(8192, 0x5a));
    const second = await open(dir, false);
    expect(second.status.sync).toBe('mirrored');
    expect(second.sink.entries.some((entry) => entry.level === 'error')).toBe(true);
    second.db.close();
    expect(readdirSync(dir).some((name) => name.startsWith('jobs.db.corrupt-'))).toBe(true);
    expect(existsSync(join(dir, 'jobs.db'))).toBe(true);
    expect(journalRows(dir, 'jobs').map((row) => row['id'])).toEqual(['safe']);
  });
});
