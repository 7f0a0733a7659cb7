import {
  modelSortKey,
  UNKNOWN_MODEL,
  type GalleryImage,
  type GallerySort,
  type ImageQuery,
} from '@shared/domain/image';

/**
 * Pure helpers for the loaded pages of a gallery query: merging keyset pages, applying
 * pushed changes, and placing a new image. Kept free of the store and the API so they are
 * easy to test.
 */

/** Compares two images by the query's key (createdAt, then id), ascending. */
export function compareKeys(left: GalleryImage, right: GalleryImage): number {
  const byTime = Date.parse(left.createdAt) - Date.parse(right.createdAt);
  if (byTime !== 0) return byTime;
  return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
}

/**
 * Negative when `left` comes first in the given sort order: core's order (gallery/sorting.ts),
 * so that pages merge and pushed images land where the next page would have put them.
 */
export function compareInSort(left: GalleryImage, right: GalleryImage, sort: GallerySort): number {
  switch (sort) {
    case 'newest':
      return compareKeys(right, left);
    case 'oldest':
      return compareKeys(left, right);
    case 'rating':
      return right.rating - left.rating || compareKeys(right, left);
    case 'model': {
      const [a, b] = [modelSortKey(left.params.model), modelSortKey(right.params.model)];
      return a === b ? compareKeys(right, left) : a < b ? 1 : -1;
    }
  }
}

function isSorted(page: readonly GalleryImage[], sort: GallerySort): boolean {
  for (let index = 1; index < page.length; index += 1) {
    if (compareInSort(page[index - 1] as GalleryImage, page[index] as GalleryImage, sort) >= 0) return false;
  }
  return true;
}

/**
 * Merges one keyset page: `after` appends, `before` prepends. An image that is already loaded
 * is refreshed in place rather than listed twice.
 */
export function mergePage(
  items: readonly GalleryImage[],
  page: readonly GalleryImage[],
  direction: 'after' | 'before',
  sort: GallerySort = 'newest',
): GalleryImage[] {
  if (page.length === 0) return items as GalleryImage[];
  // The usual case, kept O(page) for big libraries: the page lies wholly past the loaded edge,
  // so nothing in it can be loaded already.
  const edge = direction === 'after' ? items[items.length - 1] : items[0];
  const pageEdge = direction === 'after' ? page[0] : page[page.length - 1];
  if (edge && pageEdge && isSorted(page, sort)) {
    const order = compareInSort(edge, pageEdge, sort);
    if (direction === 'after' && order < 0) return [...items, ...page];
    if (direction === 'before' && order > 0) return [...page, ...items];
  }
  const incoming = new Map(page.map((image) => [image.id, image]));
  let refreshed = false;
  const kept = items.map((item) => {
    const fresh = incoming.get(item.id);
    if (!fresh) return item;
    incoming.delete(item.id);
    refreshed = true;
    return fresh;
  });
  const added = page.filter((image) => incoming.has(image.id));
  const base = refreshed ? kept : (items as GalleryImage[]);
  return direction === 'after' ? [...base, ...added] : [...added, ...base];
}

/** Does the query ask for anything beyond the sort order? */
export function hasFilters(query: ImageQuery): boolean {
  return (
    (query.text ?? '').trim() !== '' ||
    (query.models?.length ?? 0) > 0 ||
    (query.aspectRatios?.length ?? 0) > 0 ||
    query.from !== undefined ||
    query.to !== undefined ||
    query.favouritesOnly === true ||
    query.minRating !== undefined ||
    query.albumId !== undefined ||
    query.tag !== undefined ||
    query.origin !== undefined ||
    query.status !== undefined
  );
}

/**
 * Whether an image matches the query, as far as the renderer can tell from the image alone:
 * `null` when it depends on things only core knows (search text, album, tag).
 */
export function matchesLocally(image: GalleryImage, query: ImageQuery): boolean | null {
  if (query.favouritesOnly === true && !image.favourite) return false;
  if (query.minRating !== undefined && image.rating < query.minRating) return false;
  if (query.models?.length) {
    // An image of unknown model matches no model filter.
    const model = image.params.model;
    if (model === UNKNOWN_MODEL || !query.models.includes(model)) return false;
  }
  if (query.aspectRatios?.length && !query.aspectRatios.includes(image.params.aspectRatio)) return false;
  const time = Date.parse(image.createdAt);
  if (query.from !== undefined && time < Date.parse(query.from)) return false;
  if (query.to !== undefined && time > Date.parse(query.to)) return false;
  if (query.status !== undefined && image.status !== query.status) return false;
  if (query.origin === 'demo' && !image.demo) return false;
  if (query.origin === 'generated' && (image.demo || image.origin !== 'generated')) return false;
  if (query.origin === 'imported' && image.origin !== 'imported') return false;
  if ((query.text ?? '').trim() !== '' || query.albumId !== undefined || query.tag !== undefined) return null;
  return true;
}

export interface GalleryChange {
  images: readonly GalleryImage[];
  removedIds: readonly string[];
}

/**
 * Applies a `gallery.changed` push to the loaded items: changed images are replaced by id
 * (or dropped when they no longer match the query), removed ids are dropped, and a changed
 * image that is not loaded but now matches (restored, newly favourited…) is inserted in order.
 * An image whose sort key changed (re-rated, sorted by rating) moves to its new place, or is
 * left to paging when that place is past the loaded pages. Returns the same array when nothing
 * changed, so subscribers do not re-render.
 */
export function applyChange(
  items: readonly GalleryImage[],
  change: GalleryChange,
  query: ImageQuery,
  hasMore: boolean,
): GalleryImage[] {
  return applyChangeCounted(items, change, query, hasMore).items;
}

/**
 * applyChange, with how many images the change added to the query's matches (negative when it
 * took some away): a loaded image that moved is still a match, wherever it went.
 */
export function applyChangeCounted(
  items: readonly GalleryImage[],
  change: GalleryChange,
  query: ImageQuery,
  hasMore: boolean,
): { items: GalleryImage[]; delta: number } {
  if (change.images.length === 0 && change.removedIds.length === 0)
    return { items: items as GalleryImage[], delta: 0 };
  const sort = query.sort ?? 'newest';
  const removed = new Set(change.removedIds);
  const patches = new Map(change.images.map((image) => [image.id, image]));
  const moved: GalleryImage[] = [];
  let touched = false;
  let delta = 0;
  let next: GalleryImage[] = [];
  for (const item of items) {
    if (removed.has(item.id)) {
      touched = true;
      delta -= 1;
      continue;
    }
    const patch = patches.get(item.id);
    if (!patch) {
      next.push(item);
      continue;
    }
    patches.delete(item.id);
    touched = true;
    if (matchesLocally(patch, query) === false) delta -= 1;
    else if (compareInSort(item, patch, sort) === 0) next.push(patch);
    else moved.push(patch);
  }
  if (!touched) next = items as GalleryImage[];
  for (const image of moved) next = insertSorted(next, image, sort, hasMore);
  for (const image of patches.values()) {
    if (removed.has(image.id) || matchesLocally(image, query) !== true) continue;
    const before = next.length;
    next = insertSorted(next, image, sort, hasMore);
    delta += next.length - before;
  }
  return { items: next, delta };
}

/** Applies the same field values to the loaded images with these ids (optimistic updates). */
export function patchFields(
  items: readonly GalleryImage[],
  ids: readonly string[],
  fields: Partial<Pick<GalleryImage, 'favourite' | 'rating'>>,
  query: ImageQuery,
  hasMore: boolean,
): { items: GalleryImage[]; delta: number } {
  const wanted = new Set(ids);
  const images = items.filter((item) => wanted.has(item.id)).map((item) => ({ ...item, ...fields }));
  return applyChangeCounted(items, { images, removedIds: [] }, query, hasMore);
}

export type AddedPlacement = 'insert' | 'notify' | 'ignore';

/**
 * Where a newly added image goes. It is inserted in order when the renderer can tell it
 * matches; when that depends on core (search, album, tag) the user gets a "new images" pill.
 */
export function placeAdded(image: GalleryImage, query: ImageQuery): AddedPlacement {
  const match = matchesLocally(image, query);
  if (match === false) return 'ignore';
  return match === true ? 'insert' : 'notify';
}

/**
 * Inserts an image at its place in the sort order. An image that would land after the last
 * loaded one while more pages exist is left for paging to bring in.
 */
export function insertSorted(
  items: readonly GalleryImage[],
  image: GalleryImage,
  sort: GallerySort,
  hasMore: boolean,
): GalleryImage[] {
  const known = items.findIndex((item) => item.id === image.id);
  if (known >= 0) return items.map((item, index) => (index === known ? image : item));
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const item = items[middle] as GalleryImage;
    if (compareInSort(item, image, sort) < 0) low = middle + 1;
    else high = middle;
  }
  if (low === items.length && hasMore) return items as GalleryImage[];
  return [...items.slice(0, low), image, ...items.slice(low)];
}

const idCache = new WeakMap<readonly GalleryImage[], string[]>();

/** The ids of the loaded items in order, computed once per items array. */
export function idsOf(items: readonly GalleryImage[]): string[] {
  let ids = idCache.get(items);
  if (!ids) {
    ids = items.map((item) => item.id);
    idCache.set(items, ids);
  }
  return ids;
}
