import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { Logger } from '../log/logger';
import { openDatabase, type Database } from './database';

/**
 * How the library database came up: `ok` as it was; `fresh` there was none (first run, or it
 * was deleted); `rebuilt-corrupt` it could not be used, was set aside and started afresh. In both
 * of the latter the caller rebuilds the index from the image files (a full reconcile).
 */
export type DatabaseRecovery = 'fresh' | 'ok' | 'rebuilt-corrupt';

export interface OpenLibraryDatabaseOptions {
  now?: () => Date;
  /**
   * `always` (default): SQLite's quick_check on every start, which reads the whole file (about
   * 0.6 s for 100k images, warm cache). `after-unclean-exit`: only when a `-wal` left behind says
   * the last run did not close the database; otherwise just the header and schema are read,
   * which still catches a file that is not a database or has a damaged schema.
   */
  check?: 'always' | 'after-unclean-exit';
}

export interface OpenedLibraryDatabase {
  db: Database;
  recovered: DatabaseRecovery;
  /** Where the unusable database was moved (`rebuilt-corrupt` only). */
  backupPath: string | null;
}

/** SQLite primary result codes that mean "this file is damaged", not "this file is busy". */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;
/** A generic SQL error while opening: a migration failed on a schema it does not recognise. */
const SQLITE_ERROR = 1;
const SIDE_FILES = ['-wal', '-shm'] as const;

/**
 * Opens `library.db`, checking it first. A file that is not a database, fails `quick_check`
 * or cannot be migrated is never deleted: it is renamed to `library.db.corrupt-<timestamp>`
 * (its `-wal`/`-shm` beside it, as they were before the check) and a fresh database takes its
 * place. Errors that say
 * nothing about the file itself (locked, no permission, disk full) are thrown as they are:
 * a healthy database must not be set aside because another process holds it.
 *
 * Synchronous on purpose: it runs once at start-up, before anything can use the database.
 */
export function openLibraryDatabase(
  file: string,
  log: Logger,
  options: OpenLibraryDatabaseOptions = {},
): OpenedLibraryDatabase {
  const now = options.now ?? (() => new Date());
  if (!existsSync(file)) {
    // A WAL without its database would be replayed into the new, empty one.
    const orphans = SIDE_FILES.filter((suffix) => existsSync(file + suffix));
    let backupPath: string | null = null;
    if (orphans.length > 0) {
      backupPath = backupName(file, now);
      for (const suffix of orphans) renameSync(file + suffix, backupPath + suffix);
      log.warn('Set aside a journal left without its database', { backupPath });
    }
    log.info('No library database; starting a fresh one', { file });
    return { db: openDatabase(file), recovered: 'fresh', backupPath };
  }

  // Opening a database may checkpoint or delete its journal, so the journal is copied first:
  // should the file be damaged, the backup must hold it as it was.
  const backupPath = backupName(file, now);
  const journals = SIDE_FILES.filter((suffix) => existsSync(file + suffix));
  for (const suffix of journals) copyFileSync(file + suffix, backupPath + suffix);
  // SQLite deletes the WAL when the last connection closes cleanly.
  const thorough = options.check !== 'after-unclean-exit' || journals.includes('-wal');
  const dropCopies = (): void => {
    for (const suffix of journals) rmSync(backupPath + suffix, { force: true });
  };
  let problem: string | null;
  try {
    problem = quickCheck(file, thorough);
    if (problem === null) {
      const db = openDatabase(file);
      dropCopies();
      return { db, recovered: 'ok', backupPath: null };
    }
  } catch (error) {
    // A schema the migrations cannot apply to is as unusable as a damaged file.
    if (!isDamage(error)) {
      dropCopies();
      throw error;
    }
    problem = errorMessage(error);
  }

  renameSync(file, backupPath);
  // What SQLite left of the journal now belongs to no database: the new one must not replay it.
  for (const suffix of SIDE_FILES) {
    if (!existsSync(file + suffix)) continue;
    if (journals.includes(suffix)) rmSync(file + suffix, { force: true });
    else renameSync(file + suffix, backupPath + suffix);
  }
  log.error('The library database is damaged; it was set aside and will be rebuilt from the image files', {
    problem,
    backupPath,
  });
  return { db: openDatabase(file), recovered: 'rebuilt-corrupt', backupPath };
}

/**
 * What is wrong with the database file, or null when it opens and passes SQLite's quick check
 * (or, not `thorough`, when its schema reads). Checked on a connection of its own, closed
 * whatever happens, so that the file can be renamed afterwards (Windows refuses to rename an
 * open file).
 */
function quickCheck(file: string, thorough: boolean): string | null {
  const probe = new DatabaseSync(file);
  try {
    probe.exec('PRAGMA busy_timeout = 5000');
    if (!thorough) {
      probe.prepare('SELECT count(*) AS n FROM sqlite_master').get();
      return null;
    }
    const rows = probe.prepare('PRAGMA quick_check(5)').all() as Record<string, unknown>[];
    const messages = rows.map((row) => String(Object.values(row)[0]));
    if (messages.length !== 1 || messages[0] !== 'ok') return messages.join('; ');
  } catch (error) {
    if (!isDamage(error)) throw error;
    return errorMessage(error);
  } finally {
    probe.close();
  }
  return null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isDamage(error: unknown): boolean {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode !== 'number') return false;
  // Extended result codes keep the primary code in the low byte.
  const primary = errcode & 0xff;
  return primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB || primary === SQLITE_ERROR;
}

function backupName(file: string, now: () => Date): string {
  // No ':' in the name: Windows does not allow it.
  const stamp = now().toISOString().replaceAll(':', '-').replace('.', '-');
  let candidate = `${file}.corrupt-${stamp}`;
  for (let n = 2; existsSync(candidate) || SIDE_FILES.some((s) => existsSync(candidate + s)); n += 1) {
    candidate = `${file}.corrupt-${stamp}-${n}`;
  }
  return candidate;
}
