import { create } from 'zustand';
import type { Credits } from '@shared/domain/credits';
import type { WireError } from '@shared/ipc/result';
import { api } from '../ipc/api';

interface CreditsState {
  credits: Credits | null;
  loading: boolean;
  error: WireError | null;
  refresh(): Promise<void>;
  received(credits: Credits): void;
}

export const useCredits = create<CreditsState>((set) => ({
  credits: null,
  loading: false,
  error: null,
  async refresh() {
    set({ loading: true });
    const result = await api().request('credits.get', {});
    set(
      result.ok
        ? { credits: result.value, error: null, loading: false }
        : { error: result.error, loading: false },
    );
  },
  received: (credits) => set({ credits, error: null }),
}));
