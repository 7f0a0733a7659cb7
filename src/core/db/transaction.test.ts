import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { isDiskFull } from '../fs/diskFull';
import { transaction } from './database';

/** A database that is "full" after a few pages: SQLite answers SQLITE_FULL as on a full disk. */
function smallDatabase(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE t (b BLOB)');
  db.exec('PRAGMA max_page_count = 20');
  return db;
}

const fillUp = (db: DatabaseSync) => {
  for (let i = 0; i < 100; i += 1) db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(4000));
};

describe('transaction', () => {
  it('reports a full disk as such, though SQLite already rolled the transaction back', () => {
    const db = smallDatabase();
    const error = (() => {
      try {
        transaction(db, () => fillUp(db));
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toMatchObject({ message: expect.stringMatching(/disk is full/) });
    expect(isDiskFull(error)).toBe(true);
    expect(db.isTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
  });

  it('nested: a full disk inside a savepoint still surfaces as a full disk', () => {
    const db = smallDatabase();
    let inner: unknown = null;
    expect(() =>
      transaction(db, () => {
        db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(10));
        try {
          transaction(db, () => fillUp(db));
        } catch (caught) {
          inner = caught;
          throw caught;
        }
      }),
    ).toThrow(/disk is full/);
    expect(isDiskFull(inner)).toBe(true);
    expect(db.isTransaction).toBe(false);
  });

  it('an ordinary error rolls back everything the transaction wrote', () => {
    const db = smallDatabase();
    expect(() =>
      transaction(db, () => {
        db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(10));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
  });
});
