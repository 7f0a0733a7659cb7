import { create } from 'zustand';
import type { GalleryImage } from '@shared/domain/image';
import type { EventPayload } from '@shared/ipc/contract';
import type { ImageDetail } from '@shared/ipc/galleryRoutes';
import type { WireError } from '@shared/ipc/result';
import { api } from '../ipc/api';
import { useGallery } from './gallery';

/** The image viewer: which image is open and its detail (metadata, tags, albums, lineage). */
interface ViewerState {
  imageId: string | null;
  detail: ImageDetail | null;
  /** What is already known about an image opened from outside the loaded pages (lineage). */
  hint: GalleryImage | null;
  error: WireError | null;
  open(id: string, hint?: GalleryImage): void;
  close(): void;
  /** Previous/next in the gallery's current order, loading the next page when needed. */
  step(delta: 1 | -1): Promise<void>;
  loadDetail(): Promise<void>;
  changed(change: EventPayload<'gallery.changed'>): void;
}

/** The id `delta` steps away from `id` in the loaded order, or null at either end. */
export function neighbourId(items: readonly GalleryImage[], id: string, delta: 1 | -1): string | null {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) return null;
  return items[index + delta]?.id ?? null;
}

let generation = 0;

export const useViewer = create<ViewerState>((set, get) => ({
  imageId: null,
  detail: null,
  hint: null,
  error: null,
  open(id, hint) {
    if (get().imageId === id) return;
    set({
      imageId: id,
      detail: get().detail?.image.id === id ? get().detail : null,
      hint: hint?.id === id ? hint : null,
      error: null,
    });
    void get().loadDetail();
  },
  close() {
    generation += 1;
    set({ imageId: null, detail: null, hint: null, error: null });
  },
  async step(delta) {
    const id = get().imageId;
    if (id === null) return;
    const gallery = useGallery.getState();
    let target = neighbourId(gallery.items, id, delta);
    const last = gallery.items[gallery.items.length - 1];
    if (target === null && delta === 1 && last?.id === id && gallery.hasMore) {
      await gallery.loadMore();
      target = neighbourId(useGallery.getState().items, id, delta);
    }
    if (target !== null && get().imageId === id) get().open(target);
  },
  async loadDetail() {
    const id = get().imageId;
    if (id === null) return;
    const mine = ++generation;
    const result = await api().request('gallery.detail', { id });
    if (mine !== generation || get().imageId !== id) return;
    if (result.ok) set({ detail: result.value, error: null });
    else set({ error: result.error });
  },
  changed(change) {
    const { imageId, detail } = get();
    if (imageId === null) return;
    if (change.removedIds.includes(imageId)) {
      get().close();
      return;
    }
    const fresh = change.images.find((image) => image.id === imageId);
    if (change.reset || fresh) void get().loadDetail();
    else if (detail) {
      // Lineage thumbnails may have changed too (a parent trashed, a child favourited).
      const related = new Set([...detail.parents, ...detail.children].map((image) => image.id));
      if (
        change.images.some((image) => related.has(image.id)) ||
        change.removedIds.some((i) => related.has(i))
      )
        void get().loadDetail();
    }
  },
}));

/** The open image: the loaded gallery copy when there is one (freshest), else the detail's. */
export function useViewerImage(): GalleryImage | null {
  const imageId = useViewer((state) => state.imageId);
  const detailImage = useViewer((state) => state.detail?.image ?? null);
  const hint = useViewer((state) => state.hint);
  const loaded = useGallery((state) =>
    imageId === null ? undefined : state.items.find((item) => item.id === imageId),
  );
  if (imageId === null) return null;
  if (loaded) return loaded;
  if (detailImage?.id === imageId) return detailImage;
  return hint?.id === imageId ? hint : null;
}
