import { useEffect, useState } from 'react';
import type { GalleryImage } from '@shared/domain/image';
import type { WireError } from '@shared/ipc/result';
import { api } from '../../ipc/api';
import type { CompareItem } from '../../store/compare';
import { useGallery } from '../../store/gallery';

export interface ComparePicture {
  item: CompareItem;
  /** Null while it loads, or when it could not be found (`error`). */
  image: GalleryImage | null;
  error: WireError | null;
}

/**
 * The pictures to compare: the gallery's loaded copy when it has one (the freshest), else asked
 * of core once (a parent or a run's picture may be outside the loaded pages or the filter).
 */
export function useCompareImages(items: readonly CompareItem[]): ComparePicture[] {
  const loadedItems = useGallery((state) => state.items);
  const [fetched, setFetched] = useState<
    Record<string, { image: GalleryImage | null; error: WireError | null }>
  >({});
  const key = items.map((item) => item.imageId).join('\n');

  useEffect(() => {
    let live = true;
    const wanted = key.split('\n').filter((id) => id !== '');
    const loaded = new Set(useGallery.getState().items.map((item) => item.id));
    for (const id of wanted) {
      if (loaded.has(id)) continue;
      void api()
        .request('gallery.get', { id })
        .then((result) => {
          if (!live) return;
          setFetched((previous) => ({
            ...previous,
            [id]: result.ok ? { image: result.value, error: null } : { image: null, error: result.error },
          }));
        });
    }
    return () => {
      live = false;
    };
  }, [key]);

  return items.map((item) => {
    const loaded = loadedItems.find((image) => image.id === item.imageId);
    if (loaded) return { item, image: loaded, error: null };
    const found = fetched[item.imageId];
    return { item, image: found?.image ?? null, error: found?.error ?? null };
  });
}
