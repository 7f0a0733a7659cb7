import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
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

const { createElectronPorts, createSecretStore } = await import('./ports');

const PLAIN = 'kie-live-0123456789abcdef';
const KEY = 0x5a;

/** Reversible and recognisable, like the real thing: a version prefix, then scrambled bytes. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}) {
  let generation = 1;
  const api = {
    isAsyncEncryptionAvailable: vi.fn(async () => options.available ?? true),
    getSelectedStorageBackend: vi.fn(() => options.backend ?? 'gnome_libsecret'),
    encryptStringAsync: vi.fn(async (plain: string) =>
      Buffer.concat([Buffer.from(`v${generation}:`), Buffer.from(plain).map((b) => b ^ KEY)]),
    ),
    decryptStringAsync: vi.fn(async (cipher: Buffer) => {
      const text = cipher.toString('latin1');
      const match = /^v(\d+):/.exec(text);
      if (!match)
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const result = Buffer.from(cipher.subarray(match[0].length).map((b) => b ^ KEY)).toString();
      return { result, shouldReEncrypt: Number(match[1]) < generation };
    }),
    rotateKey() {
      generation += 1;
    },
  };
  return api as typeof api & SafeStorageApi;
}

describe('createSecretStore', () => {
  let dir: string;
  let logs: MemorySink;
  let file: string;

  const diskStore = (): KeyValueStore => {
    const conf = new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: 'secrets',
      projectName: 'banana-test',
    });
    return { get: (k) => conf.get(k), set: (k, v) => conf.set(k, v), delete: (k) => conf.delete(k) };
  };
  const secretStore = (safeStorage: SafeStorageApi, platform: NodeJS.Platform = 'linux') =>
    createSecretStore({
      safeStorage,
      persisted: diskStore(),
      log: createLogger({ sinks: [logs] }),
      platform,
    });
  const onDisk = async () => readFile(file, 'utf8').catch(() => '');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'banana-secrets-'));
    file = join(dir, 'secrets.json');
    logs = new MemorySink();
  });

  afterEach(async () => {
    expect(JSON.stringify(logs.entries)).not.toContain(PLAIN);
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through OS encryption and keeps only base64 ciphertext on disk', async () => {
    const safeStorage = fakeSafeStorage();
    await secretStore(safeStorage).set('kieApiKey', PLAIN);

    const text = await onDisk();
    expect(text).not.toContain(PLAIN);
    const stored = JSON.parse(text) as Record<string, string>;
    expect(Buffer.from(stored['kieApiKey']!, 'base64').toString('latin1')).toMatch(/^v1:/);

    // A new session (fresh store over the same file) decrypts it.
    expect(await secretStore(safeStorage).get('kieApiKey')).toBe(PLAIN);
    expect(await secretStore(safeStorage).get('ngrokAuthtoken')).toBeNull();
  });

  it('keeps secrets in memory only when encryption is unavailable, and warns once', async () => {
    const safeStorage = fakeSafeStorage({ available: false });
    const store = secretStore(safeStorage);
    await store.set('kieApiKey', PLAIN);
    await store.set('ngrokAuthtoken', 'ngrok-token-value');

    expect(await store.get('kieApiKey')).toBe(PLAIN);
    expect(await onDisk()).not.toContain(PLAIN);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
    expect(logs.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
    expect(await secretStore(safeStorage).get('kieApiKey')).toBeNull();
  });

  it("treats Linux's basic_text backend as no encryption", async () => {
    const safeStorage = fakeSafeStorage({ backend: 'basic_text' });
    await secretStore(safeStorage, 'linux').set('kieApiKey', PLAIN);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
    expect(await onDisk()).not.toContain('kieApiKey');

    await secretStore(safeStorage, 'darwin').set('kieApiKey', PLAIN);
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledTimes(1);
  });

  it('returns null and logs when the ciphertext cannot be decrypted, without throwing', async () => {
    const store = diskStore();
    store.set('kieApiKey', Buffer.from('garbage from another machine').toString('base64'));
    const secrets = secretStore(fakeSafeStorage());
    await expect(secrets.get('kieApiKey')).resolves.toBeNull();
    expect(logs.entries.some((e) => e.level === 'warn' && e.fields?.['entry'] === 'kieApiKey')).toBe(true);
    // Kept: the keyring may be back next session.
    expect(diskStore().get('kieApiKey')).toBeTypeOf('string');
  });

  it('returns null when a stored secret exists but encryption is unavailable this session', async () => {
    await secretStore(fakeSafeStorage()).set('kieApiKey', PLAIN);
    const locked = fakeSafeStorage({ available: false });
    await expect(secretStore(locked).get('kieApiKey')).resolves.toBeNull();
    expect(locked.decryptStringAsync).not.toHaveBeenCalled();
  });

  it('treats a failing availability check as unavailable', async () => {
    const safeStorage = fakeSafeStorage();
    safeStorage.isAsyncEncryptionAvailable.mockRejectedValue(new Error('keyring daemon crashed'));
    const store = secretStore(safeStorage);
    await store.set('kieApiKey', PLAIN);
    expect(await store.get('kieApiKey')).toBe(PLAIN);
    expect(await onDisk()).not.toContain('kieApiKey');
  });

  it('re-encrypts when the OS asks for it', async () => {
    const safeStorage = fakeSafeStorage();
    await secretStore(safeStorage).set('kieApiKey', PLAIN);
    safeStorage.rotateKey();
    expect(await secretStore(safeStorage).get('kieApiKey')).toBe(PLAIN);
    const stored = diskStore().get('kieApiKey') as string;
    expect(Buffer.from(stored, 'base64').toString('latin1')).toMatch(/^v2:/);
  });

  it('falls back to memory when encryption throws, dropping the older ciphertext', async () => {
    const safeStorage = fakeSafeStorage();
    await secretStore(safeStorage).set('kieApiKey', 'old-key-value');
    safeStorage.encryptStringAsync.mockRejectedValueOnce(new Error('encryption failed'));
    const store = secretStore(safeStorage);
    await expect(store.set('kieApiKey', PLAIN)).resolves.toBeUndefined();
    expect(await store.get('kieApiKey')).toBe(PLAIN);
    expect(await secretStore(safeStorage).get('kieApiKey')).toBeNull();
  });

  it('deletes from memory and disk', async () => {
    const safeStorage = fakeSafeStorage();
    const store = secretStore(safeStorage);
    await store.set('kieApiKey', PLAIN);
    await store.delete('kieApiKey');
    expect(await store.get('kieApiKey')).toBeNull();
    expect(await onDisk()).not.toContain('kieApiKey');
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

  it('keeps settings and secrets in separate store files with literal keys', () => {
    createElectronPorts({ isDev: false });
    expect(electron.stores).toEqual([
      { name: 'settings', accessPropertiesByDotNotation: false },
      { name: 'secrets', accessPropertiesByDotNotation: false },
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
