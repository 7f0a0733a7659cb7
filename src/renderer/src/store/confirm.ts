import { create } from 'zustand';

/** Questions that need a yes before something cannot be undone in the app. */
export type ConfirmRequest =
  | { kind: 'purge'; count: number }
  | { kind: 'deleteAlbum'; name: string }
  | { kind: 'forget'; count: number };

interface ConfirmState {
  pending: ConfirmRequest | null;
  resolve: ((answer: boolean) => void) | null;
  ask(request: ConfirmRequest): Promise<boolean>;
  answer(yes: boolean): void;
}

export const useConfirm = create<ConfirmState>((set, get) => ({
  pending: null,
  resolve: null,
  ask(request) {
    get().resolve?.(false);
    return new Promise<boolean>((resolve) => set({ pending: request, resolve }));
  },
  answer(yes) {
    get().resolve?.(yes);
    set({ pending: null, resolve: null });
  },
}));
