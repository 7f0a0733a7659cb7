import type { SQLInputValue } from 'node:sqlite';
import {
  modelSortKey,
  type GalleryCursor,
  type GalleryPageCursor,
  type GallerySort,
  type ImageQuery,
} from '@shared/domain/image';
import { AppError } from '@shared/ipc/result';

/**
 * The gallery's sort orders as SQL: the key columns of each, the keyset condition that starts a
 * page after (or before) a cursor, and the cursor of an item. Every sort is a tuple of columns
 * read in one direction, ending in (created_at, id) so that ties are broken and the order is
 * total; each tuple is an index of its own (images_browse, images_rating_order,
 * images_model_order), so a page is a range walk of that index, the same cost at any depth.
 *
 * The filters that keep to such a walk: models and search (the walk checks each row) and the
 * minimum rating (the rating sort starts at the bound; the others walk a partial index of the
 * rated images in their own order, see minRatingTerms). Other filters pick out a subset SQLite finds
 * quicker from their own index and sorts: favourites, missing, imported and demo images, and an
 * album or tag (whose link table holds only created_at and id), a cost that grows with the
 * subset, not with the library.
 */

/** Where the query reads the time and id it pages by: the images table, or a link table's copy. */
export interface KeyColumns {
  createdAt: string;
  id: string;
}

export interface SortOrder {
  /** Key expressions, most significant first. */
  columns: string[];
  /** The sort reads them largest first. */
  descending: boolean;
  /** The cursor's values for `columns`, in order; VALIDATION if it lacks this sort's key. */
  values(cursor: GalleryCursor): SQLInputValue[];
}

export function sortOrder(sort: GallerySort, keys: KeyColumns): SortOrder {
  const time = (cursor: GalleryCursor): SQLInputValue[] => [cursor.createdAt, cursor.id];
  switch (sort) {
    case 'newest':
    case 'oldest':
      return { columns: [keys.createdAt, keys.id], descending: sort === 'newest', values: time };
    case 'rating':
      return {
        columns: ['i.rating', keys.createdAt, keys.id],
        descending: true,
        values: (cursor) => [required(cursor.rating, sort), ...time(cursor)],
      };
    case 'model':
      return {
        columns: ['i.model_order', keys.createdAt, keys.id],
        descending: true,
        values: (cursor) => [modelSortKey(required(cursor.model, sort)), ...time(cursor)],
      };
  }
}

export interface Keyset {
  /** The cursor's condition, or null for the first page. */
  condition: string | null;
  args: SQLInputValue[];
  orderBy: string;
  /** The condition also holds the minimum rating: the query must not add its own. */
  holdsMinRating: boolean;
}

/**
 * The condition and ORDER BY of one page of `q`: from the cursor on in the sort's direction, or
 * for a `before` page from it backwards (read in reverse and flipped by the caller). A row-value
 * comparison over the key is what lets SQLite start the walk at the cursor in the index, so it
 * is kept to what SQLite can use as a range:
 * - one model sorted by model fixes the first key column (`model_order = ?`): the comparison is
 *   over the rest, or SQLite would use only the equality and scan the group from its start;
 * - by rating, a `before` page of "★ n and up" has two lower bounds (the rating and the cursor)
 *   of which SQLite ranges over one: the higher of the two is the only one written.
 */
export function keyset(q: ImageQuery, keys: KeyColumns, cursor: GalleryPageCursor | null): Keyset {
  const sort = q.sort ?? 'newest';
  const order = sortOrder(sort, keys);
  const backwards = cursor !== null && 'before' in cursor;
  const descending = order.descending !== backwards;
  const direction = descending ? 'DESC' : 'ASC';
  const orderBy = order.columns.map((column) => `${column} ${direction}`).join(', ');
  if (cursor === null) return { condition: null, args: [], orderBy, holdsMinRating: false };
  const key = 'before' in cursor ? cursor.before : cursor.after;
  let columns = order.columns;
  let values = order.values(key);
  let holdsMinRating = false;
  if (sort === 'model' && q.models?.length === 1) {
    columns = columns.slice(1);
    values = values.slice(1);
  }
  if (sort === 'rating' && backwards && q.minRating !== undefined) {
    holdsMinRating = true;
    // The lowest key of the lowest rating let in: every created_at and id is above ''.
    if ((key.rating ?? 0) < q.minRating) values = [q.minRating, '', ''];
  }
  const tuple = `(${columns.join(', ')})`;
  const marks = `(${columns.map(() => '?').join(', ')})`;
  return { condition: `${tuple} ${descending ? '<' : '>'} ${marks}`, args: values, orderBy, holdsMinRating };
}

/** The cursor of an item in `sort`: its key, and nothing the sort does not page by. */
export function cursorOf(
  record: { createdAt: string; id: string; rating: number; params: { model: string } },
  sort: GallerySort,
): GalleryCursor {
  const key: GalleryCursor = { createdAt: record.createdAt, id: record.id };
  if (sort === 'rating') key.rating = record.rating;
  if (sort === 'model') key.model = record.params.model;
  return key;
}

/**
 * The minimum-rating condition for `sort`. The rating sort walks its own index from the bound.
 * The others walk a partial index of the rated images in their order (images_rated,
 * images_model_rated: WHERE rating > 0), and must not read the condition as a range of
 * images_rating_order, which SQLite would then sort: `+` hides a term from index ranges, and
 * likely() hides `rating > 0` while still letting the partial index serve.
 */
export function minRatingTerms(sort: GallerySort): string[] {
  if (sort === 'rating') return ['i.rating >= ?'];
  return ['likely(i.rating > 0)', '+i.rating >= ?'];
}

/**
 * The column a model filter of `count` models compares. Sorted by model, one model is a range of
 * the sort's own index: model_order equals the model for every id a filter can name (never the
 * unknown model). Several are checked row by row (+ keeps SQLite off images_model, which would
 * need a sort), since a list of ranges cannot start at the cursor.
 */
export function modelFilterColumn(sort: GallerySort, count: number): string {
  if (sort !== 'model') return 'i.model';
  return count === 1 ? 'i.model_order' : '+i.model';
}

function required<T>(value: T | undefined, sort: GallerySort): T {
  if (value === undefined) {
    throw new AppError(
      'VALIDATION',
      `This page cursor is not from the “${sort}” sort; start from the first page.`,
      {
        field: 'cursor',
        sort,
      },
    );
  }
  return value;
}
