import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../ipc/api';

const KEY = 'banana-studio.gallery';

/** The window's storage, as the store sees it at start (it reads its prefs when first imported). */
function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

/** A fresh copy of the store module, started against `storage`. */
async function startStore(storage: ReturnType<typeof memoryStorage>) {
  vi.stubGlobal('localStorage', storage);
  vi.resetModules();
  const api: Api = {
    request: (async (route: string) => ({
      ok: true,
      value: route === 'gallery.count' ? { count: 0 } : { items: [], nextCursor: null, prevCursor: null },
    })) as Api['request'],
    on: () => () => undefined,
  };
  // The fresh store reads the fresh api module, so that is the one to give the pretend core.
  const { setApi } = await import('../ipc/api');
  setApi(api);
  return (await import('./gallery')).useGallery;
}

describe('gallery prefs across a reload', () => {
  beforeEach(() => vi.resetModules());
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the sort and the minimum rating, and reads them back on start', async () => {
    const storage = memoryStorage();
    const first = await startStore(storage);
    first.getState().setQuery({ sort: 'rating' });
    first.getState().setQuery({ minRating: 3 });
    expect(JSON.parse(storage.data.get(KEY) ?? '{}')).toMatchObject({ sort: 'rating', minRating: 3 });

    const reloaded = await startStore(storage);
    expect(reloaded.getState().query).toEqual({ sort: 'rating', minRating: 3 });
  });

  it('"Clear all" takes the rating filter and a rating or model sort, but keeps a date sort', async () => {
    const storage = memoryStorage();
    const gallery = await startStore(storage);
    gallery.getState().setQuery({ sort: 'model', minRating: 2, favouritesOnly: true });
    gallery.getState().clearFilters();
    expect(gallery.getState().query).toEqual({ sort: 'newest' });
    expect(JSON.parse(storage.data.get(KEY) ?? '{}')).toEqual({ thumbSize: 200, sort: 'newest' });

    gallery.getState().setQuery({ sort: 'oldest', minRating: 4 });
    gallery.getState().clearFilters();
    expect(gallery.getState().query).toEqual({ sort: 'oldest' });
  });

  it('starts from the defaults when what was kept no longer makes sense', async () => {
    const storage = memoryStorage({
      [KEY]: JSON.stringify({ thumbSize: 9000, sort: 'by-colour', minRating: 7 }),
    });
    const gallery = await startStore(storage);
    expect(gallery.getState().query).toEqual({ sort: 'newest' });
    expect(gallery.getState().thumbSize).toBe(320);

    const broken = await startStore(memoryStorage({ [KEY]: '{not json' }));
    expect(broken.getState().query).toEqual({ sort: 'newest' });
  });
});
