import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * Versioned migrations, applied in order inside one transaction each. Never edit a shipped
 * migration: add a new one.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    params TEXT NOT NULL,
    state TEXT NOT NULL,
    kie_task_id TEXT UNIQUE,
    error TEXT,
    demo INTEGER NOT NULL DEFAULT 0,
    callback_url TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX jobs_created ON jobs (created_at DESC, id DESC);
  CREATE INDEX jobs_active ON jobs (state) WHERE state NOT IN ('done', 'failed', 'cancelled', 'unknown-outcome');

  CREATE TABLE images (
    id TEXT PRIMARY KEY,
    job_id TEXT REFERENCES jobs (id) ON DELETE SET NULL,
    kie_task_id TEXT,
    result_index INTEGER NOT NULL DEFAULT 0,
    params TEXT NOT NULL,
    rel_path TEXT NOT NULL UNIQUE,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    format TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  -- One file per KIE result: the guard that makes delivery exactly-once.
  CREATE UNIQUE INDEX images_task_result ON images (kie_task_id, result_index) WHERE kie_task_id IS NOT NULL;
  CREATE INDEX images_created ON images (created_at DESC, id DESC);
  CREATE INDEX images_job ON images (job_id);
  `,
];

export type Database = DatabaseSync;

export function openDatabase(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
  );
  migrate(db);
  return db;
}

function migrate(db: Database): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  const current = row?.user_version ?? 0;
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    transaction(db, () => {
      db.exec(MIGRATIONS[version] ?? '');
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

/** Runs `fn` in one transaction: every state transition is all-or-nothing. */
export function transaction<T>(db: Database, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
