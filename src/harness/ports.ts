import Conf from 'conf';
import type { KeyValueStore, SecretName, SecretStore } from '@core/ports';

/** Settings for the harness: `conf` (the library electron-store wraps) in the harness data folder. */
export function confStore(dataDir: string): KeyValueStore {
  const conf = new Conf<Record<string, unknown>>({
    projectName: 'banana-studio',
    cwd: dataDir,
    configName: 'settings',
  });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
  };
}

/** Secrets for the harness live in memory only (seeded from the environment). */
export function memorySecrets(initial: Partial<Record<SecretName, string>> = {}): SecretStore {
  const values = new Map<SecretName, string>(Object.entries(initial) as [SecretName, string][]);
  return {
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => {
      values.set(name, value);
    },
    delete: async (name) => {
      values.delete(name);
    },
  };
}

export { recordingShell } from '@core/testing/recordingShell';
