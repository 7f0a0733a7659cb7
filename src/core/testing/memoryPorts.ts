import type { SecretName } from '../ports';
import { createLogger, MemorySink, Redactor } from '../log/logger';
import { sessionSecretStore } from '../settings/secretStore';
import { recordingShell } from './recordingShell';
import { systemClock, type CorePorts, type KeyValueStore, type SecretStore } from '../ports';

export function memoryStore(
  initial: Record<string, unknown> = {},
): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (key) => data.get(key),
    set: (key, value) => void data.set(key, value),
    delete: (key) => void data.delete(key),
  };
}

export function memorySecretStore(initial: Partial<Record<SecretName, string>> = {}): SecretStore {
  return sessionSecretStore(initial);
}

/** Ports for a core under test: everything in memory except the data and library folders. */
export function testPorts(
  dataDir: string,
  overrides: Partial<CorePorts> & { settings?: Record<string, unknown> } = {},
): CorePorts & { logs: MemorySink; notifications: string[] } {
  const logs = new MemorySink(5000);
  const redactor = new Redactor();
  const notifications: string[] = [];
  const shell = recordingShell(dataDir);
  const { settings, ...rest } = overrides;
  return {
    logs,
    notifications,
    log: createLogger({ sinks: [logs], redactor }),
    logHistory: logs,
    redactor,
    store: memoryStore(settings ? { settings } : {}),
    secrets: memorySecretStore(),
    paths: { dataDir, defaultLibraryDir: `${dataDir}/library` },
    shell: { ...shell, notify: (_title, body) => void notifications.push(body) },
    imageUrl: (asset, id) => `test://${asset}/${id}`,
    clock: systemClock,
    hostInfo: { host: 'web', appVersion: '0.0.0-test', platform: 'test' },
    ...rest,
  };
}
