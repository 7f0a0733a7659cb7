import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@shared/domain/settings';
import { createLogger, MemorySink } from '../log/logger';
import type { KeyValueStore, SecretStore } from '../ports';
import { sessionSecretStore } from './secretStore';
import { SettingsService } from './settings';

function mapStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (k) => data.get(k),
    set: (k, v) => void data.set(k, v),
    delete: (k) => void data.delete(k),
  };
}
const secrets = (): SecretStore => sessionSecretStore();
const paths = { dataDir: '/data', defaultLibraryDir: '/home/u/Pictures/Banana Studio' };

describe('SettingsService', () => {
  it('starts from defaults and resolves the default library folder', () => {
    const service = new SettingsService(mapStore(), secrets(), paths, createLogger({ sinks: [] }));
    expect(service.get()).toEqual(DEFAULT_SETTINGS);
    expect(service.libraryPath()).toBe(paths.defaultLibraryDir);
  });

  it('keeps valid fields of a damaged settings file and resets the rest', () => {
    const sink = new MemorySink();
    const store = mapStore({ settings: { language: 'zh-CN', demoMode: 'yes', kieApiBaseUrl: 42 } });
    const service = new SettingsService(store, secrets(), paths, createLogger({ sinks: [sink] }));
    expect(service.get().language).toBe('zh-CN');
    expect(service.get().demoMode).toBe(false);
    expect(service.get().kieApiBaseUrl).toBe(DEFAULT_SETTINGS.kieApiBaseUrl);
    expect(sink.entries.map((entry) => entry.fields?.['field'])).toEqual(['demoMode', 'kieApiBaseUrl']);
  });

  it('merges partial compose updates and persists them', () => {
    const store = mapStore();
    const service = new SettingsService(store, secrets(), paths, createLogger({ sinks: [] }));
    service.update({ compose: { aspectRatio: '16:9' }, demoMode: true });
    expect(service.get().compose).toEqual({ ...DEFAULT_SETTINGS.compose, aspectRatio: '16:9' });
    expect((store.data.get('settings') as { demoMode: boolean }).demoMode).toBe(true);
  });

  it('refuses a relative library folder', () => {
    const service = new SettingsService(mapStore(), secrets(), paths, createLogger({ sinks: [] }));
    expect(() => service.update({ libraryDir: 'pictures' })).toThrow(/absolute/);
  });

  it('keeps the API key out of the settings file and shows only a hint', async () => {
    const store = mapStore();
    const secretStore = secrets();
    const service = new SettingsService(store, secretStore, paths, createLogger({ sinks: [] }));
    await service.setApiKey('sk-live-0123456789abcd');
    service.update({ language: 'en' });
    expect(JSON.stringify([...store.data.values()])).not.toContain('0123456789');
    const view = await service.view(null);
    expect(view).toMatchObject({ hasApiKey: true, apiKeyHint: 'abcd' });
    await service.setApiKey(null);
    expect((await service.view(null)).hasApiKey).toBe(false);
  });

  describe('the welcome card is answered once', () => {
    const start = (store = mapStore(), secretStore = secrets()) =>
      new SettingsService(store, secretStore, paths, createLogger({ sinks: [] }));

    it('saving a key answers it, and a restart remembers', async () => {
      const store = mapStore();
      const service = start(store);
      expect(service.get().welcomeDone).toBe(false);
      const changes: boolean[] = [];
      service.onChange((settings) => changes.push(settings.welcomeDone));
      await service.setApiKey('sk-live-0123456789abcd');
      expect(service.get().welcomeDone).toBe(true);
      expect(changes).toEqual([true]);
      // Removing the key later does not bring the card back.
      await service.setApiKey(null);
      expect(start(store).get().welcomeDone).toBe(true);
    });

    it('turning on Demo mode answers it; other changes and other secrets do not', async () => {
      const service = start();
      service.update({ language: 'zh-CN', demoMode: false });
      await service.setSecret('ngrokAuthtoken', 'ngrok-token-123456');
      expect(service.get().welcomeDone).toBe(false);
      service.update({ demoMode: true });
      service.update({ demoMode: false });
      expect(service.get().welcomeDone).toBe(true);
    });

    it('"Not now" answers it by a patch', () => {
      const store = mapStore();
      start(store).update({ welcomeDone: true });
      expect(start(store).get().welcomeDone).toBe(true);
    });

    it('a settings file from before the card parses whole, with the card still to show', () => {
      const { welcomeDone: _welcomeDone, ...older } = DEFAULT_SETTINGS;
      const service = start(mapStore({ settings: { ...older, language: 'zh-CN' } }));
      expect(service.get()).toMatchObject({ language: 'zh-CN', welcomeDone: false });
    });
  });
});
