import { create } from 'zustand';
import type { SecretName, SettingsView } from '@shared/domain/settings';
import { useSettings, useUi } from './stores';

/** The user's answer to "store anyway or this session only?"; null: they closed the question. */
export type StorageAnswer = 'store' | 'session' | null;

interface StorageQuestionState {
  open: boolean;
  resolve: ((answer: StorageAnswer) => void) | null;
  ask(): Promise<StorageAnswer>;
  answer(answer: StorageAnswer): void;
}

/** The question asked before the first secret is saved on a system without a keyring. */
export const useStorageQuestion = create<StorageQuestionState>((set, get) => ({
  open: false,
  resolve: null,
  ask() {
    get().resolve?.(null);
    return new Promise<StorageAnswer>((resolve) => set({ open: true, resolve }));
  },
  answer(answer) {
    get().resolve?.(answer);
    set({ open: false, resolve: null });
  },
}));

interface SecretFocusState {
  /** The secret field Settings should focus when it opens (from the "enter it again" notice). */
  field: SecretName | null;
  take(): SecretName | null;
}

export const useSecretFocus = create<SecretFocusState>((set, get) => ({
  field: null,
  take() {
    const { field } = get();
    set({ field: null });
    return field;
  },
}));

/** Opens Settings with the field of this secret focused. */
export function openSecretField(name: SecretName): void {
  useSecretFocus.setState({ field: name });
  useUi.getState().openSettings(true);
}

/** The OS only obfuscates and the user has not said yet whether that is acceptable. */
export const mustAskBeforeStoring = (view: SettingsView | null): boolean =>
  view !== null && view.secretStorage.weakBackend && view.weakSecretStorage === 'ask';

/**
 * Saves a secret (null removes it). The first save on a system without a keyring asks first;
 * the answer is remembered and applies to this very secret. False: not saved (closed, or failed).
 */
export async function saveSecret(name: SecretName, value: string | null): Promise<boolean> {
  const settings = useSettings.getState();
  if (value !== null && mustAskBeforeStoring(settings.view)) {
    const answer = await useStorageQuestion.getState().ask();
    if (answer === null) return false;
    if (!(await settings.update({ weakSecretStorage: answer }))) return false;
  }
  return name === 'kieApiKey' ? settings.setApiKey(value) : settings.setSecret(name, value);
}

/** Secrets that are stored but unreadable and matter with the current settings. */
export function unreadableInUse(view: SettingsView | null): SecretName[] {
  if (!view) return [];
  return view.secretStorage.unreadable.filter((name) =>
    name === 'ngrokAuthtoken'
      ? view.tunnelMode === 'ngrok'
      : name === 'webhookHmacKey'
        ? view.tunnelMode !== 'off'
        : true,
  );
}
