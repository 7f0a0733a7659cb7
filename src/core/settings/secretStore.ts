import {
  SECRET_NAMES,
  STORED_SECRET_NAMES,
  type StoredSecretName,
  type SecretStorageStatus,
  type WeakSecretStorage,
} from '@shared/domain/settings';
import type { Logger } from '../log/logger';
import type { KeyValueStore, OsEncryption, SecretStore } from '../ports';

/**
 * Secrets as OS-encrypted ciphertext (base64) in their own store file, never next to settings.
 *
 * - A real keyring (macOS Keychain, Windows DPAPI, libsecret/KWallet): stored encrypted.
 * - An OS that only obfuscates (Linux without a keyring, Electron's `basic_text`): stored only
 *   if the user said so (`weakSecretStorage: 'store'`); until then, and after a no, the secrets
 *   live in memory for this session only.
 * - No encryption at all: memory for this session only.
 *
 * Nothing here throws for a secret that cannot be read (another computer's ciphertext, a keyring
 * that changed or is gone): `get` returns null, `status` lists it as unreadable so the UI asks
 * for it again, and the ciphertext stays until a new value replaces it (the keyring may be back
 * next session). Logs name the secret, never its value.
 */
export function createSecretStore(deps: {
  encryption: OsEncryption;
  persisted: KeyValueStore;
  log: Logger;
}): SecretStore {
  const { encryption, persisted, log } = deps;
  /** Values known this session: decrypted once, or set. Session-only ones have nothing on disk. */
  const held = new Map<StoredSecretName, string>();
  const unreadable = new Set<StoredSecretName>();
  const warned = new Set<string>();
  /** Null until settings hand over the user's answer; undecided means session only. */
  let choice: WeakSecretStorage | null = null;

  const warnOnce = (key: string, message: string, fields?: Record<string, unknown>): void => {
    if (warned.has(key)) return;
    warned.add(key);
    log.warn(message, fields);
  };

  const stored = (name: StoredSecretName): string | null => {
    const value = persisted.get(name);
    return typeof value === 'string' && value !== '' ? value : null;
  };

  const available = async (): Promise<boolean> => {
    const ok = await encryption.isAvailable().catch(() => false);
    if (!ok) {
      warnOnce(
        'unavailable',
        'OS encryption is unavailable: secrets are kept in memory for this session only',
      );
    }
    return ok;
  };

  /** What `set` does now: encrypt to disk (keychain), obfuscate to disk, or keep in memory. */
  const currentMode = async (): Promise<{ mode: SecretStorageStatus['mode']; weakBackend: boolean }> => {
    if (!(await available())) return { mode: 'session', weakBackend: false };
    const backend = encryption.backend();
    if (!backend.weak) return { mode: 'keychain', weakBackend: false };
    const mode = choice === 'store' ? 'obfuscated' : 'session';
    warnOnce(
      `weak:${mode}`,
      mode === 'obfuscated'
        ? 'No OS keyring: secrets are stored obfuscated, not encrypted, as the user chose'
        : 'No OS keyring: secrets are kept in memory for this session only unless the user agrees to obfuscated storage',
      { backend: backend.name },
    );
    return { mode, weakBackend: true };
  };

  const persist = async (name: StoredSecretName, value: string): Promise<void> => {
    const ciphertext = await encryption.encrypt(value);
    persisted.set(name, ciphertext.toString('base64'));
  };

  const markUnreadable = (name: StoredSecretName, reason: string, error?: unknown): null => {
    unreadable.add(name);
    warnOnce(`unreadable:${name}`, 'A stored secret could not be read; the user is asked to enter it again', {
      entry: name,
      reason,
      ...(error !== undefined ? { error } : {}),
    });
    return null;
  };

  const get = async (name: StoredSecretName): Promise<string | null> => {
    const known = held.get(name);
    if (known !== undefined) return known;
    const ciphertext = stored(name);
    if (ciphertext === null) return null;
    if (!(await available())) return markUnreadable(name, 'encryption unavailable');
    let plain: { value: string; shouldReEncrypt: boolean };
    try {
      plain = await encryption.decrypt(Buffer.from(ciphertext, 'base64'));
    } catch (error) {
      return markUnreadable(name, 'decrypt failed', error);
    }
    unreadable.delete(name);
    held.set(name, plain.value);
    if (plain.shouldReEncrypt) {
      await persist(name, plain.value).catch((error: unknown) =>
        log.warn('Could not re-encrypt a secret', { entry: name, error }),
      );
    }
    return plain.value;
  };

  /** After a change of answer on a weak backend: the secrets held now follow the new answer. */
  const migrate = async (to: WeakSecretStorage): Promise<void> => {
    if (to === 'store') {
      for (const [name, value] of held) {
        if (stored(name) !== null) continue;
        await persist(name, value).catch((error: unknown) =>
          log.error('Could not store a secret; keeping it for this session only', { entry: name, error }),
        );
      }
      return;
    }
    for (const name of STORED_SECRET_NAMES) {
      if (stored(name) === null) continue;
      // Unreadable ones stay: they are not this backend's, and may be readable again later.
      if ((await get(name)) !== null) persisted.delete(name);
    }
  };

  return {
    get,

    async set(name, value) {
      unreadable.delete(name);
      held.set(name, value);
      const { mode } = await currentMode();
      if (mode !== 'session') {
        try {
          await persist(name, value);
          return;
        } catch (error) {
          log.error('Could not encrypt a secret; keeping it for this session only', { entry: name, error });
        }
      }
      // An older (or unreadable) ciphertext must not come back next session in place of this value.
      persisted.delete(name);
    },

    async delete(name) {
      held.delete(name);
      unreadable.delete(name);
      persisted.delete(name);
    },

    async status() {
      await Promise.all(SECRET_NAMES.map(get));
      const { mode, weakBackend } = await currentMode();
      return { mode, weakBackend, unreadable: SECRET_NAMES.filter((name) => unreadable.has(name)) };
    },

    async setWeakStorageChoice(next) {
      const previous = choice;
      choice = next;
      if (previous === null || (previous === 'store') === (next === 'store')) return;
      log.info('Secret storage choice changed', { choice: next });
      const { weakBackend } = await currentMode();
      if (weakBackend) await migrate(next);
    },
  };
}

/**
 * Secrets in memory only, for this session (the default web harness and tests). Reports itself
 * as such, so the UI says so.
 */
export function sessionSecretStore(initial: Partial<Record<StoredSecretName, string>> = {}): SecretStore & {
  values: Map<StoredSecretName, string>;
} {
  const values = new Map(Object.entries(initial) as [StoredSecretName, string][]);
  return {
    values,
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
    status: async () => ({ mode: 'session', weakBackend: false, unreadable: [] }),
    setWeakStorageChoice: async () => undefined,
  };
}
