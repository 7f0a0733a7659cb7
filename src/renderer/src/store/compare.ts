import { create } from 'zustand';

/** One picture on the compare board, with what sets it apart (an A/B run's varying value). */
export interface CompareItem {
  imageId: string;
  /** Written under the picture, e.g. the prompt variant or the model of an A/B run. */
  caption?: string;
}

interface CompareState {
  /** 2 images: slider or side by side; 3–4: a board. Null while closed. */
  items: CompareItem[] | null;
  open(items: readonly CompareItem[]): void;
  close(): void;
}

/** The compare view, opened from the gallery's selection, the viewer, the version tree or a run. */
export const useCompare = create<CompareState>((set) => ({
  items: null,
  open: (items) => set({ items: items.length >= 2 ? items.slice(0, 4) : null }),
  close: () => set({ items: null }),
}));
