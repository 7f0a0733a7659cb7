import { create } from 'zustand';
import { PROMPT_HISTORY_MAX, rememberPrompt } from '@shared/domain/prompts';
import { api } from '../ipc/api';

interface PromptHistoryState {
  /** Submitted prompts, newest first: core's list, plus what this window sent since. */
  items: string[];
  loaded: boolean;
  load(): Promise<void>;
  /** Mirrors what core's jobs.submit records, so ↑ finds a prompt at once. */
  remember(prompt: string): void;
}

export const usePromptHistory = create<PromptHistoryState>((set, get) => ({
  items: [],
  loaded: false,
  async load() {
    const result = await api().request('prompts.history', { limit: PROMPT_HISTORY_MAX });
    if (!result.ok) return;
    // Prompts sent before the list arrived stay in front.
    const sent = get().items;
    set({ items: sent.reduceRight(rememberPrompt, result.value), loaded: true });
  },
  remember: (prompt) => set((state) => ({ items: rememberPrompt(state.items, prompt) })),
}));
