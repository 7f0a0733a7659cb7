import type { GalleryImage, GallerySort } from '@shared/domain/image';

/**
 * What a header names: the day of its images for the date sorts, their rating or their model
 * for the rating and model sorts (the images arrive grouped that way).
 */
export type GroupLabel =
  { kind: 'day'; createdAt: string } | { kind: 'rating'; rating: number } | { kind: 'model'; model: string };

/**
 * The grid as rows: a header for each group (day, rating or model), then rows of `columns`
 * tiles. Every row has a fixed height, so the virtualizer never measures; only the rows in view
 * are mounted.
 */
export type GridRow =
  | { kind: 'header'; key: string; group: GroupLabel }
  | { kind: 'tiles'; key: string; start: number; end: number };

export interface GridLayout {
  rows: GridRow[];
  columns: number;
  sort: GallerySort;
  /** Row index of each tile row, in order. */
  tileRows: number[];
  /** First item index of each tile row, in order (ascending: binary-searchable). */
  tileStarts: number[];
}

export type GridMove = 'left' | 'right' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

const dayKeys = new WeakMap<GalleryImage, string>();

/** The local calendar day of an image, cached per image object (the layout is rebuilt per page). */
export function dayKeyOf(image: GalleryImage): string {
  let key = dayKeys.get(image);
  if (key === undefined) {
    const date = new Date(image.createdAt);
    key = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    dayKeys.set(image, key);
  }
  return key;
}

/** Which group an image is in under `sort`: its local day, its rating, or its model. */
function groupKeyOf(image: GalleryImage, sort: GallerySort): string {
  if (sort === 'rating') return `rating:${image.rating}`;
  if (sort === 'model') return `model:${image.params.model}`;
  return dayKeyOf(image);
}

function groupLabel(image: GalleryImage, sort: GallerySort): GroupLabel {
  if (sort === 'rating') return { kind: 'rating', rating: image.rating };
  if (sort === 'model') return { kind: 'model', model: image.params.model };
  return { kind: 'day', createdAt: image.createdAt };
}

export function buildLayout(
  items: readonly GalleryImage[],
  columns: number,
  sort: GallerySort = 'newest',
): GridLayout {
  const layout: GridLayout = {
    rows: [],
    columns: Math.max(1, Math.floor(columns)),
    sort,
    tileRows: [],
    tileStarts: [],
  };
  appendFrom(layout, items, 0);
  return layout;
}

/** Lays out `items` from index `from` (the start of a group) onto the end of `layout`. */
function appendFrom(layout: GridLayout, items: readonly GalleryImage[], from: number): void {
  const { rows, tileRows, tileStarts, columns, sort } = layout;
  let index = from;
  while (index < items.length) {
    const first = items[index] as GalleryImage;
    const group = groupKeyOf(first, sort);
    rows.push({ kind: 'header', key: `h:${group}:${first.id}`, group: groupLabel(first, sort) });
    let end = index;
    while (end < items.length && groupKeyOf(items[end] as GalleryImage, sort) === group) end += 1;
    for (let start = index; start < end; start += columns) {
      tileRows.push(rows.length);
      tileStarts.push(start);
      const key = `t:${(items[start] as GalleryImage).id}`;
      rows.push({ kind: 'tiles', key, start, end: Math.min(end, start + columns) });
    }
    index = end;
  }
}

let previous: { items: readonly GalleryImage[]; layout: GridLayout } | null = null;

function extendsPrevious(before: readonly GalleryImage[], items: readonly GalleryImage[]): boolean {
  if (before.length === 0 || items.length <= before.length) return false;
  for (let index = 0; index < before.length; index += 1) if (before[index] !== items[index]) return false;
  return true;
}

/**
 * `buildLayout`, but when the items only grew at the end (the next page came in) the previous
 * layout is kept up to its last group, which is laid out again with the new items. Paging deep
 * into a big library then costs about a page, not the whole library.
 */
export function layoutFor(
  items: readonly GalleryImage[],
  columns: number,
  sort: GallerySort = 'newest',
): GridLayout {
  const perRow = Math.max(1, Math.floor(columns));
  const last = previous;
  let layout: GridLayout;
  if (
    last &&
    last.layout.columns === perRow &&
    last.layout.sort === sort &&
    extendsPrevious(last.items, items)
  ) {
    const header = last.layout.rows.findLastIndex((row) => row.kind === 'header');
    const kept = last.layout.tileRows.findLastIndex((row) => row < header) + 1;
    const from = last.layout.tileStarts[kept] ?? 0;
    layout = {
      rows: last.layout.rows.slice(0, header),
      columns: perRow,
      sort,
      tileRows: last.layout.tileRows.slice(0, kept),
      tileStarts: last.layout.tileStarts.slice(0, kept),
    };
    appendFrom(layout, items, from);
  } else {
    layout = buildLayout(items, perRow, sort);
  }
  previous = { items, layout };
  return layout;
}

/** The ordinal (among tile rows) of the tile row holding item `index`. */
function tileOrdinal(layout: GridLayout, index: number): number {
  let low = 0;
  let high = layout.tileStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((layout.tileStarts[middle] as number) <= index) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The layout row (for scrolling into view) of item `index`. */
export function rowOfItem(layout: GridLayout, index: number): number {
  return layout.tileRows[tileOrdinal(layout, index)] ?? 0;
}

function rowLength(layout: GridLayout, ordinal: number): number {
  const row = layout.rows[layout.tileRows[ordinal] as number];
  return row?.kind === 'tiles' ? row.end - row.start : 0;
}

/**
 * Where the keyboard focus goes from item `index`. Up/down keep the column where the row is
 * long enough (day groups end in short rows), skipping the day headers.
 */
export function moveIndex(layout: GridLayout, index: number, move: GridMove, pageRows = 1): number {
  const count = layout.tileStarts.length === 0 ? 0 : lastIndex(layout) + 1;
  if (count === 0) return -1;
  const clamp = (value: number) => Math.min(count - 1, Math.max(0, value));
  if (index < 0) return 0;
  switch (move) {
    case 'left':
      return clamp(index - 1);
    case 'right':
      return clamp(index + 1);
    case 'home':
      return 0;
    case 'end':
      return count - 1;
    default: {
      const step = move === 'up' ? -1 : move === 'down' ? 1 : move === 'pageUp' ? -pageRows : pageRows;
      const ordinal = tileOrdinal(layout, index);
      const column = index - (layout.tileStarts[ordinal] as number);
      const target = Math.min(layout.tileStarts.length - 1, Math.max(0, ordinal + step));
      if (target === ordinal) return index;
      return (layout.tileStarts[target] as number) + Math.min(column, rowLength(layout, target) - 1);
    }
  }
}

function lastIndex(layout: GridLayout): number {
  const last = layout.rows[layout.tileRows[layout.tileRows.length - 1] as number];
  return last?.kind === 'tiles' ? last.end - 1 : -1;
}
