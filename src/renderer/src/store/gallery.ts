import { create } from 'zustand';
import {
  galleryQuerySchema,
  isDateSort,
  type GalleryCursor,
  type GalleryImage,
  type GallerySort,
  type ImageQuery,
} from '@shared/domain/image';
import type { EventPayload } from '@shared/ipc/contract';
import type { WireError } from '@shared/ipc/result';
import { api } from '../ipc/api';
import { applyChangeCounted, insertSorted, mergePage, patchFields, placeAdded } from './galleryPages';
import { useSelection } from './selection';

/** First page small for a quick first paint; later pages bigger (the contract allows 500). */
export const FIRST_PAGE = 120;
export const NEXT_PAGE = 300;
export const SEARCH_DEBOUNCE_MS = 200;
export const THUMB_SIZE = { min: 120, max: 320, step: 20, initial: 200 } as const;

const PREFS_KEY = 'banana-studio.gallery';

/** Kept across reloads: the tile size, the sort and the minimum rating (both shown as chips). */
interface GalleryPrefs {
  thumbSize: number;
  sort: GallerySort;
  minRating?: number;
}

const prefsSchema = galleryQuerySchema.pick({ sort: true, minRating: true });

function readPrefs(): GalleryPrefs {
  const fallback: GalleryPrefs = { thumbSize: THUMB_SIZE.initial, sort: 'newest' };
  if (typeof localStorage === 'undefined') return fallback;
  try {
    const raw = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as Record<string, unknown>;
    const size = typeof raw['thumbSize'] === 'number' ? raw['thumbSize'] : fallback.thumbSize;
    // Each value on its own: one that no longer parses (an older build's) falls back alone.
    const sort = prefsSchema.shape.sort.safeParse(raw['sort']);
    const minRating = prefsSchema.shape.minRating.safeParse(raw['minRating']);
    return {
      thumbSize: Math.min(THUMB_SIZE.max, Math.max(THUMB_SIZE.min, size)),
      sort: sort.success && sort.data !== undefined ? sort.data : fallback.sort,
      ...(minRating.success && minRating.data !== undefined ? { minRating: minRating.data } : {}),
    };
  } catch {
    return fallback;
  }
}

function writePrefs(thumbSize: number, query: ImageQuery): void {
  if (typeof localStorage === 'undefined') return;
  const prefs: GalleryPrefs = { thumbSize, sort: query.sort ?? 'newest' };
  if (query.minRating !== undefined) prefs.minRating = query.minRating;
  localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
}

/** Drops keys set to undefined, empty lists and blank text, so the query stays minimal on the wire. */
export function cleanQuery(query: ImageQuery): ImageQuery {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    clean[key] = value;
  }
  return clean as ImageQuery;
}

export interface GalleryState {
  /** The current query; `sort` is always set. */
  query: ImageQuery;
  /** What is typed in the search box; it reaches `query.text` after a short pause. */
  searchDraft: string;
  /** Every loaded page of the query, in its order. Only the visible window is rendered. */
  items: GalleryImage[];
  nextCursor: GalleryCursor | null;
  hasMore: boolean;
  loaded: boolean;
  loading: boolean;
  error: WireError | null;
  /** How many images match the query (all pages), when known. */
  total: number | null;
  /** New images that may match a search, album or tag query: offered as "refresh". */
  pendingNew: number;
  thumbSize: number;
  /** Bumped on every reload: late answers for an older query are dropped. */
  generation: number;
  setQuery(patch: Partial<ImageQuery>): void;
  clearFilters(): void;
  setSearchDraft(text: string): void;
  setThumbSize(size: number): void;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
  added(image: GalleryImage): void;
  changed(change: EventPayload<'gallery.changed'>): void;
  /** Inserts images known to exist (after a restore) where they belong, if they match. */
  absorb(images: readonly GalleryImage[]): void;
  patchLocal(ids: readonly string[], fields: Partial<Pick<GalleryImage, 'favourite' | 'rating'>>): void;
  removeLocal(ids: readonly string[]): void;
}

const prefs = readPrefs();
let searchTimer: ReturnType<typeof setTimeout> | null = null;

export const useGallery = create<GalleryState>((set, get) => ({
  query: cleanQuery({ sort: prefs.sort, minRating: prefs.minRating }),
  searchDraft: '',
  items: [],
  nextCursor: null,
  hasMore: true,
  loaded: false,
  loading: false,
  error: null,
  total: null,
  pendingNew: 0,
  thumbSize: prefs.thumbSize,
  generation: 0,

  setQuery(patch) {
    const query = cleanQuery({ ...get().query, ...patch });
    set({ query });
    if ('sort' in patch || 'minRating' in patch) writePrefs(get().thumbSize, query);
    if ('text' in patch) {
      if (searchTimer) clearTimeout(searchTimer);
      set({ searchDraft: patch.text ?? '' });
    }
    useSelection.getState().clear();
    void get().reload();
  },
  clearFilters() {
    if (searchTimer) clearTimeout(searchTimer);
    // The rating and model sorts show as chips, so "Clear all" takes them too; a date sort stays.
    const sort = get().query.sort ?? 'newest';
    const query: ImageQuery = { sort: isDateSort(sort) ? sort : 'newest' };
    set({ query, searchDraft: '' });
    writePrefs(get().thumbSize, query);
    useSelection.getState().clear();
    void get().reload();
  },
  setSearchDraft(text) {
    set({ searchDraft: text });
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      searchTimer = null;
      const next = text.trim();
      if (next !== (get().query.text ?? '')) {
        set({ query: cleanQuery({ ...get().query, text: next }) });
        useSelection.getState().clear();
        void get().reload();
      }
    }, SEARCH_DEBOUNCE_MS);
  },
  setThumbSize(size) {
    const thumbSize = Math.min(THUMB_SIZE.max, Math.max(THUMB_SIZE.min, size));
    set({ thumbSize });
    writePrefs(thumbSize, get().query);
  },

  async reload() {
    const generation = get().generation + 1;
    const { query } = get();
    set({ generation, loading: true, pendingNew: 0 });
    const [page, count] = await Promise.all([
      api().request('gallery.query', { query, cursor: null, limit: FIRST_PAGE }),
      api().request('gallery.count', { query }),
    ]);
    if (get().generation !== generation) return;
    if (!page.ok) {
      set({ loading: false, loaded: true, error: page.error, items: [], hasMore: false, nextCursor: null });
      return;
    }
    set({
      items: page.value.items,
      nextCursor: page.value.nextCursor,
      hasMore: page.value.nextCursor !== null,
      total: count.ok ? count.value.count : null,
      loading: false,
      loaded: true,
      error: null,
    });
  },
  async loadMore() {
    const { loading, hasMore, nextCursor, query, generation, loaded } = get();
    // The first page comes from reload(); paging starts after it.
    if (!loaded) return;
    if (loading || !hasMore || nextCursor === null) return;
    set({ loading: true });
    const page = await api().request('gallery.query', {
      query,
      cursor: { after: nextCursor },
      limit: NEXT_PAGE,
    });
    if (get().generation !== generation) return;
    if (!page.ok) {
      set({ loading: false, error: page.error });
      return;
    }
    set((state) => ({
      items: mergePage(state.items, page.value.items, 'after', state.query.sort ?? 'newest'),
      nextCursor: page.value.nextCursor,
      hasMore: page.value.nextCursor !== null,
      loading: false,
      error: null,
    }));
  },

  added(image) {
    const { query, loaded } = get();
    if (!loaded) return;
    const placement = placeAdded(image, query);
    if (placement === 'notify') set((state) => ({ pendingNew: state.pendingNew + 1 }));
    if (placement !== 'insert') return;
    set((state) => {
      const items = insertSorted(state.items, image, query.sort ?? 'newest', state.hasMore);
      const grew = items.length > state.items.length;
      return { items, total: state.total !== null && grew ? state.total + 1 : state.total };
    });
  },
  changed(change) {
    if (change.reset) {
      void get().reload();
      return;
    }
    set((state) => {
      const { items, delta } = applyChangeCounted(state.items, change, state.query, state.hasMore);
      if (items === state.items) return {};
      return { items, total: state.total === null ? null : Math.max(0, state.total + delta) };
    });
  },
  absorb(images) {
    if (images.length === 0) return;
    set((state) => {
      const { items, delta } = applyChangeCounted(
        state.items,
        { images, removedIds: [] },
        state.query,
        state.hasMore,
      );
      return { items, total: state.total === null ? null : state.total + delta };
    });
  },
  patchLocal(ids, fields) {
    set((state) => {
      const { items, delta } = patchFields(state.items, ids, fields, state.query, state.hasMore);
      return { items, total: state.total === null ? null : Math.max(0, state.total + delta) };
    });
  },
  removeLocal(ids) {
    get().changed({ images: [], removedIds: [...ids], reset: false });
  },
}));
