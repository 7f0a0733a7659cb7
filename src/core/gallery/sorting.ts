import type { SQLInputValue } from 'node:sqlite';
import { modelSortKey, type GalleryCursor, type GallerySort } from '@shared/domain/image';
import { AppError } from '@shared/ipc/result';

/**
 * The gallery's sort orders as SQL: the key columns of each, the keyset condition that starts a
 * page after (or before) a cursor, and the cursor of an item. Every sort is a tuple of columns
 * read in one direction, ending in (created_at, id) so that ties are broken and the order is
 * total; each tuple is an index of its own (images_browse, images_rating_order,
 * images_model_order), so a page is a range walk of that index, the same cost at any depth.
 *
 * An album or tag query walks its link table, which holds only (created_at, id): sorted by rating
 * or model it is sorted as a whole, a cost that grows with the album, not with the library.
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

/**
 * The condition and ORDER BY of one page: from `cursor` on in the sort's direction, or for a
 * `before` page from it backwards (read in reverse and flipped by the caller). A row-value
 * comparison over the whole key is what lets SQLite start the walk at the cursor in the index.
 */
export function keyset(
  order: SortOrder,
  cursor: { key: GalleryCursor; backwards: boolean } | null,
): { condition: string | null; args: SQLInputValue[]; orderBy: string } {
  const descending = order.descending !== (cursor?.backwards ?? false);
  const direction = descending ? 'DESC' : 'ASC';
  const orderBy = order.columns.map((column) => `${column} ${direction}`).join(', ');
  if (cursor === null) return { condition: null, args: [], orderBy };
  const tuple = `(${order.columns.join(', ')})`;
  const marks = `(${order.columns.map(() => '?').join(', ')})`;
  return {
    condition: `${tuple} ${descending ? '<' : '>'} ${marks}`,
    args: order.values(cursor.key),
    orderBy,
  };
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
 * The others must not read it as a range of images_rating_order, which SQLite would then sort:
 * `+` hides a term from index ranges, and likely() hides `rating > 0` while still letting the
 * partial images_rated (WHERE rating > 0) serve the date sorts.
 */
export function minRatingTerms(sort: GallerySort): string[] {
  if (sort === 'rating') return ['i.rating >= ?'];
  if (sort === 'model') return ['+i.rating >= ?'];
  return ['likely(i.rating > 0)', '+i.rating >= ?'];
}

/**
 * The column a model filter compares. Sorted by model it is model_order, which equals the model
 * for every id a filter can name (never the unknown model): the filter is then a range of the
 * sort's own index.
 */
export function modelFilterColumn(sort: GallerySort): string {
  return sort === 'model' ? 'i.model_order' : 'i.model';
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
