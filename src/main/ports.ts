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
  type OsEncryption,
  type SecretStore,
} from '@core/ports';
import { createSecretStore } from '@core/settings/secretStore';
import { GALLERY_SCHEME } from './protocols';
import { electronShell } from './shell';
import { createUpdater } from './updates';

/**
 * A JSON file in userData. Dot notation is off so a key is always one literal key. Mode 0600:
 * other accounts on the computer may not read settings or secrets' ciphertext (conf also
 * tightens a file an older version left at 0644, on its next write).
 */
export function electronStore(name: string): KeyValueStore {
  const store = new Store<Record<string, unknown>>({
    name,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
  });
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
 * safeStorage as core's OS encryption port. On Linux without a keyring Electron falls back to
 * `basic_text`, a hard-coded key: obfuscation, not encryption, so it is reported as weak and core
 * asks the user before storing anything with it.
 */
export function safeStorageEncryption(
  safeStorage: SafeStorageApi,
  platform: NodeJS.Platform = process.platform,
): OsEncryption {
  return {
    isAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    backend: () => {
      // getSelectedStorageBackend exists on Linux only.
      if (platform !== 'linux') return { name: platform === 'darwin' ? 'keychain' : 'dpapi', weak: false };
      const name = safeStorage.getSelectedStorageBackend();
      return { name, weak: name === 'basic_text' };
    },
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    decrypt: async (ciphertext) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(ciphertext);
      return { value: result, shouldReEncrypt };
    },
  };
}

/** Core's secret store over safeStorage, with the ciphertext in its own store file. */
export function electronSecretStore(deps: {
  safeStorage: SafeStorageApi;
  persisted: KeyValueStore;
  log: Logger;
  platform?: NodeJS.Platform;
}): SecretStore {
  return createSecretStore({
    encryption: safeStorageEncryption(deps.safeStorage, deps.platform),
    persisted: deps.persisted,
    log: deps.log,
  });
}

/** Everything core needs from Electron. Call after `app.ready` (safeStorage needs it on Linux). */
export function createElectronPorts(options: { isDev: boolean }): CorePorts & { logSink: RotatingFileSink } {
  const dataDir = app.getPath('userData');
  const redactor = new Redactor();
  const logSink = new RotatingFileSink(join(dataDir, 'logs'));
  // The log view reads back from the file, so a job from before a restart keeps its lines.
  const logHistory = new MemorySink(500, logSink);
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
    secrets: electronSecretStore({
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
