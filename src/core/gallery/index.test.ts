import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { GalleryCursor, GalleryPageCursor, ImageQuery } from '@shared/domain/image';
import type { JobParams } from '@shared/domain/job';
import { GRAM_PAD, MIGRATIONS, ftsGrams, openDatabase, transaction, type Database } from '../db/database';
import { useTempDirs } from '../testing/tempDir';
import { ImageIndex, ftsQuery, pageSql, type ImageRecord, type NewImageRecord } from './index';
import { seedImages } from './seed';

const baseParams: JobParams = {
  model: 'google/nano-banana',
  prompt: 'a lighthouse at dawn',
  aspectRatio: '1:1',
  outputFormat: 'png',
  resolution: null,
};

let counter = 0;
function newImage(overrides: Partial<NewImageRecord> = {}, params: Partial<JobParams> = {}): NewImageRecord {
  counter += 1;
  const id = overrides.id ?? `img-${String(counter).padStart(5, '0')}`;
  return {
    id,
    jobId: null,
    kieTaskId: null,
    resultIndex: 0,
    params: { ...baseParams, ...params },
    relPath: `2026/01/${id}.png`,
    width: 1024,
    height: 1024,
    format: 'png',
    bytes: 1000 + counter,
    demo: false,
    createdAt: new Date(Date.UTC(2026, 0, 1) + counter * 60_000).toISOString(),
    ...overrides,
  };
}

const SENTINEL_OLDEST: GalleryCursor = { createdAt: '1970-01-01T00:00:00.000Z', id: '' };
const SENTINEL_NEWEST: GalleryCursor = { createdAt: '9999-12-31T23:59:59.999Z', id: '~' };

/** Every id of `q`, page by page forwards from the start. */
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

/** Every id of `q`, page by page backwards from past the end, put back in query order. */
function walkBackward(index: ImageIndex, q: ImageQuery, limit: number): string[] {
  const pages: string[][] = [];
  const end = (q.sort ?? 'newest') === 'newest' ? SENTINEL_OLDEST : SENTINEL_NEWEST;
  let cursor: GalleryPageCursor = { before: end };
  for (let guard = 0; guard < 10_000; guard += 1) {
    const page = index.query(q, cursor, limit);
    pages.unshift(page.items.map((item) => item.id));
    if (page.prevCursor === null) return pages.flat();
    cursor = { before: page.prevCursor };
  }
  throw new Error('walk did not end');
}

function newestFirst(a: ImageRecord, b: ImageRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

describe('ImageIndex (real SQLite file)', () => {
  const tempDir = useTempDirs();
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) if (db.isOpen) db.close();
  });

  async function freshIndex(): Promise<{ db: Database; index: ImageIndex; file: string }> {
    const file = join(await tempDir(), 'library.db');
    const db = openDatabase(file);
    open.push(db);
    return { db, index: new ImageIndex(db), file };
  }

  /** All images outside the trash, with their tags and albums, for checking queries against. */
  function everything(db: Database, index: ImageIndex) {
    const ids = (
      db.prepare('SELECT id FROM images WHERE trashed = 0').all() as unknown as { id: string }[]
    ).map((row) => row.id);
    return ids.map((id) => {
      const record = index.get(id) as ImageRecord;
      return { record, tags: index.tagsFor(id), albums: index.albumsFor(id) };
    });
  }

  describe('migration', () => {
    it('upgrades a version-1 library with rows, backfilling the new columns and the search index', async () => {
      const file = join(await tempDir(), 'library.db');
      const v1 = new DatabaseSync(file);
      v1.exec(MIGRATIONS[0] ?? '');
      v1.exec('PRAGMA user_version = 1');
      v1.prepare(
        `INSERT INTO jobs (id, params, state, created_at, updated_at) VALUES ('job-1', ?, 'done', ?, ?)`,
      ).run(JSON.stringify(baseParams), '2025-05-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z');
      const insertV1 = v1.prepare(
        `INSERT INTO images (id, job_id, kie_task_id, result_index, params, rel_path, width, height, format, bytes, demo, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 1024, 768, 'png', ?, ?, ?)`,
      );
      insertV1.run(
        'old-b',
        'job-1',
        'task-1',
        1,
        JSON.stringify({ ...baseParams, model: 'nano-banana-pro', aspectRatio: '4:3', resolution: '2K' }),
        '2025/05/b.png',
        2222,
        0,
        '2025-05-01T00:00:02.000Z',
      );
      insertV1.run(
        'old-a',
        'job-1',
        'task-1',
        0,
        JSON.stringify({ ...baseParams, prompt: '一只香蕉猫在屋顶上', aspectRatio: '16:9' }),
        '2025/05/a.png',
        1111,
        1,
        '2025-05-01T00:00:01.000Z',
      );
      v1.close();

      const db = openDatabase(file);
      open.push(db);
      expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(
        MIGRATIONS.length,
      );
      const rows = db
        .prepare(
          'SELECT id, seq, model, aspect_ratio, file_size, origin, status, favourite, rating FROM images ORDER BY seq',
        )
        .all();
      expect(rows).toEqual([
        {
          id: 'old-a',
          seq: 1,
          model: 'google/nano-banana',
          aspect_ratio: '16:9',
          file_size: 1111,
          origin: 'generated',
          status: 'ok',
          favourite: 0,
          rating: 0,
        },
        {
          id: 'old-b',
          seq: 2,
          model: 'nano-banana-pro',
          aspect_ratio: '4:3',
          file_size: 2222,
          origin: 'generated',
          status: 'ok',
          favourite: 0,
          rating: 0,
        },
      ]);

      const index = new ImageIndex(db);
      expect(index.get('old-a')).toMatchObject({
        jobId: 'job-1',
        kieTaskId: 'task-1',
        demo: true,
        parents: [],
        fileSize: 1111,
        trashed: false,
      });
      expect(index.idsForJob('job-1')).toEqual(['old-a', 'old-b']);
      expect(index.byTaskResult('task-1', 1)?.id).toBe('old-b');
      expect(ids(index.query({ models: ['nano-banana-pro'] }, null, 10).items)).toEqual(['old-b']);
      expect(ids(index.query({ aspectRatios: ['16:9'] }, null, 10).items)).toEqual(['old-a']);
      expect(ids(index.query({ text: '香蕉' }, null, 10).items)).toEqual(['old-a']);
      expect(ids(index.query({ text: 'lighthouse' }, null, 10).items)).toEqual(['old-b']);
      expect(ids(index.page(null, 10).items)).toEqual(['old-b', 'old-a']);
      db.close();

      // A second open finds nothing to migrate and keeps the data.
      const again = openDatabase(file);
      open.push(again);
      expect(new ImageIndex(again).count({})).toBe(2);
    });
  });

  describe('insert and the original API', () => {
    it('fills defaults for the new fields and keeps one row per KIE result', async () => {
      const { index } = await freshIndex();
      const input = newImage({ kieTaskId: 'task-9', resultIndex: 0, createdAt: '2026-02-01T09:00:00+08:00' });
      const first = index.insert(input);
      expect(first.inserted).toBe(true);
      expect(first.record).toMatchObject({
        origin: 'generated',
        status: 'ok',
        favourite: false,
        rating: 0,
        parents: [],
        fileSize: input.bytes,
        fileMtimeMs: null,
        contentHash: null,
        trashed: false,
        createdAt: '2026-02-01T01:00:00.000Z',
      });
      expect(index.get(input.id)).toEqual(first.record);
      const again = index.insert({ ...newImage({ kieTaskId: 'task-9', resultIndex: 0 }) });
      expect(again).toEqual({ record: first.record, inserted: false });
      expect(index.count({})).toBe(1);
    });

    it('page(cursor, limit) still pages newest first with only a next cursor', async () => {
      const { index } = await freshIndex();
      const made = Array.from({ length: 5 }, () => index.insert(newImage()).record);
      const first = index.page(null, 2);
      expect(Object.keys(first).sort()).toEqual(['items', 'nextCursor']);
      expect(ids(first.items)).toEqual([made[4]?.id, made[3]?.id]);
      const second = index.page(first.nextCursor, 2);
      const third = index.page(second.nextCursor, 2);
      expect(ids(second.items)).toEqual([made[2]?.id, made[1]?.id]);
      expect(ids(third.items)).toEqual([made[0]?.id]);
      expect(third.nextCursor).toBeNull();
    });
  });

  describe('keyset paging', () => {
    it('walks the whole set both ways, in both sorts, with no gaps or duplicates (ties included)', async () => {
      const { db, index } = await freshIndex();
      seedImages(db, 300, { seed: 3, spanDays: 2 });
      // Large groups sharing one timestamp, so page boundaries fall inside ties.
      for (let n = 0; n < 60; n += 1) {
        index.insert(newImage({ createdAt: `2026-03-0${1 + (n % 3)}T10:00:00.000Z` }));
      }
      const all = everything(db, index)
        .map((entry) => entry.record)
        .sort(newestFirst);
      const expected = all.map((record) => record.id);
      expect(expected.length).toBeGreaterThan(350);
      for (const limit of [1, 7, 50, 1000]) {
        expect(walkForward(index, {}, limit)).toEqual(expected);
        expect(walkBackward(index, {}, limit)).toEqual(expected);
        expect(walkForward(index, { sort: 'oldest' }, limit)).toEqual([...expected].reverse());
        expect(walkBackward(index, { sort: 'oldest' }, limit)).toEqual([...expected].reverse());
      }
      expect(index.count({})).toBe(expected.length);
      // "Select all": the same order in one call, cut at the limit.
      expect(index.ids({}, 10_000)).toEqual(expected);
      expect(index.ids({ sort: 'oldest' }, 10_000)).toEqual([...expected].reverse());
      expect(index.ids({}, 123)).toEqual(expected.slice(0, 123));
      const favourites = walkForward(index, { favouritesOnly: true }, 1000);
      expect(favourites.length).toBeGreaterThan(0);
      expect(index.ids({ favouritesOnly: true }, 10_000)).toEqual(favourites);
    });

    it('pages back from the middle to exactly the previous page', async () => {
      const { db, index } = await freshIndex();
      seedImages(db, 200, { seed: 4, spanDays: 1 });
      const expected = walkForward(index, {}, 1000);
      const first = index.query({}, null, 10);
      expect(first.prevCursor).toBeNull();
      const second = index.query({}, { after: first.nextCursor as GalleryCursor }, 10);
      const third = index.query({}, { after: second.nextCursor as GalleryCursor }, 10);
      expect(ids(third.items)).toEqual(expected.slice(20, 30));
      const back = index.query({}, { before: third.prevCursor as GalleryCursor }, 10);
      expect(ids(back.items)).toEqual(expected.slice(10, 20));
      expect(back.nextCursor).toEqual(second.nextCursor);
      const top = index.query({}, { before: back.prevCursor as GalleryCursor }, 10);
      expect(ids(top.items)).toEqual(expected.slice(0, 10));
      expect(top.prevCursor).toBeNull();
      const partial = index.query(
        {},
        { before: { createdAt: third.items[2]?.createdAt ?? '', id: third.items[2]?.id ?? '' } },
        50,
      );
      expect(ids(partial.items)).toEqual(expected.slice(0, 22));
      expect(partial.prevCursor).toBeNull();
    });

    it('walks filtered and album/tag-driven queries both ways too', async () => {
      const { db, index } = await freshIndex();
      const seeded = seedImages(db, 400, { seed: 5, spanDays: 3, albumRate: 0.5, taggedRate: 0.6 });
      const all = everything(db, index);
      const queries: [ImageQuery, (entry: (typeof all)[number]) => boolean][] = [
        [{ albumId: seeded.albumIds[0] }, (e) => e.albums.some((a) => a.id === seeded.albumIds[0])],
        [{ tag: 'portrait' }, (e) => e.tags.includes('portrait')],
        [
          { tag: 'cat', albumId: seeded.albumIds[1], sort: 'oldest' },
          (e) => e.tags.includes('cat') && e.albums.some((a) => a.id === seeded.albumIds[1]),
        ],
        [{ models: ['nano-banana-pro'] }, (e) => e.record.params.model === 'nano-banana-pro'],
      ];
      for (const [q, predicate] of queries) {
        const expected = all
          .filter(predicate)
          .map((e) => e.record)
          .sort(newestFirst)
          .map((record) => record.id);
        if (q.sort === 'oldest') expected.reverse();
        expect(expected.length).toBeGreaterThan(0);
        expect(walkForward(index, q, 9)).toEqual(expected);
        expect(walkBackward(index, q, 9)).toEqual(expected);
        expect(index.count(q)).toBe(expected.length);
      }
    });
  });

  describe('filters', () => {
    it('each filter, and filters combined, match exactly the images they describe', async () => {
      const { db, index } = await freshIndex();
      const seeded = seedImages(db, 600, {
        seed: 6,
        favouriteRate: 0.2,
        ratedRate: 0.3,
        importedRate: 0.15,
        demoRate: 0.15,
        missingRate: 0.1,
        trashedRate: 0.05,
        albumRate: 0.3,
        taggedRate: 0.5,
      });
      const all = everything(db, index);
      type Entry = (typeof all)[number];
      const from = '2025-01-01T00:00:00.000Z';
      const to = '2025-06-30T23:59:59.999Z';
      const cases: [ImageQuery, (e: Entry) => boolean][] = [
        [{}, () => true],
        [{ models: ['nano-banana-2'] }, (e) => e.record.params.model === 'nano-banana-2'],
        [
          { models: ['nano-banana-2', 'google/nano-banana'] },
          (e) => ['nano-banana-2', 'google/nano-banana'].includes(e.record.params.model),
        ],
        [{ models: [] }, () => true],
        [{ aspectRatios: ['16:9'] }, (e) => e.record.params.aspectRatio === '16:9'],
        [{ aspectRatios: ['9:16', '1:1'] }, (e) => ['9:16', '1:1'].includes(e.record.params.aspectRatio)],
        [{ from }, (e) => e.record.createdAt >= from],
        [{ to }, (e) => e.record.createdAt <= to],
        [{ from, to }, (e) => e.record.createdAt >= from && e.record.createdAt <= to],
        [{ from: '2025-01-01T08:00:00+08:00' }, (e) => e.record.createdAt >= from],
        [{ favouritesOnly: true }, (e) => e.record.favourite],
        [{ favouritesOnly: false }, () => true],
        [{ minRating: 3 }, (e) => e.record.rating >= 3],
        [{ albumId: seeded.albumIds[2] }, (e) => e.albums.some((a) => a.id === seeded.albumIds[2])],
        [{ albumId: 'no-such-album' }, () => false],
        [{ tag: 'landscape' }, (e) => e.tags.includes('landscape')],
        [{ tag: 'LANDSCAPE' }, (e) => e.tags.includes('landscape')],
        [{ tag: '风景' }, (e) => e.tags.includes('风景')],
        [{ tag: 'no-such-tag' }, () => false],
        [{ origin: 'demo' }, (e) => e.record.demo],
        [{ origin: 'generated' }, (e) => e.record.origin === 'generated' && !e.record.demo],
        [{ origin: 'imported' }, (e) => e.record.origin === 'imported'],
        [{ status: 'missing' }, (e) => e.record.status === 'missing'],
        [{ status: 'ok' }, (e) => e.record.status === 'ok'],
        [
          { models: ['nano-banana-pro'], favouritesOnly: true, from },
          (e) =>
            e.record.params.model === 'nano-banana-pro' && e.record.favourite && e.record.createdAt >= from,
        ],
        [
          { albumId: seeded.albumIds[0], tag: 'portrait', aspectRatios: ['1:1', '16:9'] },
          (e) =>
            e.albums.some((a) => a.id === seeded.albumIds[0]) &&
            e.tags.includes('portrait') &&
            ['1:1', '16:9'].includes(e.record.params.aspectRatio),
        ],
        [
          { tag: 'cat', origin: 'generated', minRating: 1, sort: 'oldest' },
          (e) =>
            e.tags.includes('cat') &&
            e.record.origin === 'generated' &&
            !e.record.demo &&
            e.record.rating >= 1,
        ],
      ];
      for (const [q, predicate] of cases) {
        const expected = all
          .filter(predicate)
          .map((e) => e.record)
          .sort(newestFirst)
          .map((record) => record.id);
        if (q.sort === 'oldest') expected.reverse();
        expect({ q, ids: walkForward(index, q, 40) }).toEqual({ q, ids: expected });
        expect({ q, count: index.count(q) }).toEqual({ q, count: expected.length });
      }
      // Sanity: the seeded data exercises every filter.
      expect(all.some((e) => e.record.status === 'missing')).toBe(true);
      expect(all.some((e) => e.record.demo)).toBe(true);
      expect(all.some((e) => e.record.origin === 'imported')).toBe(true);
      expect(index.trashPage(null, 1).items.length).toBe(1);
    });

    it('rejects an unparseable date', async () => {
      const { index } = await freshIndex();
      expect(() => index.query({ from: 'yesterday' }, null, 10)).toThrow(/valid date/);
    });
  });

  describe('full-text search', () => {
    it('finds substrings in prompts, tags, album names and model, in any script', async () => {
      const { index } = await freshIndex();
      const cat = index.insert(newImage({}, { prompt: '一只香蕉猫在屋顶上' })).record;
      const cafe = index.insert(newImage({}, { prompt: 'A Café at NIGHT in Paris' })).record;
      const pro = index.insert(newImage({}, { prompt: 'a red fox', model: 'nano-banana-pro' })).record;
      const tagged = index.insert(newImage({}, { prompt: 'a quiet harbour' })).record;
      index.addTags([tagged.id], ['风景', 'Seaside']);
      const album = index.createAlbum('Summer 旅行');
      index.addToAlbum(album.id, [pro.id]);

      const search = (text: string): string[] => ids(index.query({ text }, null, 50).items).sort();
      expect(search('香蕉')).toEqual([cat.id]);
      expect(search('香蕉猫')).toEqual([cat.id]);
      expect(search('猫')).toEqual([cat.id]);
      expect(search('屋顶 香蕉')).toEqual([cat.id]);
      expect(search('猫 fox')).toEqual([]);
      expect(search('cafe')).toEqual([cafe.id]);
      expect(search('night')).toEqual([cafe.id]);
      expect(search('AFÉ')).toEqual([cafe.id]);
      expect(search('风景')).toEqual([tagged.id]);
      expect(search('seas')).toEqual([tagged.id]);
      expect(search('summer')).toEqual([pro.id]);
      expect(search('旅行')).toEqual([pro.id]);
      expect(search('nano-banana-pro')).toEqual([pro.id]);
      expect(search('banana').length).toBe(4);
      // Short terms match through their grams, over the same text as long ones.
      expect(search('fo')).toEqual([pro.id]);
      expect(search('in')).toEqual([cafe.id]);
      expect(search('SE')).toEqual([tagged.id]);
      expect(search('-p')).toEqual([pro.id]);
      expect(search('é')).toEqual(search('e')); // diacritics fold, as in longer terms
      expect(search('  ')).toHaveLength(4);
      expect(index.count({ text: '香蕉' })).toBe(1);
    });

    it('treats hostile input as plain text: no syntax errors, literal matches', async () => {
      const { index } = await freshIndex();
      const odd = index.insert(
        newImage(
          {},
          { prompt: 'say "hello" AND (more) *stars* 100% prompt:cat_x back\\slash NEAR(a b) -x ^y it\'s' },
        ),
      ).record;
      const plain = index.insert(newImage({}, { prompt: 'an ordinary sandwich' })).record;
      const hostile = [
        '"',
        '""',
        '"""',
        '"hello"',
        '*',
        '*stars*',
        'AND',
        'OR',
        'NOT',
        '(',
        '(more)',
        ')',
        'NEAR(a',
        'NEAR',
        'prompt:cat',
        '{prompt}',
        '-x',
        '^y',
        '%',
        '100%',
        '_',
        'cat_x',
        '\\',
        "'",
        "it's",
        ':',
        '+',
        'a AND b',
        'hello OR sandwich',
        GRAM_PAD,
        `猫${GRAM_PAD}`,
      ];
      for (const text of hostile) {
        expect(() => index.query({ text }, null, 10), text).not.toThrow();
        expect(() => index.count({ text }), text).not.toThrow();
      }
      const search = (text: string): string[] => ids(index.query({ text }, null, 10).items).sort();
      expect(search('"hello"')).toEqual([odd.id]);
      expect(search('*stars*')).toEqual([odd.id]);
      expect(search('100%')).toEqual([odd.id]);
      expect(search('%')).toEqual([odd.id]);
      expect(search('_')).toEqual([odd.id]);
      expect(search('\\')).toEqual([odd.id]);
      expect(search('(more)')).toEqual([odd.id]);
      expect(search('AND')).toEqual([odd.id, plain.id].sort()); // "sANDwich"
      expect(search('hello OR sandwich')).toEqual([]);
      expect(search('NOT')).toEqual([]);
    });

    it('stays in sync after tags, albums, renames, deletes, trash and purge', async () => {
      const { index } = await freshIndex();
      const image = index.insert(newImage({}, { prompt: 'a plain picture' })).record;
      const other = index.insert(newImage({}, { prompt: 'another plain picture' })).record;
      const hits = (text: string): string[] => ids(index.query({ text }, null, 10).items).sort();

      expect(hits('holiday')).toEqual([]);
      index.addTags([image.id, other.id], ['Holiday', '风景']);
      expect(hits('holiday')).toEqual([image.id, other.id].sort());
      expect(hits('风景')).toEqual([image.id, other.id].sort());
      index.removeTags([other.id], ['holiday']);
      expect(hits('holiday')).toEqual([image.id]);
      expect(hits('风景')).toEqual([image.id, other.id].sort());
      index.removeTags([image.id], ['HOLIDAY']);
      expect(hits('holiday')).toEqual([]);

      const album = index.createAlbum('Summer Trip');
      index.addToAlbum(album.id, [image.id]);
      expect(hits('summer')).toEqual([image.id]);
      index.renameAlbum(album.id, '冬天 Winter');
      expect(hits('summer')).toEqual([]);
      expect(hits('winter')).toEqual([image.id]);
      expect(hits('冬天')).toEqual([image.id]);
      index.removeFromAlbum(album.id, [image.id]);
      expect(hits('winter')).toEqual([]);
      index.addToAlbum(album.id, [image.id, other.id]);
      expect(hits('winter')).toEqual([image.id, other.id].sort());
      index.deleteAlbum(album.id);
      expect(hits('winter')).toEqual([]);
      expect(hits('plain')).toEqual([image.id, other.id].sort());

      index.moveToTrash([other.id], ['.trash/other.png']);
      expect(hits('plain')).toEqual([image.id]);
      expect(hits('风景')).toEqual([image.id]);
      index.restore([other.id]);
      expect(hits('another')).toEqual([other.id]);
      index.moveToTrash([other.id], ['.trash/other.png']);
      index.purge([other.id]);
      expect(hits('another')).toEqual([]);
      expect(hits('风景')).toEqual([image.id]);
      // Re-inserting a purged id indexes it afresh, without the old tags.
      index.insert(newImage({ id: other.id }, { prompt: 'reborn' }));
      expect(hits('another')).toEqual([]);
      expect(hits('reborn')).toEqual([other.id]);
      expect(hits('风景')).toEqual([image.id]);
    });

    it('matches the substring oracle over a seeded library', async () => {
      const { db, index } = await freshIndex();
      seedImages(db, 500, { seed: 8, albumRate: 0.3, taggedRate: 0.5 });
      const all = everything(db, index);
      const terms = [
        'lighthouse',
        'LIGHT',
        '香蕉',
        '猫',
        '香蕉猫',
        '风景',
        '水彩',
        'portfolio',
        'pro',
        'ai',
        'cat 猫',
        'zzz',
        'in 的',
        'a',
        'Q',
        '8k',
        ',',
        'k 4',
        'zz',
        '-',
      ];
      for (const text of terms) {
        const words = text.split(' ');
        const expected = all
          .filter((e) =>
            words.every((word) => {
              const haystack = [
                e.record.params.prompt,
                e.tags.join(' '),
                e.albums.map((a) => a.name).join(' '),
                e.record.params.model,
              ].join('\n');
              return haystack.toLowerCase().includes(word.toLowerCase());
            }),
          )
          .map((e) => e.record)
          .sort(newestFirst)
          .map((record) => record.id);
        expect({ text, ids: walkForward(index, { text }, 100) }).toEqual({ text, ids: expected });
        expect({ text, count: index.count({ text }) }).toEqual({ text, count: expected.length });
      }
    });
  });

  describe('trash', () => {
    it('excludes trashed images, lists them, restores and purges', async () => {
      const { index } = await freshIndex();
      const [a, b, c] = [newImage(), newImage(), newImage()].map((input) => index.insert(input).record) as [
        ImageRecord,
        ImageRecord,
        ImageRecord,
      ];
      index.addTags([b.id], ['only-on-b']);
      const at = new Date('2026-05-01T00:00:00.000Z');
      expect(
        index.moveToTrash([a.id, b.id, 'nope'], ['.trash/a.png', '.trash/b.png', '.trash/nope.png'], at),
      ).toEqual([a.id, b.id]);
      expect(index.moveToTrash([a.id], ['.trash/a2.png'], at)).toEqual([]);
      expect(ids(index.query({}, null, 10).items)).toEqual([c.id]);
      expect(index.count({})).toBe(1);
      expect(index.page(null, 10).items.map((item) => item.id)).toEqual([c.id]);
      expect(index.get(a.id)).toMatchObject({ trashed: true, relPath: '.trash/a.png' });
      expect(index.allTags()).toEqual([{ name: 'only-on-b', count: 0 }]);

      const first = index.trashPage(null, 1);
      expect(first.items).toHaveLength(1);
      expect(first.items[0]).toMatchObject({
        id: b.id,
        trashedAt: at.toISOString(),
        originalRelPath: b.relPath,
        trashRelPath: '.trash/b.png',
        trashed: true,
      });
      const second = index.trashPage(first.nextCursor, 1);
      expect(ids(second.items)).toEqual([a.id]);
      expect(second.nextCursor).toBeNull();
      expect(index.trashCount()).toBe(2);
      expect(index.trashedBefore('2026-05-02T00:00:00Z').sort()).toEqual([a.id, b.id].sort());
      expect(index.trashedBefore('2026-04-30T00:00:00Z')).toEqual([]);

      expect(index.restore([a.id, c.id])).toEqual([{ id: a.id, from: '.trash/a.png', to: a.relPath }]);
      expect(index.get(a.id)).toMatchObject({ trashed: false, relPath: a.relPath });
      expect(ids(index.query({}, null, 10).items)).toEqual([c.id, a.id]);

      expect(index.purge([b.id, c.id])).toEqual([{ id: b.id, relPath: '.trash/b.png' }]);
      expect(index.get(b.id)).toBeNull();
      expect(index.get(c.id)).not.toBeNull();
      expect(index.trashPage(null, 10).items).toEqual([]);
      expect(index.allTags()).toEqual([]);
    });

    it('restores to a given path when the original is taken', async () => {
      const { index } = await freshIndex();
      const a = index.insert(newImage()).record;
      index.moveToTrash([a.id], ['.trash/a.png']);
      index.insert(newImage({ relPath: a.relPath }));
      expect(() => index.restore([a.id])).toThrow(/UNIQUE/);
      expect(index.get(a.id)?.trashed).toBe(true);
      expect(index.restore([a.id], ['2026/01/a (2).png'])).toEqual([
        { id: a.id, from: '.trash/a.png', to: '2026/01/a (2).png' },
      ]);
    });

    it('moves a batch in one transaction: a failure leaves nothing half-done', async () => {
      const { index } = await freshIndex();
      const a = index.insert(newImage()).record;
      const b = index.insert(newImage()).record;
      expect(() => index.moveToTrash([a.id, b.id], ['.trash/x.png', '.trash/x.png'])).toThrow(/UNIQUE/);
      expect(index.get(a.id)).toMatchObject({ trashed: false, relPath: a.relPath });
      expect(index.trashPage(null, 10).items).toEqual([]);
      expect(() => index.moveToTrash([a.id, b.id], ['.trash/a.png'])).toThrow(/trash path/);
    });
  });

  describe('albums and tags', () => {
    it('are many-to-many, counted without the trash, and deleting an album keeps its images', async () => {
      const { index } = await freshIndex();
      const [a, b, c] = [newImage(), newImage(), newImage()].map((input) => index.insert(input).record) as [
        ImageRecord,
        ImageRecord,
        ImageRecord,
      ];
      const travel = index.createAlbum('  Travel   2026 ', new Date('2026-01-01T00:00:00Z'));
      expect(travel).toMatchObject({ name: 'Travel 2026', count: 0, coverId: null });
      const best = index.createAlbum('best');
      expect(index.addToAlbum(travel.id, [a.id, b.id, b.id, 'unknown'])).toBe(2);
      expect(index.addToAlbum(best.id, [a.id, c.id])).toBe(2);
      expect(index.addToAlbum(best.id, [a.id])).toBe(0);
      expect(index.albumsFor(a.id).map((album) => album.name)).toEqual(['best', 'Travel 2026']);
      expect(index.albums().map((album) => [album.name, album.count, album.coverId])).toEqual([
        ['best', 2, c.id],
        ['Travel 2026', 2, b.id],
      ]);
      expect(ids(index.query({ albumId: travel.id }, null, 10).items)).toEqual([b.id, a.id]);

      index.moveToTrash([c.id], ['.trash/c.png']);
      expect(index.albums().find((album) => album.id === best.id)).toMatchObject({ count: 1, coverId: a.id });

      expect(() => index.addToAlbum('missing', [a.id])).toThrow(/album does not exist/);
      expect(() => index.createAlbum('   ')).toThrow(/album name/);
      expect(index.renameAlbum(travel.id, 'Trips')).toBe(true);
      expect(index.renameAlbum('missing', 'x')).toBe(false);
      expect(index.removeFromAlbum(travel.id, [a.id])).toBe(1);
      expect(index.deleteAlbum(travel.id)).toBe(true);
      expect(index.deleteAlbum(travel.id)).toBe(false);
      expect(index.get(b.id)).not.toBeNull();
      expect(index.albumsFor(b.id)).toEqual([]);
      expect(index.albumsFor(a.id).map((album) => album.name)).toEqual(['best']);
      expect(index.query({ albumId: travel.id }, null, 10).items).toEqual([]);
    });

    it('tags in bulk, case-insensitively, and forgets unused tags', async () => {
      const { index } = await freshIndex();
      const made = Array.from({ length: 250 }, () => index.insert(newImage()).record.id);
      expect(index.addTags(made, ['Sunset', ' sunset ', 'b&w'])).toBe(500);
      expect(index.addTags(made.slice(0, 10), ['SUNSET', 'new  tag'])).toBe(10);
      expect(index.tagsFor(made[0] as string)).toEqual(['b&w', 'new tag', 'Sunset']);
      expect(index.allTags()).toEqual([
        { name: 'b&w', count: 250 },
        { name: 'new tag', count: 10 },
        { name: 'Sunset', count: 250 },
      ]);
      expect(index.count({ tag: 'sunset' })).toBe(250);
      expect(index.removeTags(made.slice(0, 10), ['new tag', 'never-there'])).toBe(10);
      expect(index.allTags().map((tag) => tag.name)).toEqual(['b&w', 'Sunset']);
      expect(() => index.addTags(made, ['ok', ''])).toThrow(/tag/);
      expect(() => index.addTags(made, ['x'.repeat(65)])).toThrow(/tag/);
      expect(index.allTags().map((tag) => tag.name)).toEqual(['b&w', 'Sunset']);
    });

    it('sets favourites and ratings in bulk and validates ratings', async () => {
      const { db, index } = await freshIndex();
      const made = Array.from({ length: 120 }, () => index.insert(newImage()).record.id);
      expect(index.setFavourite(made.slice(0, 100), true)).toBe(100);
      expect(index.count({ favouritesOnly: true })).toBe(100);
      expect(index.setFavourite(made.slice(0, 50), false)).toBe(50);
      expect(index.count({ favouritesOnly: true })).toBe(50);
      expect(index.setRating(made.slice(0, 30), 4)).toBe(30);
      expect(index.setRating(made.slice(0, 10), 2)).toBe(10);
      expect(index.count({ minRating: 3 })).toBe(20);
      expect(index.count({ minRating: 1 })).toBe(30);
      for (const bad of [6, -1, 1.5, Number.NaN]) expect(() => index.setRating(made, bad)).toThrow(/rating/);
      // Bulk operations compose inside a caller's transaction, and roll back with it.
      expect(() =>
        transaction(db, () => {
          index.setFavourite(made, true);
          index.addTags(made, ['doomed']);
          throw new Error('changed my mind');
        }),
      ).toThrow('changed my mind');
      expect(index.count({ favouritesOnly: true })).toBe(50);
      expect(index.allTags()).toEqual([]);
      expect(index.setRating(made.slice(0, 30), 0)).toBe(30);
      expect(index.count({ minRating: 1 })).toBe(0);
      expect(index.get(made[0] as string)).toMatchObject({ favourite: false, rating: 0 });
    });
  });

  describe('reconcile and lineage', () => {
    it('tracks missing files, paths and file info', async () => {
      const { index } = await freshIndex();
      const a = index.insert(newImage()).record;
      const b = index.insert(newImage()).record;
      expect(index.markMissing([a.id, 'nope'])).toBe(1);
      expect(ids(index.query({ status: 'missing' }, null, 10).items)).toEqual([a.id]);
      expect(index.markPresent([a.id])).toBe(1);
      expect(index.count({ status: 'missing' })).toBe(0);

      expect(index.setFileInfo(a.id, { fileSize: 5, fileMtimeMs: 1234, contentHash: 'abc' })).toBe(true);
      expect(index.setFileInfo(a.id, { fileSize: 6, fileMtimeMs: 1235 })).toBe(true);
      expect(index.get(a.id)).toMatchObject({ fileSize: 6, fileMtimeMs: 1235, contentHash: 'abc' });
      expect(ids(index.byContentHash('abc'))).toEqual([a.id]);

      expect(index.updatePath(a.id, '2026/02/moved.png')).toBe(true);
      expect(index.byRelPath('2026/02/moved.png')?.id).toBe(a.id);
      expect(index.byRelPath(a.relPath)).toBeNull();
      index.moveToTrash([b.id], ['.trash/b.png']);
      expect(index.updatePath(b.id, '.trash/b-renamed.png')).toBe(true);
      expect(index.allPaths()).toEqual([
        {
          id: b.id,
          relPath: '.trash/b-renamed.png',
          fileSize: b.bytes,
          fileMtimeMs: null,
          status: 'ok',
          trashed: true,
        },
        {
          id: a.id,
          relPath: '2026/02/moved.png',
          fileSize: 6,
          fileMtimeMs: 1235,
          status: 'ok',
          trashed: false,
        },
      ]);
      expect(index.restore([b.id])).toEqual([{ id: b.id, from: '.trash/b-renamed.png', to: b.relPath }]);
      expect(index.updatePath('nope', 'x.png')).toBe(false);

      index.addTags([a.id], ['gone-soon']);
      index.markMissing([a.id]);
      expect(index.deleteMissing([a.id, b.id, 'nope'])).toEqual([a.id]);
      expect(index.get(a.id)).toBeNull();
      expect(index.get(b.id)).not.toBeNull();
      expect(index.allTags()).toEqual([]);
    });

    it('answers parents and children', async () => {
      const { index } = await freshIndex();
      const a = index.insert(newImage()).record;
      const b = index.insert(newImage({ parents: [a.id] })).record;
      const c = index.insert(newImage({ parents: [b.id, a.id] })).record;
      const d = index.insert(newImage({ parents: ['purged-long-ago'] })).record;
      expect(ids(index.children(a.id))).toEqual([b.id, c.id]);
      expect(ids(index.children(c.id))).toEqual([]);
      expect(ids(index.parents(c.id))).toEqual([b.id, a.id]);
      expect(ids(index.parents(d.id))).toEqual([]);
      expect(index.parents('nope')).toEqual([]);
      index.moveToTrash([b.id], ['.trash/b.png']);
      index.purge([b.id]);
      expect(ids(index.children(a.id))).toEqual([c.id]);
      expect(ids(index.parents(c.id))).toEqual([a.id]);
      expect(index.get(c.id)?.parents).toEqual([b.id, a.id]);
    });
  });

  describe('query plans', () => {
    it('serves pages from an index in order: no temp b-tree for ORDER BY', async () => {
      const { db, index } = await freshIndex();
      seedImages(db, 200, { seed: 9 });
      const key = index.query({}, null, 1).items[0] as ImageRecord;
      const cursor = { createdAt: key.createdAt, id: key.id };
      const plan = (q: ImageQuery, c: GalleryPageCursor | null): string => {
        const { sql, args } = pageSql(q, c);
        return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args, 201) as unknown as { detail: string }[])
          .map((row) => row.detail)
          .join(' | ');
      };
      const main = plan({}, null);
      expect(main).toMatch(/SEARCH i USING INDEX images_browse \(trashed=\?\)/);
      expect(plan({}, { after: cursor })).toMatch(
        /USING INDEX images_browse \(trashed=\? AND \(created_at,id\)<\(\?,\?\)\)/,
      );
      expect(plan({}, { before: cursor })).toMatch(
        /USING INDEX images_browse \(trashed=\? AND \(created_at,id\)>\(\?,\?\)\)/,
      );
      const expectations: [ImageQuery, RegExp][] = [
        [{}, /images_browse/],
        [{ sort: 'oldest' }, /images_browse/],
        [{ models: ['nano-banana-pro'] }, /images_model \(trashed=\? AND model=\?/],
        [{ aspectRatios: ['16:9'] }, /images_aspect \(trashed=\? AND aspect_ratio=\?/],
        [{ favouritesOnly: true }, /images_favourite/],
        [{ minRating: 2 }, /images_rated/],
        [{ status: 'missing' }, /images_missing/],
        [{ origin: 'imported' }, /images_imported/],
        [{ origin: 'demo' }, /images_demo/],
        [
          { from: '2025-01-01T00:00:00Z', to: '2025-12-31T00:00:00Z' },
          /images_browse \(trashed=\? AND created_at>\? AND created_at<\?\)/,
        ],
        [{ albumId: 'x' }, /album_images_order \(album_id=\?/],
        [{ tag: 'cat' }, /image_tags_order \(tag_id=\?/],
        [{ text: 'lighthouse' }, /images_browse/],
        [{ text: '香蕉', models: ['nano-banana-pro'] }, /images_model/],
      ];
      for (const [q, index_] of expectations) {
        for (const c of [null, { after: cursor }, { before: cursor }]) {
          const detail = plan(q, c);
          expect({ q, detail }).toEqual({ q, detail: expect.stringMatching(index_) });
          expect({ q, detail }).toEqual({
            q,
            detail: expect.not.stringMatching(/TEMP B-TREE|SCAN i\b|SCAN d\b/),
          });
        }
      }
    });
  });
});

describe('search text parsing', () => {
  it('quotes every term, pads short ones to a gram, and drops duplicates', () => {
    expect(ftsQuery('  香蕉 a "b" AND 1% 100%  ')).toEqual({
      text: `"""b""" "AND" "100%"`,
      grams: `"香蕉${GRAM_PAD}" "a${GRAM_PAD}${GRAM_PAD}" "1%${GRAM_PAD}"`,
    });
    expect(ftsQuery('猫 Cat cat CAT')).toEqual({ text: '"Cat"', grams: `"猫${GRAM_PAD}${GRAM_PAD}"` });
    expect(ftsQuery(`x${GRAM_PAD}yz`)).toEqual({
      text: null,
      grams: `"x${GRAM_PAD}${GRAM_PAD}" "yz${GRAM_PAD}"`,
    });
    expect(ftsQuery(' \t ')).toEqual({ text: null, grams: null });
  });

  it('indexes each distinct 1- and 2-character substring once, never across whitespace', () => {
    const grams = ftsGrams('一只香蕉猫 Cat 香蕉');
    expect(grams).toContain(`香蕉${GRAM_PAD}`);
    expect(grams).toContain(`猫${GRAM_PAD}${GRAM_PAD}`);
    expect(grams).toContain(`at${GRAM_PAD}`);
    expect(grams).not.toContain(`猫 `);
    expect(grams).not.toContain('Cat');
    expect(grams.split(`香蕉${GRAM_PAD}`)).toHaveLength(2);
    const chars = Array.from(grams);
    expect(chars.length % 3).toBe(0);
    chars.forEach((char, n) => {
      if (n % 3 === 0) expect(char).not.toBe(GRAM_PAD);
      if (n % 3 === 2) expect(char).toBe(GRAM_PAD);
    });
  });
});

function ids(records: readonly { id: string }[]): string[] {
  return records.map((record) => record.id);
}
