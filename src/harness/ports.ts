import Conf from 'conf';
import type { Logger } from '@core/log/logger';
import type { KeyValueStore, SecretName, SecretStore } from '@core/ports';
import { createSecretStore, sessionSecretStore } from '@core/settings/secretStore';
import { fakeOsEncryption, sealFor } from '@core/testing/fakeOsEncryption';

/**
 * Settings for the harness: `conf` (the library electron-store wraps) in the harness data folder.
 * `configName` picks the file (`settings.json`, or `secrets.json` for ciphertext).
 */
export function confStore(dataDir: string, configName = 'settings'): KeyValueStore {
  const conf = new Conf<Record<string, unknown>>({
    projectName: 'banana-studio',
    cwd: dataDir,
    configName,
    // Settings and ciphertext are for this user only; an existing file is tightened on write.
    configFileMode: 0o600,
  });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
  };
}

/** Secrets for the harness live in memory only (seeded from the environment). */
export function memorySecrets(initial: Partial<Record<SecretName, string>> = {}): SecretStore {
  return sessionSecretStore(initial);
}

/** The harness's stand-in for the OS encryption (see HarnessOptions.osEncryption). */
export interface FakeEncryptionOptions {
  /** 'basic_text': Linux without a keyring, where the app asks before storing a secret. */
  backend: 'keyring' | 'basic_text';
  /** False: no encryption at all this session. */
  available?: boolean;
  /** Stored before start as another computer's ciphertext, which cannot be decrypted here. */
  foreignSecrets?: Partial<Record<SecretName, string>>;
}

/**
 * Core's real secret store over a fake OS encryption, with the ciphertext in the data folder's
 * `secrets.json`. `seeded` secrets are written as this computer's ciphertext before start.
 */
export function fakeEncryptedSecrets(
  dataDir: string,
  options: FakeEncryptionOptions,
  seeded: Partial<Record<SecretName, string>>,
  log: Logger,
): SecretStore {
  const encryption = fakeOsEncryption({ backend: options.backend, available: options.available });
  const persisted = confStore(dataDir, 'secrets');
  const write = (machine: string, values: Partial<Record<SecretName, string>>) => {
    for (const [name, value] of Object.entries(values)) {
      persisted.set(name, sealFor(machine, encryption.generation, value).toString('base64'));
    }
  };
  write(encryption.machine, seeded);
  write('another-computer', options.foreignSecrets ?? {});
  return createSecretStore({ encryption, persisted, log });
}

export { recordingShell } from '@core/testing/recordingShell';
