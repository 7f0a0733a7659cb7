import { create } from 'zustand';
import type { SettingsPatch, SettingsView } from '@shared/domain/settings';
import type { WireError } from '@shared/ipc/result';
import { api } from '../ipc/api';

interface SettingsState {
  view: SettingsView | null;
  error: WireError | null;
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<boolean>;
  setApiKey(apiKey: string | null): Promise<boolean>;
  setSecret(name: 'ngrokAuthtoken' | 'webhookHmacKey', value: string | null): Promise<boolean>;
  received(view: SettingsView): void;
}

export const useSettings = create<SettingsState>((set, get) => ({
  view: null,
  error: null,
  async load() {
    const result = await api().request('settings.get', {});
    if (result.ok) set({ view: result.value, error: null });
    else set({ error: result.error });
  },
  async update(patch) {
    // Optimistic, so toggles and selects follow the click at once; core's answer wins after.
    const before = get().view;
    if (before) set({ view: { ...before, ...patch, compose: { ...before.compose, ...patch.compose } } });
    const result = await api().request('settings.update', patch);
    if (result.ok) set({ view: result.value, error: null });
    else set({ view: before, error: result.error });
    return result.ok;
  },
  async setApiKey(apiKey) {
    const result = await api().request('settings.setApiKey', { apiKey });
    if (result.ok) set({ view: result.value, error: null });
    else set({ error: result.error });
    return result.ok;
  },
  async setSecret(name, value) {
    const result = await api().request('settings.setSecret', { name, value });
    if (result.ok) set({ view: result.value, error: null });
    else set({ error: result.error });
    return result.ok;
  },
  received: (view) => set({ view }),
}));
