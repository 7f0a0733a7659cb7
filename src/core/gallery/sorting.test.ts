import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import {
  UNKNOWN_MODEL,
  type GalleryCursor,
  type GalleryPageCursor,
  type GallerySort,
  type ImageParams,
  type ImageQuery,
} from '@shared/domain/image';
import { MIGRATIONS, ftsGrams, openDatabase, type Database } from '../db/database';
import { useTempDirs } from '../testing/tempDir';
import { ImageIndex, pageSql, type ImageRecord, type NewImageRecord } from './index';
import { seedImages } from './seed';

const params: ImageParams = {
  model: 'google/nano-banana',
  prompt: 'a lighthouse at dawn',
  aspectRatio: '1:1',
  outputFormat: 'png',
  resolution: null,
};

let counter = 0;
function newImage(overrides: Partial<NewImageRecord> = {}): NewImageRecord {
  counter += 1;
  const id = overrides.id ?? `sort-${String(counter).padStart(5, '0')}`;
  return {
    id,
    jobId: null,
    kieTaskId: null,
    resultIndex: 0,
    params,
    relPath: `2026/01/${id}.png`,
    width: 1024,
    height: 1024,
    format: 'png',
    bytes: 1000,
    demo: false,
    createdAt: new Date(Date.UTC(2026, 0, 1) + counter * 60_000).toISOString(),
    ...overrides,
  };
}

/** The orders spelled out on their own (not with the code under test): larger key first. */
function expectedOrder(sort: 'rating' | 'model'): (a: ImageRecord, b: ImageRecord) => number {
  const key = (record: ImageRecord): [number | string, string, string] => [
    sort === 'rating' ? record.rating : record.params.model === UNKNOWN_MODEL ? '' : record.params.model,
    record.createdAt,
    record.id,
  ];
  return (a, b) => {
    const [left, right] = [key(a), key(b)];
    for (let part = 0; part < left.length; part += 1) {
      if (left[part] !== right[part]) return (left[part] as string) < (right[part] as string) ? 1 : -1;
    }
    return 0;
  };
}

/** Past either end of any sort: a `before` page from here holds the last items. */
function pastTheEnd(sort: GallerySort): GalleryCursor {
  const oldest = { createdAt: '1970-01-01T00:00:00.000Z', id: '' };
  if (sort === 'rating') return { ...oldest, rating: 0 };
  if (sort === 'model') return { ...oldest, model: UNKNOWN_MODEL };
  return oldest;
}

function walkForward(index: ImageIndex, q: ImageQuery, limit: number): string[] {
  const ids: string[] = [];
  let cursor: GalleryPageCursor | null = null;
  for (let guard = 0; guard < 10_000; guard += 1) {
    const page = index.query(q, cursor, limit);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((item) => item.id));
    if (page.nextCursor === null) return ids;
    cursor = { after: page.nextCursor };
  }
  throw new Error('walk did not end');
}

function walkBackward(index: ImageIndex, q: ImageQuery, limit: number): string[] {
  const pages: string[][] = [];
  let cursor: GalleryPageCursor = { before: pastTheEnd(q.sort ?? 'newest') };
  for (let guard = 0; guard < 10_000; guard += 1) {
    const page = index.query(q, cursor, limit);
    pages.unshift(page.items.map((item) => item.id));
    if (page.prevCursor === null) return pages.flat();
    cursor = { before: page.prevCursor };
  }
  throw new Error('walk did not end');
}

describe('gallery sorts by rating and by model (real SQLite file)', () => {
  const tempDir = useTempDirs();
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) if (db.isOpen) db.close();
  });

  async function freshIndex(): Promise<{ db: Database; index: ImageIndex }> {
    const db = openDatabase(join(await tempDir(), 'library.db'));
    open.push(db);
    return { db, index: new ImageIndex(db) };
  }

  function everything(db: Database, index: ImageIndex) {
    const rows = db.prepare('SELECT id FROM images WHERE trashed = 0').all() as unknown as { id: string }[];
    return rows.map((row) => {
      const record = index.get(row.id) as ImageRecord;
      return { record, tags: index.tagsFor(row.id), albums: index.albumsFor(row.id) };
    });
  }

  it('orders by rating (5 to unrated) and by model (imported last), newest first within each', async () => {
    const { index } = await freshIndex();
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 12, minute)).toISOString();
    const add = (id: string, minute: number, rating: number, model: ImageParams['model']) =>
      index.insert(newImage({ id, createdAt: at(minute), rating, params: { ...params, model } }));
    add('a', 1, 3, 'google/nano-banana');
    add('b', 2, 5, 'nano-banana-pro');
    add('c', 3, 0, UNKNOWN_MODEL);
    add('d', 4, 3, 'nano-banana-2');
    add('e', 5, 1, 'google/nano-banana');
    add('f', 6, 5, 'google/nano-banana-edit');
    const order = (sort: GallerySort, q: ImageQuery = {}) =>
      index.query({ ...q, sort }, null, 100).items.map((item) => item.id);
    expect(order('rating')).toEqual(['f', 'b', 'd', 'a', 'e', 'c']);
    expect(order('model')).toEqual(['b', 'd', 'f', 'e', 'a', 'c']);
    expect(order('rating', { minRating: 3 })).toEqual(['f', 'b', 'd', 'a']);
    expect(order('model', { minRating: 3 })).toEqual(['b', 'd', 'f', 'a']);
    expect(order('model', { models: ['google/nano-banana', 'nano-banana-pro'] })).toEqual(['b', 'e', 'a']);
    expect(order('rating', { models: ['google/nano-banana'] })).toEqual(['a', 'e']);

    // The cursor carries the sort's key; a page after it goes on from there.
    const first = index.query({ sort: 'rating' }, null, 2);
    expect(first.nextCursor).toEqual({ createdAt: at(2), id: 'b', rating: 5 });
    expect(
      index.query({ sort: 'rating' }, { after: first.nextCursor as GalleryCursor }, 2).items.map((i) => i.id),
    ).toEqual(['d', 'a']);
    const byModel = index.query({ sort: 'model' }, null, 5);
    expect(byModel.nextCursor).toEqual({ createdAt: at(1), id: 'a', model: 'google/nano-banana' });
    expect(
      index
        .query({ sort: 'model' }, { after: byModel.nextCursor as GalleryCursor }, 5)
        .items.map((i) => i.id),
    ).toEqual(['c']);
  });

  it('a cursor without the sort’s key is refused, not read as the start', async () => {
    const { index } = await freshIndex();
    index.insert(newImage({ rating: 2 }));
    const dateCursor = { after: { createdAt: '2026-01-01T00:00:00.000Z', id: 'x' } };
    expect(() => index.query({ sort: 'rating' }, dateCursor, 10)).toThrow(/not from the “rating” sort/);
    expect(() => index.query({ sort: 'model' }, dateCursor, 10)).toThrow(/not from the “model” sort/);
  });

  it('pages both ways with no item lost or repeated, across ties in rating, model and time', async () => {
    const { db, index } = await freshIndex();
    const seeded = seedImages(db, 500, {
      seed: 12,
      spanDays: 2,
      ratedRate: 0.6,
      favouriteRate: 0.2,
      albumRate: 0.4,
      taggedRate: 0.5,
      importedRate: 0.1,
    });
    // Many images with the very same rating, model and time: only the id tells them apart.
    const tied = '2026-06-01T08:00:00.000Z';
    for (let n = 0; n < 25; n += 1) index.insert(newImage({ createdAt: tied, rating: 4 }));
    for (let n = 0; n < 6; n += 1)
      index.insert(newImage({ createdAt: tied, params: { ...params, model: UNKNOWN_MODEL } }));
    index.setRating(seeded.ids.slice(0, 40), 4);
    const all = everything(db, index);
    type Entry = (typeof all)[number];
    const album = seeded.albumIds[0] ?? '';
    const cases: [ImageQuery, (e: Entry) => boolean][] = [
      [{}, () => true],
      [{ minRating: 3 }, (e) => e.record.rating >= 3],
      [{ minRating: 5 }, (e) => e.record.rating === 5],
      [{ models: ['nano-banana-pro'] }, (e) => e.record.params.model === 'nano-banana-pro'],
      [
        { models: ['nano-banana-2', 'google/nano-banana'] },
        (e) => ['nano-banana-2', 'google/nano-banana'].includes(e.record.params.model),
      ],
      [{ favouritesOnly: true, minRating: 2 }, (e) => e.record.favourite && e.record.rating >= 2],
      [{ albumId: album }, (e) => e.albums.some((a) => a.id === album)],
      [{ tag: 'portrait', minRating: 1 }, (e) => e.tags.includes('portrait') && e.record.rating >= 1],
      [{ origin: 'imported' }, (e) => e.record.origin === 'imported'],
      [{ text: 'lighthouse' }, (e) => JSON.stringify(e.record.params.prompt).includes('lighthouse')],
    ];
    for (const sort of ['rating', 'model'] as const) {
      for (const [filters, predicate] of cases) {
        const q: ImageQuery = { ...filters, sort };
        const expected = all
          .filter(predicate)
          .map((e) => e.record)
          .sort(expectedOrder(sort))
          .map((record) => record.id);
        expect(expected.length, JSON.stringify(q)).toBeGreaterThan(0);
        expect({ q, ids: walkForward(index, q, 7) }).toEqual({ q, ids: expected });
        expect({ q, ids: walkBackward(index, q, 11) }).toEqual({ q, ids: expected });
        expect({ q, count: index.count(q) }).toEqual({ q, count: expected.length });
      }
    }
    expect(index.ids({ sort: 'rating' }, 10_000)).toEqual(
      all
        .map((e) => e.record)
        .sort(expectedOrder('rating'))
        .map((record) => record.id),
    );
  });

  it('serves the new sorts from their own index: a range walk, no temp b-tree, at any depth', async () => {
    const { db, index } = await freshIndex();
    seedImages(db, 300, { seed: 4, ratedRate: 0.5 });
    const plan = (q: ImageQuery, cursor: GalleryPageCursor | null): string => {
      const { sql, args } = pageSql(q, cursor);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args, 201) as unknown as { detail: string }[])
        .map((row) => row.detail)
        .join(' | ');
    };
    for (const sort of ['rating', 'model'] as const) {
      const key = index.query({ sort }, null, 150).nextCursor as GalleryCursor;
      // Rated images by model: the partial index of rated images, in the same order.
      const own = sort === 'rating' ? 'images_rating_order' : 'images_model_(order|rated)';
      const column = sort === 'rating' ? 'rating' : 'model_order';
      expect(plan({ sort }, null)).toMatch(
        new RegExp(`SEARCH i USING (COVERING )?INDEX ${own} \\(trashed=\\?\\)`),
      );
      expect(plan({ sort }, { after: key })).toMatch(
        new RegExp(`INDEX ${own} \\(trashed=\\? AND \\(${column},created_at,id\\)<\\(\\?,\\?,\\?\\)\\)`),
      );
      expect(plan({ sort }, { before: key })).toMatch(
        new RegExp(`INDEX ${own} \\(trashed=\\? AND \\(${column},created_at,id\\)>\\(\\?,\\?,\\?\\)\\)`),
      );
      const served: ImageQuery[] = [
        { sort },
        { sort, minRating: 3 },
        { sort, text: 'cat' },
        { sort, text: '猫' },
        { sort, models: ['nano-banana-pro'] },
        { sort, models: ['nano-banana-pro', 'nano-banana-2'] },
        { sort, minRating: 2, models: ['nano-banana-2'] },
      ];
      // A low cursor too: for its `before` page of ★ n and up the rating is the tighter bound.
      const low: GalleryCursor = { ...key, rating: 0 };
      for (const q of served) {
        for (const cursor of [null, { after: key }, { before: key }, { after: low }, { before: low }]) {
          const detail = plan(q, cursor);
          const seen = { q, cursor, detail };
          expect(seen).toEqual({ ...seen, detail: expect.stringMatching(new RegExp(own)) });
          expect(seen).toEqual({ ...seen, detail: expect.not.stringMatching(/TEMP B-TREE|SCAN i\b/) });
          // The walk starts at the cursor: the key comparison is a range of the index, not a filter.
          const ratingFloor =
            sort === 'rating' && q.minRating !== undefined && cursor !== null && 'before' in cursor;
          if (cursor !== null && !ratingFloor) {
            expect(seen).toEqual({ ...seen, detail: expect.stringMatching(/created_at,id\)[<>]\(/) });
          }
        }
      }
    }
    // ★ 3 and up by rating starts the walk at the bound; one model by model is one range.
    expect(plan({ sort: 'rating', minRating: 3 }, null)).toMatch(
      /images_rating_order \(trashed=\? AND rating>\?\)/,
    );
    expect(plan({ sort: 'model', models: ['nano-banana-pro'] }, null)).toMatch(
      /images_model_order \(trashed=\? AND model_order=\?\)/,
    );
    expect(plan({ sort: 'model', minRating: 2 }, null)).toMatch(/images_model_rated \(trashed=\?\)/);
    const deep: GalleryCursor = {
      createdAt: '2025-06-01T00:00:00.000Z',
      id: 'x',
      rating: 1,
      model: 'nano-banana-pro',
    };
    expect(plan({ sort: 'model', models: ['nano-banana-pro'] }, { after: deep })).toMatch(
      /images_model_order \(trashed=\? AND model_order=\? AND \(created_at,id\)<\(\?,\?\)\)/,
    );
    // From below the minimum rating, a `before` page starts at the minimum rating; from above, at the cursor.
    for (const rating of [1, 4]) {
      expect(plan({ sort: 'rating', minRating: 3 }, { before: { ...deep, rating } })).toMatch(
        /images_rating_order \(trashed=\? AND \(rating,created_at,id\)>\(\?,\?,\?\)\)/,
      );
    }
  });

  it('upgrades a version-5 library: its images sort by rating and model at once', async () => {
    const file = join(await tempDir(), 'library.db');
    const v5 = new DatabaseSync(file);
    // The search triggers of migration 2 call it, as openDatabase registers it.
    v5.function('fts_grams', (text) => (typeof text === 'string' ? ftsGrams(text) : ''));
    for (const migration of MIGRATIONS.slice(0, 5)) v5.exec(migration);
    v5.exec('PRAGMA user_version = 5');
    const insert = v5.prepare(
      `INSERT INTO images (id, params, rel_path, width, height, format, bytes, created_at, rating)
       VALUES (?, ?, ?, 64, 64, 'png', 10, ?, ?)`,
    );
    insert.run(
      'old-pro',
      JSON.stringify({ ...params, model: 'nano-banana-pro' }),
      'a.png',
      '2025-01-01T00:00:00.000Z',
      2,
    );
    insert.run(
      'old-unknown',
      JSON.stringify({ ...params, model: UNKNOWN_MODEL }),
      'b.png',
      '2025-01-02T00:00:00.000Z',
      5,
    );
    insert.run('old-plain', JSON.stringify(params), 'c.png', '2025-01-03T00:00:00.000Z', 0);
    v5.close();
    const db = openDatabase(file);
    open.push(db);
    const index = new ImageIndex(db);
    expect(index.query({ sort: 'rating' }, null, 10).items.map((item) => item.id)).toEqual([
      'old-unknown',
      'old-pro',
      'old-plain',
    ]);
    expect(index.query({ sort: 'model' }, null, 10).items.map((item) => item.id)).toEqual([
      'old-pro',
      'old-plain',
      'old-unknown',
    ]);
  });
});
