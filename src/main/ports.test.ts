import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, MemorySink } from '@core/log/logger';
import type { KeyValueStore } from '@core/ports';
import type { SafeStorageApi } from './ports';

const electron = vi.hoisted(() => ({
  userData: '',
  notificationSupported: true,
  shown: [] as { title: string; body: string }[],
  stores: [] as Record<string, unknown>[],
}));

vi.mock('electron', () => ({
  app: {
    getPath: (name: string) => (name === 'userData' ? electron.userData : `/home/me/${name}`),
    getVersion: () => '1.2.3',
    getLocale: () => 'zh-CN',
  },
  Notification: class {
    static isSupported = () => electron.notificationSupported;
    constructor(private readonly options: { title: string; body: string }) {}
    on() {
      return this;
    }
    show() {
      electron.shown.push(this.options);
    }
  },
  safeStorage: {},
}));

vi.mock('electron-store', () => ({
  default: class {
    private readonly data = new Map<string, unknown>();
    constructor(options: Record<string, unknown>) {
      electron.stores.push(options);
    }
    get = (key: string) => this.data.get(key);
    set = (key: string, value: unknown) => void this.data.set(key, value);
    delete = (key: string) => void this.data.delete(key);
  },
}));

const { createElectronPorts, electronSecretStore, safeStorageEncryption } = await import('./ports');

const PLAIN = 'kie-live-0123456789abcdef';

/** Electron's safeStorage as far as the adapter sees it: a reversible scramble with a prefix. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}) {
  const api = {
    isAsyncEncryptionAvailable: vi.fn(async () => options.available ?? true),
    getSelectedStorageBackend: vi.fn(() => options.backend ?? 'gnome_libsecret'),
    encryptStringAsync: vi.fn(async (plain: string) =>
      Buffer.concat([Buffer.from('v11:'), Buffer.from(plain).map((b) => b ^ 0x5a)]),
    ),
    decryptStringAsync: vi.fn(async (cipher: Buffer) => {
      if (!cipher.toString('latin1').startsWith('v11:'))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return {
        result: Buffer.from(cipher.subarray(4).map((b) => b ^ 0x5a)).toString(),
        shouldReEncrypt: true,
      };
    }),
  };
  return api as typeof api & SafeStorageApi;
}

describe('safeStorageEncryption', () => {
  it("reports Linux's basic_text backend as weak, and a keyring as strong", () => {
    expect(safeStorageEncryption(fakeSafeStorage({ backend: 'basic_text' }), 'linux').backend()).toEqual({
      name: 'basic_text',
      weak: true,
    });
    expect(safeStorageEncryption(fakeSafeStorage({ backend: 'kwallet5' }), 'linux').backend()).toEqual({
      name: 'kwallet5',
      weak: false,
    });
  });

  it('does not ask for a storage backend outside Linux, where the call does not exist', () => {
    const safeStorage = fakeSafeStorage({ backend: 'basic_text' });
    expect(safeStorageEncryption(safeStorage, 'darwin').backend()).toEqual({ name: 'keychain', weak: false });
    expect(safeStorageEncryption(safeStorage, 'win32').backend()).toEqual({ name: 'dpapi', weak: false });
    expect(safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });

  it('passes availability, encryption and decryption (with shouldReEncrypt) through', async () => {
    const encryption = safeStorageEncryption(fakeSafeStorage({ available: false }), 'linux');
    expect(await encryption.isAvailable()).toBe(false);
    const cipher = await encryption.encrypt(PLAIN);
    expect(cipher.toString('latin1')).not.toContain(PLAIN);
    expect(await encryption.decrypt(cipher)).toEqual({ value: PLAIN, shouldReEncrypt: true });
    await expect(encryption.decrypt(Buffer.from('garbage'))).rejects.toThrow(/decrypting/);
  });
});

describe('electronSecretStore', () => {
  const persisted = (): KeyValueStore & { data: Map<string, unknown> } => {
    const data = new Map<string, unknown>();
    return {
      data,
      get: (k) => data.get(k),
      set: (k, v) => void data.set(k, v),
      delete: (k) => void data.delete(k),
    };
  };
  const log = () => createLogger({ sinks: [new MemorySink()] });

  it('stores keychain ciphertext as base64 in its own store', async () => {
    const safeStorage = fakeSafeStorage();
    const disk = persisted();
    const secrets = electronSecretStore({ safeStorage, persisted: disk, log: log(), platform: 'linux' });
    await secrets.setWeakStorageChoice('ask');
    await secrets.set('kieApiKey', PLAIN);
    expect(Buffer.from(disk.data.get('kieApiKey') as string, 'base64').toString('latin1')).toMatch(/^v11:/);
    expect(await electronSecretStore({ safeStorage, persisted: disk, log: log() }).get('kieApiKey')).toBe(
      PLAIN,
    );
  });

  it('on Linux without a keyring, asks first: nothing reaches safeStorage until the user agrees', async () => {
    const safeStorage = fakeSafeStorage({ backend: 'basic_text' });
    const disk = persisted();
    const secrets = electronSecretStore({ safeStorage, persisted: disk, log: log(), platform: 'linux' });
    await secrets.setWeakStorageChoice('ask');
    await secrets.set('kieApiKey', PLAIN);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
    expect(await secrets.status()).toEqual({ mode: 'session', weakBackend: true, unreadable: [] });

    await secrets.setWeakStorageChoice('store');
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledTimes(1);
    expect(disk.data.get('kieApiKey')).toBeTypeOf('string');
  });

  it('a ciphertext safeStorage cannot decrypt is unreadable, not an error', async () => {
    const disk = persisted();
    disk.set('kieApiKey', Buffer.from('v10:from another computer').toString('base64'));
    const secrets = electronSecretStore({ safeStorage: fakeSafeStorage(), persisted: disk, log: log() });
    await expect(secrets.get('kieApiKey')).resolves.toBeNull();
    expect((await secrets.status()).unreadable).toEqual(['kieApiKey']);
  });
});

describe('createElectronPorts', () => {
  beforeEach(async () => {
    electron.userData = await mkdtemp(join(tmpdir(), 'banana-userdata-'));
    electron.stores.length = 0;
    electron.shown.length = 0;
  });

  afterEach(async () => {
    await rm(electron.userData, { recursive: true, force: true });
  });

  it('keeps settings and secrets in separate store files with literal keys, for this user only', () => {
    createElectronPorts({ isDev: false });
    expect(electron.stores).toEqual([
      { name: 'settings', accessPropertiesByDotNotation: false, configFileMode: 0o600 },
      { name: 'secrets', accessPropertiesByDotNotation: false, configFileMode: 0o600 },
    ]);
  });

  it('puts data in userData and the library in Pictures', () => {
    const ports = createElectronPorts({ isDev: false });
    expect(ports.paths).toEqual({
      dataDir: electron.userData,
      defaultLibraryDir: join('/home/me/pictures', 'Banana Studio'),
    });
    expect(ports.hostInfo).toEqual({
      host: 'electron',
      appVersion: '1.2.3',
      platform: process.platform,
      locale: 'zh-CN',
    });
  });

  it('makes gallery URLs with the id encoded', () => {
    const ports = createElectronPorts({ isDev: false });
    expect(ports.imageUrl('image', 'abc')).toBe('gallery://image/abc');
    expect(ports.imageUrl('thumb', 'abc')).toBe('gallery://thumb/abc');
    expect(ports.imageUrl('image', 'a/b c?#')).toBe('gallery://image/a%2Fb%20c%3F%23');
  });

  it('notifies only where notifications are supported', () => {
    const ports = createElectronPorts({ isDev: false });
    electron.notificationSupported = true;
    ports.shell.notify('Banana Studio', 'Done');
    electron.notificationSupported = false;
    ports.shell.notify('Banana Studio', 'Also done');
    expect(electron.shown).toEqual([{ title: 'Banana Studio', body: 'Done' }]);
  });

  it('logs to a rotating file in userData/logs, with secrets redacted', async () => {
    const ports = createElectronPorts({ isDev: false });
    ports.redactor?.addSecret(PLAIN);
    ports.log.info('hello', { note: `key is ${PLAIN}` });
    await ports.logSink.flush();
    const text = await readFile(join(electron.userData, 'logs', 'main.log'), 'utf8');
    expect(text).toContain('hello');
    expect(text).not.toContain(PLAIN);
  });
});
