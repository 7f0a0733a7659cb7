import { join } from 'node:path';
import { app, safeStorage } from 'electron';
import Store from 'electron-store';
import {
  ConsoleSink,
  createLogger,
  MemorySink,
  Redactor,
  RotatingFileSink,
  type Logger,
  type LogSink,
} from '@core/log/logger';
import {
  systemClock,
  type CorePorts,
  type KeyValueStore,
  type SecretName,
  type SecretStore,
} from '@core/ports';
import { GALLERY_SCHEME } from './protocols';
import { electronShell } from './shell';
import { createUpdater } from './updates';

/** A JSON file in userData. Dot notation is off so a key is always one literal key. */
export function electronStore(name: string): KeyValueStore {
  const store = new Store<Record<string, unknown>>({ name, accessPropertiesByDotNotation: false });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}

/** The part of Electron's safeStorage the secret store uses (a fake in tests). */
export type SafeStorageApi = Pick<
  Electron.SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

/**
 * Secrets as OS-encrypted ciphertext (base64) in their own store file, never next to settings.
 * Without real encryption they live in memory for this session only: asking again is better
 * than leaving an API key readable on disk. Nothing here throws for a bad or unreadable
 * secret; `get` returns null and the UI asks the user to enter it again.
 */
export function createSecretStore(deps: {
  safeStorage: SafeStorageApi;
  persisted: KeyValueStore;
  log: Logger;
  platform?: NodeJS.Platform;
}): SecretStore {
  const { safeStorage, persisted, log } = deps;
  const platform = deps.platform ?? process.platform;
  const sessionOnly = new Map<SecretName, string>();
  let warned = false;

  const encryptionAvailable = async (): Promise<boolean> => {
    // Linux without a keyring falls back to a hard-coded key: obfuscation, not encryption.
    const available =
      (await safeStorage.isAsyncEncryptionAvailable().catch(() => false)) &&
      !(platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text');
    if (!available && !warned) {
      warned = true;
      log.warn('OS encryption is unavailable: secrets are kept in memory for this session only');
    }
    return available;
  };

  const persist = async (name: SecretName, value: string): Promise<void> => {
    const ciphertext = await safeStorage.encryptStringAsync(value);
    persisted.set(name, ciphertext.toString('base64'));
  };

  return {
    async get(name) {
      const held = sessionOnly.get(name);
      if (held !== undefined) return held;
      const stored = persisted.get(name);
      if (typeof stored !== 'string' || stored === '') return null;
      if (!(await encryptionAvailable())) {
        log.warn('A stored secret cannot be decrypted this session', { entry: name });
        return null;
      }
      try {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(
          Buffer.from(stored, 'base64'),
        );
        if (shouldReEncrypt) {
          await persist(name, result).catch((error: unknown) =>
            log.warn('Could not re-encrypt a secret', { entry: name, error }),
          );
        }
        return result;
      } catch (error) {
        log.warn('Could not decrypt a stored secret', { entry: name, error });
        return null;
      }
    },

    async set(name, value) {
      if (await encryptionAvailable()) {
        try {
          await persist(name, value);
          sessionOnly.delete(name);
          return;
        } catch (error) {
          log.error('Could not encrypt a secret; keeping it for this session only', { entry: name, error });
        }
      }
      sessionOnly.set(name, value);
      // An older ciphertext must not come back next session in place of the value just set.
      persisted.delete(name);
    },

    async delete(name) {
      sessionOnly.delete(name);
      persisted.delete(name);
    },
  };
}

/** Everything core needs from Electron. Call after `app.ready` (safeStorage needs it on Linux). */
export function createElectronPorts(options: { isDev: boolean }): CorePorts & { logSink: RotatingFileSink } {
  const dataDir = app.getPath('userData');
  const redactor = new Redactor();
  const logSink = new RotatingFileSink(join(dataDir, 'logs'));
  const logHistory = new MemorySink(500);
  const sinks: LogSink[] = options.isDev
    ? [logSink, logHistory, new ConsoleSink('debug')]
    : [logSink, logHistory];
  const log = createLogger({ sinks, redactor, scope: 'main' });

  return {
    logSink,
    logHistory,
    log,
    redactor,
    store: electronStore('settings'),
    secrets: createSecretStore({
      safeStorage,
      persisted: electronStore('secrets'),
      log: log.child('secrets'),
    }),
    paths: { dataDir, defaultLibraryDir: join(app.getPath('pictures'), 'Banana Studio') },
    shell: electronShell(),
    // image | thumb | ref: the protocol hands any asset to core, which decides what it serves.
    imageUrl: (asset, id) => `${GALLERY_SCHEME}://${asset}/${encodeURIComponent(id)}`,
    clock: systemClock,
    updater: createUpdater({
      // Loaded on first use: nothing update-related runs unless the user asks or opted in.
      autoUpdater: async () => (await import('electron-updater')).autoUpdater,
      currentVersion: app.getVersion(),
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      log: log.child('updates'),
    }),
    hostInfo: {
      host: 'electron',
      appVersion: app.getVersion(),
      platform: process.platform,
      locale: app.getLocale(),
    },
  };
}
