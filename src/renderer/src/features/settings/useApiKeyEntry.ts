import { useState } from 'react';
import type { WireError } from '@shared/ipc/result';
import { saveSecret } from '../../store/secrets';

/** Shorter than any KIE key: a slip of the paste, caught before it reaches KIE or the keyring. */
export const MIN_KEY_LENGTH = 8;

/** KIE answered and said no to the key itself (not: no key saved, or KIE not reachable). */
export const keyRejected = (error: WireError): boolean =>
  error.code === 'UNAUTHORIZED' && error.details?.['reason'] !== 'missing-key';

/**
 * Typing and saving the KIE key, shared by Settings and the welcome card: the typed value, the
 * "too short" flag, and a save that goes through `saveSecret` (so a system without a keyring
 * asks first). `save` is true when the key was stored; the field is then cleared.
 */
export function useApiKeyEntry() {
  const [key, setKey] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [saving, setSaving] = useState(false);

  const change = (value: string) => {
    setKey(value);
    setInvalid(false);
  };

  /** The trimmed key when it is long enough to try; otherwise flags it and gives null. */
  const checked = (): string | null => {
    const typed = key.trim();
    if (typed.length < MIN_KEY_LENGTH) {
      setInvalid(true);
      return null;
    }
    return typed;
  };

  const save = async (): Promise<boolean> => {
    const typed = checked();
    if (typed === null) return false;
    setSaving(true);
    const saved = await saveSecret('kieApiKey', typed);
    setSaving(false);
    if (saved) setKey('');
    return saved;
  };

  return { key, change, invalid, setInvalid, checked, saving, save };
}
