import { existsSync, renameSync } from 'node:fs';
import type { Logger } from '../log/logger';
import { transaction, type Database } from './database';

/**
 * The tables a rebuild of library.db must never forget: the jobs (a job at KIE is a paid task),
 * the staged references queued jobs are made from, and what marked references were drawn on
 * (their lineage and their editable marks; after the references, which they point at).
 * Everything else in library.db (images, tags, albums, search) is rebuilt from the image files.
 */
export const JOURNALED_TABLES = ['jobs', 'references_staged', 'reference_annotations'] as const;
type JournaledTable = (typeof JOURNALED_TABLES)[number];

const SCHEMA = 'journal';

export type JournalSync =
  /** library.db was healthy: the journal was brought up to date from it. */
  | 'mirrored'
  /** library.db was started afresh: its jobs and references were restored from the journal. */
  | 'restored';

export interface AttachJobJournalOptions {
  db: Database;
  /** `<dataDir>/jobs.db`. */
  file: string;
  /** library.db was just created (missing or set aside as damaged). */
  libraryIsNew: boolean;
  log: Logger;
}

export interface JobJournalStatus {
  sync: JournalSync;
  /** Rows copied back into library.db, per table (`restored` only). */
  restored: Partial<Record<JournaledTable, number>>;
}

/**
 * Keeps a second copy of the job records in `jobs.db`, apart from library.db: attached to the
 * library connection, with temporary triggers that copy every insert, update and delete of a
 * journaled table in the same transaction. A library.db that has to be rebuilt (deleted, or
 * damaged and set aside) gets its jobs and staged references back from here before anything
 * else runs, so a rebuild never forgets a paid task.
 *
 * The journal is a copy, never the authority while library.db is healthy: at every start it is
 * made equal to library.db (which also brings it to the current columns after a migration).
 */
export function attachJobJournal(options: AttachJobJournalOptions): JobJournalStatus {
  try {
    return attach(options);
  } catch (error) {
    // A damaged journal must not keep the app from starting: library.db (when healthy) still
    // has every job, and a fresh journal is made from it.
    try {
      options.db.exec(`DETACH DATABASE ${SCHEMA}`);
    } catch {
      // It never attached.
    }
    const backupPath = `${options.file}.corrupt-${Date.now()}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(options.file + suffix)) renameSync(options.file + suffix, backupPath + suffix);
    }
    options.log.error('jobs.db could not be used; it was set aside and made again from library.db', {
      error,
      backupPath,
    });
    return attach({ ...options, libraryIsNew: false });
  }
}

function attach(options: AttachJobJournalOptions): JobJournalStatus {
  const { db, file, log } = options;
  db.prepare(`ATTACH DATABASE ? AS ${SCHEMA}`).run(file);
  db.exec(`PRAGMA ${SCHEMA}.journal_mode = WAL; PRAGMA ${SCHEMA}.synchronous = NORMAL;`);
  const restored: Partial<Record<JournaledTable, number>> = {};
  let sync = 'mirrored' as JournalSync;
  transaction(db, () => {
    for (const table of JOURNALED_TABLES) {
      const saved = columnsOf(db, SCHEMA, table);
      if (options.libraryIsNew && saved.length > 0) {
        restored[table] = restoreTable(db, table, saved);
        sync = 'restored';
      }
      mirrorTable(db, table, saved);
    }
  });
  for (const table of JOURNALED_TABLES) createTriggers(db, table);
  if (sync === 'restored')
    log.warn('Restored the job records from jobs.db after a library rebuild', restored);
  return { sync, restored };
}

/** Column names of `schema.table`, empty when the table does not exist. */
function columnsOf(db: Database, schema: string, table: string): string[] {
  const rows = db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).all(table, schema) as {
    name: string;
  }[];
  return rows.map((row) => row.name);
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Copies the journal's rows into library.db's (empty) table, by the columns both have. */
function restoreTable(db: Database, table: JournaledTable, saved: readonly string[]): number {
  const current = new Set(columnsOf(db, 'main', table));
  const shared = saved
    .filter((name) => current.has(name))
    .map(quote)
    .join(', ');
  const result = db
    .prepare(`INSERT OR IGNORE INTO main.${table} (${shared}) SELECT ${shared} FROM ${SCHEMA}.${table}`)
    .run();
  return Number(result.changes);
}

/** Makes the journal's table an exact copy of library.db's, with library.db's columns. */
function mirrorTable(db: Database, table: JournaledTable, saved: readonly string[]): void {
  const current = columnsOf(db, 'main', table);
  if (saved.join('\0') !== current.join('\0')) {
    db.exec(`DROP TABLE IF EXISTS ${SCHEMA}.${table}`);
    db.exec(`CREATE TABLE ${SCHEMA}.${table} AS SELECT * FROM main.${table} WHERE 0`);
    db.exec(`CREATE UNIQUE INDEX ${SCHEMA}.${table}_id ON ${table} (id)`);
  }
  db.exec(`DELETE FROM ${SCHEMA}.${table}`);
  db.exec(`INSERT INTO ${SCHEMA}.${table} SELECT * FROM main.${table}`);
}

/**
 * TEMP triggers may write to any attached database; they live as long as the connection, so
 * they are made again at every start (and always match the current columns).
 */
function createTriggers(db: Database, table: JournaledTable): void {
  const columns = columnsOf(db, 'main', table).map(quote);
  const list = columns.join(', ');
  const values = columns.map((column) => `NEW.${column}`).join(', ');
  // Delete then insert, not INSERT OR REPLACE: inside a trigger, the outer statement's conflict
  // handling (an upsert in staging.ts) overrides the trigger's own OR clause.
  const upsert = `DELETE FROM ${SCHEMA}.${table} WHERE id = NEW.id; INSERT INTO ${SCHEMA}.${table} (${list}) VALUES (${values});`;
  db.exec(`
    CREATE TEMP TRIGGER IF NOT EXISTS journal_${table}_insert AFTER INSERT ON main.${table}
      BEGIN ${upsert} END;
    CREATE TEMP TRIGGER IF NOT EXISTS journal_${table}_update AFTER UPDATE ON main.${table}
      BEGIN
        DELETE FROM ${SCHEMA}.${table} WHERE id = OLD.id;
        ${upsert}
      END;
    CREATE TEMP TRIGGER IF NOT EXISTS journal_${table}_delete AFTER DELETE ON main.${table}
      BEGIN DELETE FROM ${SCHEMA}.${table} WHERE id = OLD.id; END;
  `);
}
