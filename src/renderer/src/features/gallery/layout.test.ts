import { describe, expect, it } from 'vitest';
import type { GalleryImage } from '@shared/domain/image';
import { testImage } from '../../store/testImages';
import { buildLayout, layoutFor, moveIndex, rowOfItem } from './layout';
import { fromDateInput, toDateInput } from './dates';

/** `counts[d]` images on day d (newest day first), each a minute apart. */
function days(counts: number[]): GalleryImage[] {
  const items: GalleryImage[] = [];
  counts.forEach((count, day) => {
    for (let n = 0; n < count; n += 1) {
      const at = new Date(2026, 5, 30 - day, 12, 59 - n);
      items.push(testImage(items.length, { id: `d${day}-${n}`, createdAt: at.toISOString() }));
    }
  });
  return items;
}

describe('grid layout', () => {
  it('groups by local day, with a header and rows of `columns` tiles', () => {
    const layout = buildLayout(days([5, 2]), 3);
    expect(layout.rows.map((row) => (row.kind === 'header' ? 'H' : `${row.start}-${row.end}`))).toEqual([
      'H',
      '0-3',
      '3-5',
      'H',
      '5-7',
    ]);
    expect(layout.tileStarts).toEqual([0, 3, 5]);
    expect(rowOfItem(layout, 4)).toBe(2);
    expect(rowOfItem(layout, 6)).toBe(4);
  });

  it('up and down keep the column, clamped to short rows, across day headers', () => {
    const layout = buildLayout(days([5, 4]), 3);
    // Rows: [0 1 2] [3 4] | [5 6 7] [8]
    expect(moveIndex(layout, 2, 'down')).toBe(4);
    expect(moveIndex(layout, 4, 'down')).toBe(6);
    expect(moveIndex(layout, 7, 'down')).toBe(8);
    expect(moveIndex(layout, 8, 'down')).toBe(8);
    expect(moveIndex(layout, 6, 'up')).toBe(4);
    expect(moveIndex(layout, 1, 'up')).toBe(1);
    expect(moveIndex(layout, 4, 'right')).toBe(5);
    expect(moveIndex(layout, 0, 'left')).toBe(0);
    expect(moveIndex(layout, 3, 'end')).toBe(8);
    expect(moveIndex(layout, 3, 'home')).toBe(0);
    expect(moveIndex(layout, 1, 'pageDown', 2)).toBe(6);
    expect(moveIndex(layout, -1, 'down')).toBe(0);
  });

  it('handles an empty gallery', () => {
    const layout = buildLayout([], 4);
    expect(layout.rows).toEqual([]);
    expect(moveIndex(layout, 0, 'down')).toBe(-1);
  });

  it('lays out 100k images as about one row per `columns` images', () => {
    const items = Array.from({ length: 100_000 }, (_, n) => testImage(100_000 - n));
    const layout = buildLayout(items, 8);
    const tileRows = layout.rows.filter((row) => row.kind === 'tiles');
    expect(tileRows.reduce((sum, row) => sum + (row.kind === 'tiles' ? row.end - row.start : 0), 0)).toBe(
      100_000,
    );
    expect(layout.tileStarts.length).toBe(tileRows.length);
  });
});

describe('date inputs', () => {
  it('round-trips a local day through the query bounds', () => {
    const start = fromDateInput('2026-03-09', 'start');
    const end = fromDateInput('2026-03-09', 'end');
    expect(start && toDateInput(start)).toBe('2026-03-09');
    expect(end && toDateInput(end)).toBe('2026-03-09');
    expect(Date.parse(end ?? '') - Date.parse(start ?? '')).toBe(86_400_000 - 1);
    expect(fromDateInput('', 'start')).toBeUndefined();
    expect(toDateInput(undefined)).toBe('');
  });
});

describe('layoutFor (paging)', () => {
  it('extending the items gives the same layout as building it afresh', () => {
    const all = days([7, 5, 9, 4]);
    for (const cut of [3, 7, 12, 20]) {
      const first = layoutFor(all.slice(0, cut), 4);
      expect(first).toEqual(buildLayout(all.slice(0, cut), 4));
      expect(layoutFor(all, 4)).toEqual(buildLayout(all, 4));
    }
  });

  it('rebuilds when the columns or the loaded prefix change', () => {
    const all = days([6, 6]);
    layoutFor(all.slice(0, 5), 3);
    expect(layoutFor(all, 2)).toEqual(buildLayout(all, 2));
    const patched = [testImage(99, { ...all[0], favourite: true } as GalleryImage), ...all.slice(1)];
    expect(layoutFor(patched, 2)).toEqual(buildLayout(patched, 2));
  });
});

describe('groups for the rating and model sorts', () => {
  /** Images in rating order (as core sends them for the rating sort), all on the same day. */
  const byRating = [5, 5, 5, 3, 0, 0].map((rating, n) => testImage(100 - n, { rating }));

  it('one header per rating, not per day, sorted by rating', () => {
    const layout = buildLayout(byRating, 2, 'rating');
    const shape = layout.rows.map((row) =>
      row.kind === 'header' ? JSON.stringify(row.group) : `${row.start}-${row.end}`,
    );
    expect(shape).toEqual([
      '{"kind":"rating","rating":5}',
      '0-2',
      '2-3',
      '{"kind":"rating","rating":3}',
      '3-4',
      '{"kind":"rating","rating":0}',
      '4-6',
    ]);
    // The same images by date are one day: one header.
    expect(buildLayout(byRating, 2).rows.filter((row) => row.kind === 'header')).toHaveLength(1);
  });

  it('one header per model', () => {
    const images = (['nano-banana-pro', 'nano-banana-pro', 'google/nano-banana', 'unknown'] as const).map(
      (model, n) => testImage(50 - n, { params: { ...testImage(0).params, model } }),
    );
    const headers = buildLayout(images, 4, 'model').rows.flatMap((row) =>
      row.kind === 'header' ? [row.group] : [],
    );
    expect(headers).toEqual([
      { kind: 'model', model: 'nano-banana-pro' },
      { kind: 'model', model: 'google/nano-banana' },
      { kind: 'model', model: 'unknown' },
    ]);
  });

  it('paging extends the groups as it does days, and a new sort lays out afresh', () => {
    for (const cut of [1, 3, 4, 5]) {
      layoutFor(byRating.slice(0, cut), 2, 'rating');
      expect(layoutFor(byRating, 2, 'rating')).toEqual(buildLayout(byRating, 2, 'rating'));
    }
    layoutFor(byRating, 2, 'rating');
    expect(layoutFor(byRating, 2, 'newest')).toEqual(buildLayout(byRating, 2, 'newest'));
  });
});
