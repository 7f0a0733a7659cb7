import { create } from 'zustand';

interface SelectionBarState {
  /**
   * How far up from the gallery's bottom edge the floating selection bar reaches (its height
   * plus its offset), 0 while it is hidden. The grid leaves this much room under its last row
   * and the toasts stack above it, so neither hides behind the bar when it wraps onto two lines.
   */
  room: number;
  setRoom(room: number): void;
}

export const useSelectionBar = create<SelectionBarState>((set) => ({
  room: 0,
  setRoom: (room) => set((state) => (state.room === room ? state : { room })),
}));
