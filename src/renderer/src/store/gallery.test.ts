import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GalleryImage, GalleryPageCursor, ImageQuery } from '@shared/domain/image';
import { setApi, type Api } from '../ipc/api';
import { SEARCH_DEBOUNCE_MS, useGallery } from './gallery';
import { clickSelect, EMPTY_SELECTION, useSelection } from './selection';
import { newestFirst, testImage } from './testImages';

interface QueryCall {
  query: ImageQuery;
  cursor: GalleryPageCursor | null;
  limit: number;
}

/** A pretend core holding `library` (newest first) that answers gallery.query/count by keyset. */
function fakeCore(library: GalleryImage[]) {
  const calls: QueryCall[] = [];
  let gate: Promise<void> = Promise.resolve();
  const answer = async (route: string, input: unknown): Promise<unknown> => {
    if (route === 'gallery.count') return { count: library.length };
    if (route !== 'gallery.query') throw new Error(`unexpected ${route}`);
    const call = input as QueryCall;
    calls.push(call);
    await gate;
    const matching = library.filter(
      (image) => !call.query.text || image.params.prompt.includes(call.query.text),
    );
    const start =
      call.cursor && 'after' in call.cursor
        ? matching.findIndex((image) => image.id === (call.cursor as { after: { id: string } }).after.id) + 1
        : 0;
    const items = matching.slice(start, start + call.limit);
    const last = items[items.length - 1];
    const more = start + call.limit < matching.length;
    return {
      items,
      nextCursor: more && last ? { createdAt: last.createdAt, id: last.id } : null,
      prevCursor: null,
    };
  };
  const api: Api = {
    request: (async (route: string, input: unknown) => ({
      ok: true,
      value: await answer(route, input),
    })) as Api['request'],
    on: () => () => undefined,
  };
  return {
    api,
    calls,
    hold() {
      let release = () => undefined as void;
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => release();
    },
  };
}

const initial = useGallery.getState();

beforeEach(() => {
  useGallery.setState(initial, true);
  useSelection.setState(EMPTY_SELECTION);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('gallery store', () => {
  it('loads the first page, then the next by keyset, keeping every loaded page', async () => {
    const core = fakeCore(newestFirst(1, 500));
    setApi(core.api);
    await useGallery.getState().reload();
    const first = useGallery.getState().items.length;
    expect(first).toBeGreaterThan(0);
    expect(useGallery.getState().total).toBe(500);
    await useGallery.getState().loadMore();
    const state = useGallery.getState();
    expect(state.items.length).toBeGreaterThan(first);
    expect(new Set(state.items.map((item) => item.id)).size).toBe(state.items.length);
    expect(core.calls[1]?.cursor).toEqual({
      after: { createdAt: state.items[first - 1]?.createdAt, id: state.items[first - 1]?.id },
    });
    while (useGallery.getState().hasMore) await useGallery.getState().loadMore();
    expect(useGallery.getState().items).toHaveLength(500);
  });

  it('drops the answer of a query that was replaced while it was in flight', async () => {
    const core = fakeCore([
      testImage(1, { params: { ...testImage(1).params, prompt: 'red fox' } }),
      testImage(2),
    ]);
    setApi(core.api);
    const release = core.hold();
    const stale = useGallery.getState().reload();
    useGallery.setState({ query: { sort: 'newest', text: 'fox' } });
    const fresh = useGallery.getState().reload();
    release();
    await Promise.all([stale, fresh]);
    expect(useGallery.getState().items.map((item) => item.params.prompt)).toEqual(['red fox']);
  });

  it('debounces the search box into the query', async () => {
    vi.useFakeTimers();
    const core = fakeCore(newestFirst(1, 3));
    setApi(core.api);
    useGallery.getState().setSearchDraft('pro');
    useGallery.getState().setSearchDraft('prompt 2');
    expect(useGallery.getState().query.text).toBeUndefined();
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS + 1);
    expect(useGallery.getState().query.text).toBe('prompt 2');
    expect(core.calls.filter((call) => call.query.text !== undefined)).toHaveLength(1);
  });

  it('a new query clears the selection; removing the text chip clears the box', async () => {
    setApi(fakeCore(newestFirst(1, 3)).api);
    useSelection.setState(
      clickSelect(EMPTY_SELECTION, testImage(1).id, [testImage(1).id], { range: false, toggle: false }),
    );
    useGallery.setState({ searchDraft: 'cat', query: { sort: 'newest', text: 'cat' } });
    useGallery.getState().setQuery({ text: undefined });
    expect(useGallery.getState().searchDraft).toBe('');
    expect(useGallery.getState().query).toEqual({ sort: 'newest' });
    expect(useSelection.getState().selected.size).toBe(0);
  });

  it('gallery.added: inserted with no filters, a "new images" pill with a search', async () => {
    setApi(fakeCore(newestFirst(1, 3)).api);
    await useGallery.getState().reload();
    useGallery.getState().added(testImage(10));
    expect(useGallery.getState().items[0]?.id).toBe(testImage(10).id);
    expect(useGallery.getState().total).toBe(4);

    useGallery.setState({ query: { sort: 'newest', text: 'fox' } });
    useGallery.getState().added(testImage(11));
    expect(useGallery.getState().items[0]?.id).toBe(testImage(10).id);
    expect(useGallery.getState().pendingNew).toBe(1);
  });

  it('gallery.changed: patches and removes loaded items; reset reloads', async () => {
    const core = fakeCore(newestFirst(1, 3));
    setApi(core.api);
    await useGallery.getState().reload();
    useGallery.getState().changed({
      images: [testImage(2, { favourite: true })],
      removedIds: [testImage(3).id],
      reset: false,
    });
    const state = useGallery.getState();
    expect(state.items.map((item) => [item.id, item.favourite])).toEqual([
      [testImage(2).id, true],
      [testImage(1).id, false],
    ]);
    expect(state.total).toBe(2);
    const before = core.calls.length;
    useGallery.getState().changed({ images: [], removedIds: [], reset: true });
    expect(core.calls.length).toBe(before + 1);
  });
});
