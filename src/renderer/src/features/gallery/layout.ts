import type { GalleryImage } from '@shared/domain/image';

/**
 * The grid as rows: a header for each day, then rows of `columns` tiles. Every row has a fixed
 * height, so the virtualizer never measures; only the rows in view are mounted.
 */
export type GridRow =
  | { kind: 'header'; key: string; day: string; createdAt: string }
  | { kind: 'tiles'; key: string; start: number; end: number };

export interface GridLayout {
  rows: GridRow[];
  columns: number;
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

export function buildLayout(items: readonly GalleryImage[], columns: number): GridLayout {
  const layout: GridLayout = {
    rows: [],
    columns: Math.max(1, Math.floor(columns)),
    tileRows: [],
    tileStarts: [],
  };
  appendFrom(layout, items, 0);
  return layout;
}

/** Lays out `items` from index `from` (the start of a day) onto the end of `layout`. */
function appendFrom(layout: GridLayout, items: readonly GalleryImage[], from: number): void {
  const { rows, tileRows, tileStarts, columns } = layout;
  let index = from;
  while (index < items.length) {
    const first = items[index] as GalleryImage;
    const day = dayKeyOf(first);
    rows.push({ kind: 'header', key: `h:${day}:${first.id}`, day, createdAt: first.createdAt });
    let end = index;
    while (end < items.length && dayKeyOf(items[end] as GalleryImage) === day) end += 1;
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
 * layout is kept up to its last day, which is laid out again with the new items. Paging deep
 * into a big library then costs about a page, not the whole library.
 */
export function layoutFor(items: readonly GalleryImage[], columns: number): GridLayout {
  const perRow = Math.max(1, Math.floor(columns));
  const last = previous;
  let layout: GridLayout;
  if (last && last.layout.columns === perRow && extendsPrevious(last.items, items)) {
    const header = last.layout.rows.findLastIndex((row) => row.kind === 'header');
    const kept = last.layout.tileRows.findLastIndex((row) => row < header) + 1;
    const from = last.layout.tileStarts[kept] ?? 0;
    layout = {
      rows: last.layout.rows.slice(0, header),
      columns: perRow,
      tileRows: last.layout.tileRows.slice(0, kept),
      tileStarts: last.layout.tileStarts.slice(0, kept),
    };
    appendFrom(layout, items, from);
  } else {
    layout = buildLayout(items, perRow);
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
