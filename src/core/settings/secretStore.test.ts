import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WeakSecretStorage } from '@shared/domain/settings';
import { createCore } from '../createCore';
import { createLogger, MemorySink } from '../log/logger';
import type { KeyValueStore } from '../ports';
import { fakeOsEncryption, sealFor, type FakeOsEncryptionOptions } from '../testing/fakeOsEncryption';
import { memoryStore, testPorts } from '../testing/memoryPorts';
import { useTempDirs } from '../testing/tempDir';
import { createSecretStore } from './secretStore';
import { SettingsService } from './settings';

const PLAIN = 'kie-live-0123456789abcdef';
const OTHER = 'kie-live-fedcba9876543210';

describe('createSecretStore', () => {
  const tempDir = useTempDirs();
  let dir: string;
  let logs: MemorySink;

  /** The secrets file on disk; a fresh Conf each time, like a new session would open it. */
  const diskStore = (): KeyValueStore => {
    const conf = new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: 'secrets',
      projectName: 'banana-test',
    });
    return { get: (k) => conf.get(k), set: (k, v) => conf.set(k, v), delete: (k) => conf.delete(k) };
  };
  /** One app session: a store over the same file, with the user's answer handed over as at start. */
  const session = async (
    encryption: ReturnType<typeof fakeOsEncryption>,
    choice: WeakSecretStorage = 'ask',
  ) => {
    const store = createSecretStore({
      encryption,
      persisted: diskStore(),
      log: createLogger({ sinks: [logs] }),
    });
    await store.setWeakStorageChoice(choice);
    return store;
  };
  const fake = (options: FakeOsEncryptionOptions = {}) => fakeOsEncryption(options);
  const onDisk = async () => readFile(join(dir, 'secrets.json'), 'utf8').catch(() => '');
  const storedCipher = (name: string) => diskStore().get(name);
  const warnings = () => logs.entries.filter((entry) => entry.level === 'warn');

  beforeEach(async () => {
    dir = await tempDir();
    logs = new MemorySink();
  });

  afterEach(() => {
    // Logs name secrets, never their values.
    expect(JSON.stringify(logs.entries)).not.toContain(PLAIN);
    expect(JSON.stringify(logs.entries)).not.toContain(OTHER);
  });

  describe('with a real keyring', () => {
    it('round-trips through OS encryption and keeps only base64 ciphertext on disk', async () => {
      const encryption = fake();
      await (await session(encryption)).set('kieApiKey', PLAIN);

      const text = await onDisk();
      expect(text).not.toContain(PLAIN);
      expect(text).not.toContain(Buffer.from(PLAIN).toString('base64'));
      const stored = storedCipher('kieApiKey') as string;
      expect(Buffer.from(stored, 'base64').toString('latin1')).toMatch(/^fake-v1:this-computer:/);

      const next = await session(encryption);
      expect(await next.get('kieApiKey')).toBe(PLAIN);
      expect(await next.get('ngrokAuthtoken')).toBeNull();
      expect(await next.status()).toEqual({ mode: 'keychain', weakBackend: false, unreadable: [] });
      expect(warnings()).toEqual([]);
    });

    it('decrypts a stored secret once per session', async () => {
      const encryption = fake();
      await (await session(encryption)).set('kieApiKey', PLAIN);
      const next = await session(encryption);
      await next.get('kieApiKey');
      await next.get('kieApiKey');
      await next.status();
      expect(encryption.decryptCalls).toBe(1);
    });

    it('re-encrypts when the OS asks for it', async () => {
      const encryption = fake();
      await (await session(encryption)).set('kieApiKey', PLAIN);
      encryption.rotateKey();
      expect(await (await session(encryption)).get('kieApiKey')).toBe(PLAIN);
      const stored = storedCipher('kieApiKey') as string;
      expect(Buffer.from(stored, 'base64').toString('latin1')).toMatch(/^fake-v2:/);
      expect(await (await session(encryption)).get('kieApiKey')).toBe(PLAIN);
    });

    it('falls back to memory when encryption throws, dropping the older ciphertext', async () => {
      const encryption = fake();
      await (await session(encryption)).set('kieApiKey', OTHER);
      encryption.failEncrypt = true;
      const store = await session(encryption);
      await expect(store.set('kieApiKey', PLAIN)).resolves.toBeUndefined();
      expect(await store.get('kieApiKey')).toBe(PLAIN);
      expect(logs.entries.some((e) => e.level === 'error' && e.fields?.['entry'] === 'kieApiKey')).toBe(true);
      encryption.failEncrypt = false;
      expect(await (await session(encryption)).get('kieApiKey')).toBeNull();
    });

    it('ignores the weak-storage answer: keychain secrets are never moved or deleted by it', async () => {
      const encryption = fake();
      const store = await session(encryption, 'store');
      await store.set('kieApiKey', PLAIN);
      await store.setWeakStorageChoice('session');
      expect(storedCipher('kieApiKey')).toBeTypeOf('string');
      expect(await (await session(encryption, 'session')).get('kieApiKey')).toBe(PLAIN);
      expect((await store.status()).mode).toBe('keychain');
    });

    it('deletes from memory and disk', async () => {
      const store = await session(fake());
      await store.set('kieApiKey', PLAIN);
      await store.delete('kieApiKey');
      expect(await store.get('kieApiKey')).toBeNull();
      expect(await onDisk()).not.toContain('kieApiKey');
    });
  });

  describe('with a weak backend (Linux without a keyring: basic_text)', () => {
    it('undecided: keeps secrets for this session only, writes nothing, and warns', async () => {
      const encryption = fake({ backend: 'basic_text' });
      const store = await session(encryption);
      await store.set('kieApiKey', PLAIN);
      await store.set('ngrokAuthtoken', 'ngrok-token-value');

      expect(await store.get('kieApiKey')).toBe(PLAIN);
      expect(encryption.encryptCalls).toBe(0);
      expect(await onDisk()).not.toContain('kieApiKey');
      expect(await store.status()).toEqual({ mode: 'session', weakBackend: true, unreadable: [] });
      expect(warnings().map((entry) => entry.fields?.['backend'])).toEqual(['basic_text']);
      expect(await (await session(encryption)).get('kieApiKey')).toBeNull();
    });

    it('with consent: stores obfuscated ciphertext that the next session reads', async () => {
      const encryption = fake({ backend: 'basic_text' });
      const store = await session(encryption, 'store');
      await store.set('kieApiKey', PLAIN);

      expect(encryption.encryptCalls).toBe(1);
      expect(await onDisk()).not.toContain(PLAIN);
      expect(storedCipher('kieApiKey')).toBeTypeOf('string');
      expect(await store.status()).toEqual({ mode: 'obfuscated', weakBackend: true, unreadable: [] });
      expect(await (await session(encryption, 'store')).get('kieApiKey')).toBe(PLAIN);
    });

    it('declined: session only, and saving replaces an older ciphertext instead of leaving it', async () => {
      const encryption = fake({ backend: 'basic_text' });
      await (await session(encryption, 'store')).set('kieApiKey', OTHER);
      const persisted = diskStore();
      const store = createSecretStore({ encryption, persisted, log: createLogger({ sinks: [logs] }) });
      await store.setWeakStorageChoice('session');
      await store.set('kieApiKey', PLAIN);

      expect(await store.get('kieApiKey')).toBe(PLAIN);
      expect(storedCipher('kieApiKey')).toBeUndefined();
      expect(await store.status()).toEqual({ mode: 'session', weakBackend: true, unreadable: [] });
      expect(await (await session(encryption, 'session')).get('kieApiKey')).toBeNull();
    });

    it('a later yes stores the secrets held for the session', async () => {
      const encryption = fake({ backend: 'basic_text' });
      const store = await session(encryption, 'ask');
      await store.set('kieApiKey', PLAIN);
      await store.set('webhookHmacKey', 'whsec-0123456789');
      expect(await onDisk()).not.toContain('kieApiKey');

      await store.setWeakStorageChoice('store');
      const next = await session(encryption, 'store');
      expect(await next.get('kieApiKey')).toBe(PLAIN);
      expect(await next.get('webhookHmacKey')).toBe('whsec-0123456789');
    });

    it('a later no removes stored secrets from disk but keeps them for this session', async () => {
      const encryption = fake({ backend: 'basic_text' });
      await (await session(encryption, 'store')).set('kieApiKey', PLAIN);
      const store = await session(encryption, 'store');

      await store.setWeakStorageChoice('session');
      expect(storedCipher('kieApiKey')).toBeUndefined();
      expect(await store.get('kieApiKey')).toBe(PLAIN);
      expect((await store.status()).mode).toBe('session');
      expect(await (await session(encryption, 'session')).get('kieApiKey')).toBeNull();
    });

    it('the first answer (at start) is adopted without moving anything', async () => {
      const encryption = fake({ backend: 'basic_text' });
      await (await session(encryption, 'store')).set('kieApiKey', PLAIN);
      // A start with 'session' after an earlier 'store' must not delete what is there before asked.
      const store = await session(encryption, 'session');
      expect(storedCipher('kieApiKey')).toBeTypeOf('string');
      expect(await store.get('kieApiKey')).toBe(PLAIN);
    });

    it('a later no leaves an unreadable ciphertext alone (it may be a keyring’s that comes back)', async () => {
      const encryption = fake({ backend: 'basic_text' });
      diskStore().set('kieApiKey', sealFor('gnome-keyring', 1, PLAIN).toString('base64'));
      const store = await session(encryption, 'store');
      await store.setWeakStorageChoice('session');
      expect(storedCipher('kieApiKey')).toBeTypeOf('string');
      expect((await store.status()).unreadable).toEqual(['kieApiKey']);
    });
  });

  describe('stored secrets that cannot be read', () => {
    it('decrypt throws: null, not a crash; marked unreadable; warned once; ciphertext kept', async () => {
      diskStore().set('kieApiKey', sealFor('another-computer', 1, PLAIN).toString('base64'));
      const store = await session(fake());

      await expect(store.get('kieApiKey')).resolves.toBeNull();
      await expect(store.get('kieApiKey')).resolves.toBeNull();
      expect(await store.status()).toEqual({
        mode: 'keychain',
        weakBackend: false,
        unreadable: ['kieApiKey'],
      });
      const about = warnings().filter((entry) => entry.fields?.['entry'] === 'kieApiKey');
      expect(about).toHaveLength(1);
      expect(about[0]?.fields?.['reason']).toBe('decrypt failed');
      // Kept: the keyring it belongs to may be back next session.
      expect(storedCipher('kieApiKey')).toBeTypeOf('string');
    });

    it('a new value replaces the broken ciphertext and clears the mark', async () => {
      diskStore().set('kieApiKey', sealFor('another-computer', 1, OTHER).toString('base64'));
      const encryption = fake();
      const store = await session(encryption);
      expect((await store.status()).unreadable).toEqual(['kieApiKey']);

      await store.set('kieApiKey', PLAIN);
      expect((await store.status()).unreadable).toEqual([]);
      expect(await (await session(encryption)).get('kieApiKey')).toBe(PLAIN);
    });

    it('removing it clears the mark too', async () => {
      diskStore().set('ngrokAuthtoken', Buffer.from('garbage').toString('base64'));
      const store = await session(fake());
      expect((await store.status()).unreadable).toEqual(['ngrokAuthtoken']);
      await store.delete('ngrokAuthtoken');
      expect((await store.status()).unreadable).toEqual([]);
      expect(storedCipher('ngrokAuthtoken')).toBeUndefined();
    });

    it('encryption unavailable this session: stored ones are unreadable, without trying to decrypt', async () => {
      await (await session(fake())).set('kieApiKey', PLAIN);
      await (await session(fake())).set('webhookHmacKey', 'whsec-0123456789');
      const locked = fake({ available: false });
      const store = await session(locked);

      await expect(store.get('kieApiKey')).resolves.toBeNull();
      expect(locked.decryptCalls).toBe(0);
      expect(await store.status()).toEqual({
        mode: 'session',
        weakBackend: false,
        unreadable: ['kieApiKey', 'webhookHmacKey'],
      });
      // New values live for the session only, and the old ciphertext does not come back.
      await store.set('kieApiKey', OTHER);
      expect(await store.get('kieApiKey')).toBe(OTHER);
      expect(locked.encryptCalls).toBe(0);
      expect(storedCipher('kieApiKey')).toBeUndefined();
      expect(storedCipher('webhookHmacKey')).toBeTypeOf('string');
    });

    it('treats a failing availability check as unavailable', async () => {
      const encryption = fake();
      encryption.availabilityThrows = true;
      const store = await session(encryption);
      await store.set('kieApiKey', PLAIN);
      expect(await store.get('kieApiKey')).toBe(PLAIN);
      expect(await onDisk()).not.toContain('kieApiKey');
      expect((await store.status()).mode).toBe('session');
      expect(warnings().filter((entry) => /unavailable/.test(entry.message))).toHaveLength(1);
    });
  });
});

describe('secret storage through settings and the core', () => {
  const tempDir = useTempDirs();

  it('the view reports how secrets are kept, and an update of the answer applies at once', async () => {
    const encryption = fakeOsEncryption({ backend: 'basic_text' });
    const persisted = memoryStore();
    const log = createLogger({ sinks: [] });
    const secrets = createSecretStore({ encryption, persisted, log });
    const store = memoryStore();
    const service = new SettingsService(store, secrets, { dataDir: '/d', defaultLibraryDir: '/l' }, log);
    await service.applyWeakStorageChoice();
    await service.setApiKey(PLAIN);
    expect((await service.view(null)).secretStorage).toEqual({
      mode: 'session',
      weakBackend: true,
      unreadable: [],
    });
    expect(persisted.data.size).toBe(0);

    service.update({ weakSecretStorage: 'store' });
    await service.applyWeakStorageChoice();
    const view = await service.view(null);
    expect(view).toMatchObject({ weakSecretStorage: 'store', hasApiKey: true });
    expect(view.secretStorage.mode).toBe('obfuscated');
    expect(persisted.data.has('kieApiKey')).toBe(true);
    // The answer is an ordinary setting; the key is not in the settings file.
    expect(store.data.get('settings')).toMatchObject({ weakSecretStorage: 'store' });
    expect(JSON.stringify([...store.data.values()])).not.toContain(PLAIN);
  });

  it('an unreadable key: the view says so, jobs fail with "no key" and a new key fixes it', async () => {
    const dataDir = await tempDir();
    const persisted = memoryStore({ kieApiKey: sealFor('another-computer', 1, OTHER).toString('base64') });
    const ports = testPorts(dataDir, { settings: { kieApiBaseUrl: 'http://127.0.0.1:9' } });
    const secrets = createSecretStore({ encryption: fakeOsEncryption(), persisted, log: ports.log });
    const core = await createCore({ ...ports, secrets }, { libraryScanDelayMs: 60_000 });
    try {
      const get = await core.dispatch('settings.get', {}, { transport: 'test' });
      expect(get.ok && get.value).toMatchObject({
        hasApiKey: false,
        secretStorage: { mode: 'keychain', unreadable: ['kieApiKey'] },
      });
      const submit = await core.dispatch(
        'jobs.submit',
        {
          model: 'google/nano-banana',
          prompt: 'a lighthouse',
          aspectRatio: '1:1',
          outputFormat: 'png',
          resolution: null,
        },
        { transport: 'test' },
      );
      expect(submit.ok).toBe(false);
      expect(!submit.ok && submit.error).toMatchObject({
        code: 'UNAUTHORIZED',
        details: { reason: 'missing-key' },
      });

      const saved = await core.dispatch('settings.setApiKey', { apiKey: PLAIN }, { transport: 'test' });
      expect(saved.ok && saved.value).toMatchObject({ hasApiKey: true, secretStorage: { unreadable: [] } });
      expect(ports.logs.entries.some((entry) => entry.fields?.['entry'] === 'kieApiKey')).toBe(true);
      expect(JSON.stringify(ports.logs.entries)).not.toContain(PLAIN);
    } finally {
      await core.dispose();
    }
  });

  it('settings.update with a new answer moves the held secrets (weak backend)', async () => {
    const dataDir = await tempDir();
    const persisted = memoryStore();
    const ports = testPorts(dataDir);
    const secrets = createSecretStore({
      encryption: fakeOsEncryption({ backend: 'basic_text' }),
      persisted,
      log: ports.log,
    });
    const core = await createCore({ ...ports, secrets }, { libraryScanDelayMs: 60_000 });
    try {
      await core.dispatch(
        'settings.setSecret',
        { name: 'ngrokAuthtoken', value: 'ngrok-0123456789' },
        { transport: 'test' },
      );
      expect(persisted.data.size).toBe(0);
      const stored = await core.dispatch(
        'settings.update',
        { weakSecretStorage: 'store' },
        { transport: 'test' },
      );
      expect(stored.ok && stored.value).toMatchObject({ secretStorage: { mode: 'obfuscated' } });
      expect(persisted.data.has('ngrokAuthtoken')).toBe(true);
      const back = await core.dispatch(
        'settings.update',
        { weakSecretStorage: 'session' },
        { transport: 'test' },
      );
      expect(back.ok && back.value).toMatchObject({
        hasNgrokAuthtoken: true,
        secretStorage: { mode: 'session' },
      });
      expect(persisted.data.size).toBe(0);
    } finally {
      await core.dispose();
    }
  });
});
