import { create } from 'zustand';
import type { GalleryImage } from '@shared/domain/image';
import { api } from '../ipc/api';
import { useGallery } from './gallery';

interface JobImagesState {
  /** A job's result images by id; null: not in the library any more (purged, forgotten). */
  byId: Record<string, GalleryImage | null>;
  /** Looks up ids not known yet: in the loaded gallery pages first, then asks core once each. */
  resolve(ids: readonly string[]): Promise<void>;
}

/** Ids being asked for, so the cards of one list do not ask twice. */
const asking = new Set<string>();

/** The thumbnails on job cards: a job carries only its image ids. */
export const useJobImages = create<JobImagesState>((set, get) => ({
  byId: {},
  async resolve(ids) {
    const wanted = [...new Set(ids)].filter((id) => !(id in get().byId) && !asking.has(id));
    if (wanted.length === 0) return;
    const loaded = new Map(useGallery.getState().items.map((item) => [item.id, item]));
    const known = wanted.filter((id) => loaded.has(id));
    if (known.length > 0)
      set((state) => ({
        byId: { ...state.byId, ...Object.fromEntries(known.map((id) => [id, loaded.get(id) ?? null])) },
      }));
    const missing = wanted.filter((id) => !loaded.has(id));
    missing.forEach((id) => asking.add(id));
    await Promise.all(
      missing.map(async (id) => {
        const result = await api().request('gallery.get', { id });
        asking.delete(id);
        // A passing problem (the web bridge down) is asked again next time; "not found" is kept.
        if (result.ok || result.error.code === 'NOT_FOUND')
          set((state) => ({ byId: { ...state.byId, [id]: result.ok ? result.value : null } }));
      }),
    );
  },
}));
