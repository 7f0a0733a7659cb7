import { create } from 'zustand';
import type { GalleryImage } from '@shared/domain/image';
import type { EventPayload } from '@shared/ipc/contract';
import { api } from '../ipc/api';
import { useGallery } from './gallery';

interface JobImagesState {
  /** A job's result images by id; null: not in the library any more (purged, forgotten). */
  byId: Record<string, GalleryImage | null>;
  /** Looks up ids not known yet: in the loaded gallery pages first, then asks core once each. */
  resolve(ids: readonly string[]): Promise<void>;
  /** Keeps the known ones current: trashed or purged ones go, restored ones come back. */
  changed(change: EventPayload<'gallery.changed'>): void;
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
  changed(change) {
    const byId = get().byId;
    const known = (id: string) => id in byId;
    const updated = change.images.filter((image) => known(image.id));
    const removed = change.removedIds.filter(known);
    // A reset may have brought any image back: ask again when a card shows it.
    if (change.reset) set({ byId: {} });
    else if (updated.length > 0 || removed.length > 0)
      set((state) => ({
        byId: {
          ...state.byId,
          ...Object.fromEntries(removed.map((id) => [id, null])),
          ...Object.fromEntries(updated.map((image) => [image.id, image])),
        },
      }));
  },
}));
