import { UNKNOWN_MODEL, type GalleryImage } from '@shared/domain/image';
import { MODEL_IDS, type ModelId } from '@shared/domain/models';
import { describe, expect, it } from 'vitest';
import {
  applyChange,
  applyChangeCounted,
  compareInSort,
  hasFilters,
  idsOf,
  insertSorted,
  matchesLocally,
  mergePage,
  patchFields,
  placeAdded,
} from './galleryPages';
import { newestFirst, testImage } from './testImages';

const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe('mergePage (keyset pages)', () => {
  it('appends an `after` page and prepends a `before` page', () => {
    const loaded = newestFirst(5, 9);
    expect(ids(mergePage(loaded, newestFirst(1, 4), 'after'))).toEqual(ids(newestFirst(1, 9)));
    expect(ids(mergePage(loaded, newestFirst(10, 12), 'before'))).toEqual(ids(newestFirst(5, 12)));
  });

  it('does not list an image twice, and keeps the fresher copy', () => {
    const loaded = newestFirst(5, 9);
    const page = [testImage(5, { favourite: true }), ...newestFirst(3, 4)];
    const merged = mergePage(loaded, page, 'after');
    expect(ids(merged)).toEqual(ids(newestFirst(3, 9)));
    expect(merged.find((item) => item.id === testImage(5).id)?.favourite).toBe(true);
  });

  it('returns the same array for an empty page', () => {
    const loaded = newestFirst(1, 3);
    expect(mergePage(loaded, [], 'after')).toBe(loaded);
  });
});

describe('applyChange (gallery.changed)', () => {
  it('patches loaded images by id and drops removed ids', () => {
    const loaded = newestFirst(1, 5);
    const next = applyChange(
      loaded,
      { images: [testImage(3, { rating: 5 })], removedIds: [testImage(4).id, 'not-loaded'] },
      {},
      false,
    );
    expect(ids(next)).toEqual(ids([testImage(5), testImage(3), testImage(2), testImage(1)]));
    expect(next[1]?.rating).toBe(5);
  });

  it('drops a changed image that no longer matches the query', () => {
    const loaded = [testImage(2, { favourite: true }), testImage(1, { favourite: true })];
    const next = applyChange(
      loaded,
      { images: [testImage(2, { favourite: false })], removedIds: [] },
      { favouritesOnly: true },
      false,
    );
    expect(ids(next)).toEqual([testImage(1).id]);
  });

  it('inserts a changed image that now matches, in sort order', () => {
    const loaded = [testImage(5, { favourite: true }), testImage(1, { favourite: true })];
    const next = applyChange(
      loaded,
      { images: [testImage(3, { favourite: true })], removedIds: [] },
      { favouritesOnly: true, sort: 'newest' },
      false,
    );
    expect(ids(next)).toEqual(ids([testImage(5), testImage(3), testImage(1)]));
  });

  it('leaves unknown images out when the match depends on core (search)', () => {
    const loaded = newestFirst(1, 2);
    const next = applyChange(loaded, { images: [testImage(3)], removedIds: [] }, { text: 'cat' }, false);
    expect(next).toBe(loaded);
  });

  it('returns the same array when nothing loaded changed', () => {
    const loaded = newestFirst(1, 3);
    expect(applyChange(loaded, { images: [], removedIds: ['x'] }, {}, true)).toBe(loaded);
  });

  it('patchFields applies optimistic values', () => {
    const loaded = newestFirst(1, 3);
    const { items: next, delta } = patchFields(loaded, [testImage(2).id], { favourite: true }, {}, false);
    expect(next.map((item) => item.favourite)).toEqual([false, true, false]);
    expect(delta).toBe(0);
  });
});

describe('the rating and model sorts in the renderer', () => {
  const rated = (n: number, rating: number) => testImage(n, { rating });
  const made = (n: number, model: ModelId | typeof UNKNOWN_MODEL) =>
    testImage(n, { params: { ...testImage(n).params, model } });
  const sorted = (images: GalleryImage[], sort: 'rating' | 'model') =>
    ids([...images].sort((a, b) => compareInSort(a, b, sort)));

  it('compareInSort: highest rated first, unrated last; models largest id first, unknown last; newest within', () => {
    expect(sorted([rated(1, 0), rated(2, 5), rated(3, 3), rated(4, 5), rated(5, 0)], 'rating')).toEqual(
      ids([rated(4, 5), rated(2, 5), rated(3, 3), rated(5, 0), rated(1, 0)]),
    );
    const images = [
      made(1, 'google/nano-banana'),
      made(2, UNKNOWN_MODEL),
      made(3, 'nano-banana-pro'),
      made(4, 'google/nano-banana'),
      made(5, 'nano-banana-2'),
      made(6, 'google/nano-banana-edit'),
    ];
    expect(sorted(images, 'model')).toEqual(
      ids([images[2], images[4], images[5], images[3], images[0], images[1]] as GalleryImage[]),
    );
  });

  it('a re-rated image moves to its new place, and still counts as a match', () => {
    const loaded = [rated(5, 5), rated(4, 3), rated(3, 3), rated(2, 1)];
    const up = applyChangeCounted(
      loaded,
      { images: [rated(2, 4)], removedIds: [] },
      { sort: 'rating' },
      false,
    );
    expect(ids(up.items)).toEqual(ids([rated(5, 5), rated(2, 4), rated(4, 3), rated(3, 3)]));
    expect(up.delta).toBe(0);
    // Down past the loaded pages: left for paging to bring back, not lost from the count.
    const down = applyChangeCounted(
      loaded,
      { images: [rated(5, 0)], removedIds: [] },
      { sort: 'rating' },
      true,
    );
    expect(ids(down.items)).toEqual(ids([rated(4, 3), rated(3, 3), rated(2, 1)]));
    expect(down.delta).toBe(0);
    // The same push sorted by date just patches it in place.
    const byDate = applyChange(loaded, { images: [rated(2, 4)], removedIds: [] }, { sort: 'newest' }, false);
    expect(ids(byDate)).toEqual(ids(loaded));
  });

  it('with ★ 3 and up, a rating below leaves and one above arrives in order', () => {
    const loaded = [rated(5, 5), rated(4, 3)];
    const query = { sort: 'rating' as const, minRating: 3 };
    const change = { images: [rated(4, 2), rated(1, 4)], removedIds: [] };
    const next = applyChangeCounted(loaded, change, query, false);
    expect(ids(next.items)).toEqual(ids([rated(5, 5), rated(1, 4)]));
    expect(next.delta).toBe(0);
    expect(applyChangeCounted(loaded, { images: [], removedIds: [rated(4, 3).id] }, query, false).delta).toBe(
      -1,
    );
  });

  it('mergePage keeps the fast path for pages in rating order', () => {
    const first = [rated(9, 5), rated(8, 4)];
    const page = [rated(7, 4), rated(6, 1)];
    expect(ids(mergePage(first, page, 'after', 'rating'))).toEqual(ids([...first, ...page]));
    expect(ids(insertSorted(first, rated(10, 4), 'rating', false))).toEqual(
      ids([rated(9, 5), rated(10, 4), rated(8, 4)]),
    );
  });
});

describe('matching and placing new images', () => {
  it('matchesLocally checks what the image says and defers search, album and tag', () => {
    const image = testImage(1, { demo: true, rating: 3 });
    expect(matchesLocally(image, {})).toBe(true);
    expect(matchesLocally(image, { origin: 'demo' })).toBe(true);
    expect(matchesLocally(image, { origin: 'generated' })).toBe(false);
    expect(matchesLocally(image, { origin: 'imported' })).toBe(false);
    expect(matchesLocally(image, { minRating: 4 })).toBe(false);
    expect(matchesLocally(image, { models: ['nano-banana-pro'] })).toBe(false);
    expect(matchesLocally(image, { aspectRatios: ['1:1'] })).toBe(true);
    expect(matchesLocally(image, { from: '2027-01-01T00:00:00.000Z' })).toBe(false);
    expect(matchesLocally(image, { to: '2025-01-01T00:00:00.000Z' })).toBe(false);
    expect(matchesLocally(image, { status: 'missing' })).toBe(false);
    expect(matchesLocally(image, { text: 'cat' })).toBeNull();
    expect(matchesLocally(image, { albumId: 'a' })).toBeNull();
    expect(matchesLocally(image, { tag: 't', favouritesOnly: true })).toBe(false);
    const photo = testImage(2, { origin: 'imported', params: { ...image.params, model: 'unknown' } });
    expect(matchesLocally(photo, { models: [...MODEL_IDS] })).toBe(false);
    expect(matchesLocally(photo, { origin: 'imported' })).toBe(true);
  });

  it('placeAdded inserts, notifies or ignores', () => {
    expect(placeAdded(testImage(1), { sort: 'newest' })).toBe('insert');
    expect(placeAdded(testImage(1), { text: 'fox' })).toBe('notify');
    expect(placeAdded(testImage(1), { favouritesOnly: true })).toBe('ignore');
  });

  it('insertSorted puts the image at its place for either sort', () => {
    const newest = [testImage(9), testImage(5), testImage(1)];
    expect(ids(insertSorted(newest, testImage(10), 'newest', true))[0]).toBe(testImage(10).id);
    expect(ids(insertSorted(newest, testImage(3), 'newest', false))).toEqual(
      ids([testImage(9), testImage(5), testImage(3), testImage(1)]),
    );
    const oldest = [testImage(1), testImage(5)];
    expect(ids(insertSorted(oldest, testImage(3), 'oldest', false))).toEqual(
      ids([testImage(1), testImage(3), testImage(5)]),
    );
  });

  it('insertSorted leaves an image past the loaded pages to paging', () => {
    const loaded = [testImage(9), testImage(5)];
    expect(insertSorted(loaded, testImage(2), 'newest', true)).toBe(loaded);
    expect(ids(insertSorted(loaded, testImage(2), 'newest', false))).toHaveLength(3);
  });

  it('insertSorted replaces an image already loaded instead of adding it again', () => {
    const loaded = [testImage(9), testImage(5)];
    const next = insertSorted(loaded, testImage(5, { rating: 2 }), 'newest', false);
    expect(ids(next)).toEqual(ids(loaded));
    expect(next[1]?.rating).toBe(2);
  });

  it('ties on createdAt are ordered by id', () => {
    const at = '2026-05-01T00:00:00.000Z';
    const loaded = [testImage(1, { id: 'c', createdAt: at }), testImage(2, { id: 'a', createdAt: at })];
    expect(ids(insertSorted(loaded, testImage(3, { id: 'b', createdAt: at }), 'newest', false))).toEqual([
      'c',
      'b',
      'a',
    ]);
  });
});

describe('small helpers', () => {
  it('hasFilters ignores the sort and blank text', () => {
    expect(hasFilters({ sort: 'oldest' })).toBe(false);
    expect(hasFilters({ text: '  ' })).toBe(false);
    expect(hasFilters({ models: [] })).toBe(false);
    expect(hasFilters({ text: 'fox' })).toBe(true);
    expect(hasFilters({ favouritesOnly: true })).toBe(true);
  });

  it('idsOf is computed once per items array', () => {
    const items = newestFirst(1, 3);
    expect(idsOf(items)).toBe(idsOf(items));
    expect(idsOf(items)).toEqual(ids(items));
  });
});

describe('mergePage fast path', () => {
  it('appends a page past the loaded edge without scanning, in either sort', () => {
    const loaded = newestFirst(5, 9);
    const merged = mergePage(loaded, newestFirst(1, 4), 'after', 'newest');
    expect(merged.slice(0, 5)).toEqual(loaded);
    const oldest = [testImage(1), testImage(2)];
    expect(ids(mergePage(oldest, [testImage(3), testImage(4)], 'after', 'oldest'))).toEqual(
      ids([testImage(1), testImage(2), testImage(3), testImage(4)]),
    );
  });

  it('falls back to de-duplication when a page overlaps what is loaded', () => {
    const loaded = newestFirst(5, 9);
    expect(ids(mergePage(loaded, newestFirst(4, 6), 'after', 'newest'))).toEqual(ids(newestFirst(4, 9)));
  });
});
