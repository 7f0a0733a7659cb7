import { create } from 'zustand';
import type { TrashedImage } from '@shared/ipc/galleryRoutes';
import type { WireError } from '@shared/ipc/result';
import { api } from '../ipc/api';

/** The contract's cap for one trash listing. */
export const TRASH_LIMIT = 500;

interface TrashState {
  items: TrashedImage[];
  total: number;
  loaded: boolean;
  loading: boolean;
  error: WireError | null;
  load(): Promise<void>;
  drop(ids: readonly string[]): void;
}

let generation = 0;

export const useTrash = create<TrashState>((set) => ({
  items: [],
  total: 0,
  loaded: false,
  loading: false,
  error: null,
  async load() {
    const mine = ++generation;
    set({ loading: true });
    const result = await api().request('gallery.trashList', { limit: TRASH_LIMIT });
    if (mine !== generation) return;
    if (result.ok) {
      set({
        items: result.value.items,
        total: result.value.total,
        loaded: true,
        loading: false,
        error: null,
      });
    } else {
      set({ loaded: true, loading: false, error: result.error });
    }
  },
  drop(ids) {
    const gone = new Set(ids);
    set((state) => {
      const items = state.items.filter((item) => !gone.has(item.id));
      return { items, total: Math.max(0, state.total - (state.items.length - items.length)) };
    });
  },
}));
