import { create } from 'zustand';

/** The keyboard shortcuts sheet ("?"). */
interface ShortcutsState {
  open: boolean;
  setOpen(open: boolean): void;
}

export const useShortcuts = create<ShortcutsState>((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));
