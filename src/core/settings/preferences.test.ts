import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsPatchSchema, storedSettingsSchema } from '@shared/domain/settings';
import { createLogger, MemorySink } from '../log/logger';
import { memorySecretStore, memoryStore } from '../testing/memoryPorts';
import { SettingsService } from './settings';

const paths = { dataDir: '/data', defaultLibraryDir: '/home/u/Pictures/Banana Studio' };

/** A settings file written before notifications and theme existed. */
const OLD_FILE = {
  language: 'zh-CN',
  demoMode: true,
  libraryDir: '',
  tunnelMode: 'off',
  publicCallbackUrl: '',
  kieApiBaseUrl: 'https://api.kie.ai',
  kieUploadBaseUrl: 'https://kieai.redpandaai.co',
  concurrency: 3,
  compose: { model: 'google/nano-banana', aspectRatio: '1:1', outputFormat: 'png', resolution: '1K' },
};

function service(file: unknown) {
  const sink = new MemorySink();
  const store = memoryStore(file === undefined ? {} : { settings: file });
  const settings = new SettingsService(store, memorySecretStore(), paths, createLogger({ sinks: [sink] }));
  return { settings, sink, store };
}

describe('notification and theme settings', () => {
  it('default to on and the system theme', () => {
    expect(DEFAULT_SETTINGS.notifications).toBe(true);
    expect(DEFAULT_SETTINGS.theme).toBe('system');
    expect(service(undefined).settings.get()).toMatchObject({ notifications: true, theme: 'system' });
  });

  it('an older settings file parses whole: its values are kept, the new fields get defaults', () => {
    expect(storedSettingsSchema.safeParse(OLD_FILE).success).toBe(true);
    const { settings, sink } = service(OLD_FILE);
    expect(settings.get()).toMatchObject({
      language: 'zh-CN',
      demoMode: true,
      concurrency: 3,
      notifications: true,
      theme: 'system',
    });
    expect(sink.entries).toEqual([]);
  });

  it('a bad value falls back to its default, the rest is kept', () => {
    const { settings, sink } = service({ ...OLD_FILE, theme: 'sepia', notifications: 'loud' });
    expect(settings.get()).toMatchObject({ theme: 'system', notifications: true, language: 'zh-CN' });
    expect(sink.entries.map((entry) => entry.fields?.['field']).sort()).toEqual(['notifications', 'theme']);
  });

  it('a patch without them leaves them alone (no default sneaks into a patch)', () => {
    expect(settingsPatchSchema.parse({ language: 'en' })).toEqual({ language: 'en' });
    const { settings, store } = service({ ...OLD_FILE, theme: 'dark', notifications: false });
    settings.update(settingsPatchSchema.parse({ language: 'en' }));
    expect(settings.get()).toMatchObject({ language: 'en', theme: 'dark', notifications: false });
    settings.update(settingsPatchSchema.parse({ theme: 'light', notifications: true }));
    expect(store.data.get('settings')).toMatchObject({ theme: 'light', notifications: true });
  });

  it('refuses an unknown theme in a patch', () => {
    expect(settingsPatchSchema.safeParse({ theme: 'sepia' }).success).toBe(false);
  });
});
