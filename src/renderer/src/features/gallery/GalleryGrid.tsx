import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useGallery } from '../../store/gallery';
import { useSelection } from '../../store/selection';
import { useSelectionBar } from '../../store/selectionBar';
import { GroupHeader } from './DayHeader';
import { gridKeyHandler } from './gridKeys';
import { layoutFor, type GridLayout } from './layout';
import { Tile, tileDomId } from './Tile';

export const GAP = 8;
export const HEADER_HEIGHT = 40;
const LOADER_HEIGHT = 56;
/**
 * Room below the last row, always: enough for the floating selection bar on one line, so
 * selecting a tile does not move the grid. A bar that wraps gets more (see `endPadding`).
 */
const END_PADDING = 80;
/** Rows mounted beyond the visible ones on each side. */
const OVERSCAN_ROWS = 2;
/** Ask for the next page this many rows before the end of what is loaded. */
const LOOKAHEAD_ROWS = 12;

/** Where the grid was scrolled to, so switching to Albums and back keeps the place. */
let savedScroll: { generation: number; offset: number } | null = null;

function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    const observer = new ResizeObserver((entries) => {
      const next = entries[0]?.contentRect.width;
      if (next !== undefined) setWidth(Math.floor(next));
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * When the room under the last row grows while the grid is scrolled to its end (the selection
 * bar wrapped onto a second line), follows the end, so the last row stays above the bar.
 */
function useKeepEnd(ref: RefObject<HTMLElement | null>, endPadding: number): void {
  const previous = useRef(endPadding);
  useLayoutEffect(() => {
    const grown = endPadding - previous.current;
    previous.current = endPadding;
    const node = ref.current;
    if (!node || grown <= 0) return;
    const fromEndBefore = node.scrollHeight - grown - node.scrollTop - node.clientHeight;
    if (fromEndBefore < 2) node.scrollTop = node.scrollHeight;
  }, [ref, endPadding]);
}

/** The group header that sticks: the last one at or above the first visible row. */
function activeHeader(layout: GridLayout, startIndex: number): number {
  for (let index = Math.min(startIndex, layout.rows.length - 1); index >= 0; index -= 1) {
    if (layout.rows[index]?.kind === 'header') return index;
  }
  return -1;
}

export function GalleryGrid() {
  const { t } = useTranslation();
  const items = useGallery((state) => state.items);
  const thumbSize = useGallery((state) => state.thumbSize);
  const sort = useGallery((state) => state.query.sort ?? 'newest');
  const hasMore = useGallery((state) => state.hasMore);
  const loading = useGallery((state) => state.loading);
  const generation = useGallery((state) => state.generation);
  const loadMore = useGallery((state) => state.loadMore);
  const focus = useSelection((state) => state.focus);
  const barRoom = useSelectionBar((state) => state.room);
  const endPadding = Math.max(END_PADDING, barRoom > 0 ? barRoom + GAP : 0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scrollRef);
  useKeepEnd(scrollRef, endPadding);

  const columns = Math.max(1, Math.floor((width + GAP) / (thumbSize + GAP)));
  const tile = width > 0 ? Math.floor((width - GAP * (columns - 1)) / columns) : thumbSize;
  const layout = useMemo(() => layoutFor(items, columns, sort), [items, columns, sort]);
  const rowCount = width > 0 ? layout.rows.length + (hasMore ? 1 : 0) : 0;

  // One memo for both, so a new tile size (same layout) also re-measures the rows.
  const rowSizing = useMemo(
    () => ({
      estimateSize: (index: number) => {
        const row = layout.rows[index];
        if (!row) return LOADER_HEIGHT;
        return row.kind === 'header' ? HEADER_HEIGHT : tile + GAP;
      },
      getItemKey: (index: number) => layout.rows[index]?.key ?? 'more',
    }),
    [layout, tile],
  );
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      const sticky = activeHeader(layout, range.startIndex);
      return sticky < 0 || indexes.includes(sticky) ? indexes : [sticky, ...indexes];
    },
    [layout],
  );

  // The virtualizer's functions are read fresh each render; this app does not use the React
  // Compiler, so its "cannot memoize" warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: rowSizing.estimateSize,
    getItemKey: rowSizing.getItemKey,
    rangeExtractor,
    overscan: OVERSCAN_ROWS,
    scrollPaddingStart: HEADER_HEIGHT,
    scrollPaddingEnd: endPadding,
    paddingEnd: endPadding,
    useFlushSync: false,
    initialOffset: () => (savedScroll?.generation === generation ? savedScroll.offset : 0),
  });

  // A new query starts at the top; the first run is the mount, which keeps the saved place.
  const shownGeneration = useRef(generation);
  useEffect(() => {
    const node = scrollRef.current;
    if (shownGeneration.current !== generation) {
      shownGeneration.current = generation;
      node?.scrollTo({ top: 0 });
    }
    return () => {
      if (node) savedScroll = { generation, offset: node.scrollTop };
    };
  }, [generation]);

  const virtualRows = virtualizer.getVirtualItems();
  const lastRow = virtualRows[virtualRows.length - 1]?.index ?? -1;
  useEffect(() => {
    if (hasMore && !loading && lastRow >= layout.rows.length - LOOKAHEAD_ROWS) void loadMore();
  }, [hasMore, loading, lastRow, layout.rows.length, loadMore]);

  const onKeyDown = gridKeyHandler(layout, tile + GAP, virtualizer);
  const stickyIndex = activeHeader(layout, virtualizer.range?.startIndex ?? 0);
  const focusInView =
    focus !== null &&
    virtualRows.some((virtualRow) => {
      const row = layout.rows[virtualRow.index];
      return row?.kind === 'tiles' && items.slice(row.start, row.end).some((item) => item.id === focus);
    });

  return (
    <div
      ref={scrollRef}
      className="grid-scroll"
      role="grid"
      tabIndex={0}
      aria-label={t('gallery.gridLabel')}
      aria-multiselectable="true"
      aria-busy={loading}
      aria-activedescendant={focusInView ? tileDomId(focus) : undefined}
      data-testid="gallery-grid"
      data-loaded-count={items.length}
      data-columns={columns}
      onKeyDown={onKeyDown}
    >
      <div className="grid-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualRows.map((virtualRow) => {
          const row = layout.rows[virtualRow.index];
          if (!row) {
            return (
              <div
                key={virtualRow.key}
                className="grid-loader"
                role="row"
                style={{ transform: `translateY(${virtualRow.start}px)`, height: virtualRow.size }}
              >
                <span role="gridcell">{loading ? t('gallery.loadMore') : ''}</span>
              </div>
            );
          }
          if (row.kind === 'header') {
            const sticky = virtualRow.index === stickyIndex;
            return (
              <GroupHeader
                key={virtualRow.key}
                group={row.group}
                sticky={sticky}
                top={virtualRow.start}
                height={virtualRow.size}
              />
            );
          }
          return (
            <div
              key={virtualRow.key}
              className="grid-row"
              role="row"
              style={{
                transform: `translateY(${virtualRow.start}px)`,
                height: tile,
                gridTemplateColumns: `repeat(${columns}, ${tile}px)`,
                columnGap: GAP,
              }}
            >
              {items.slice(row.start, row.end).map((image) => (
                <Tile key={image.id} image={image} />
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
