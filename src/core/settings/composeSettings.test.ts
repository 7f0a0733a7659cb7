import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@shared/domain/settings';
import { createLogger, MemorySink } from '../log/logger';
import { memorySecretStore, memoryStore } from '../testing/memoryPorts';
import { SettingsService } from './settings';

const paths = { dataDir: '/data', defaultLibraryDir: '/home/u/Pictures/Banana Studio' };

function service(stored?: unknown) {
  const sink = new MemorySink();
  const store = memoryStore(stored === undefined ? {} : { settings: stored });
  const settings = new SettingsService(store, memorySecretStore(), paths, createLogger({ sinks: [sink] }));
  return { settings, store, sink };
}

describe('compose settings and price overrides', () => {
  it('a settings file from before images per prompt and Google Search keeps its last-used model, silently', () => {
    const { settings, sink } = service({
      language: 'zh-CN',
      compose: { model: 'nano-banana-pro', aspectRatio: '16:9', outputFormat: 'jpeg', resolution: '2K' },
    });
    expect(settings.get().compose).toEqual({
      model: 'nano-banana-pro',
      aspectRatio: '16:9',
      outputFormat: 'jpeg',
      resolution: '2K',
      imagesPerPrompt: 1,
      googleSearch: false,
    });
    expect(settings.get().costOverrides).toEqual({});
    expect(settings.get().language).toBe('zh-CN');
    expect(sink.entries.filter((entry) => entry.level === 'warn')).toEqual([]);
  });

  it('remembers images per prompt; other compose changes leave it alone', () => {
    const { settings, store } = service();
    settings.update({ compose: { imagesPerPrompt: 3 } });
    settings.update({ compose: { model: 'nano-banana-2' } });
    expect(settings.get().compose).toMatchObject({ model: 'nano-banana-2', imagesPerPrompt: 3 });
    expect((store.data.get('settings') as typeof DEFAULT_SETTINGS).compose.imagesPerPrompt).toBe(3);
  });

  it('price overrides are replaced whole and survive unrelated updates', () => {
    const { settings } = service();
    settings.update({ costOverrides: { 'nano-banana-pro': { '4K': 22 }, 'nano-banana-2': { '1K': 7 } } });
    settings.update({ costOverrides: { 'nano-banana-pro': { '4K': 20 } } });
    settings.update({ demoMode: true });
    expect(settings.get().costOverrides).toEqual({ 'nano-banana-pro': { '4K': 20 } });
  });

  it('a damaged overrides entry falls back to none and keeps the rest of the file', () => {
    const { settings, sink } = service({
      ...DEFAULT_SETTINGS,
      concurrency: 2,
      costOverrides: { 'nano-banana-pro': { '4K': 'lots' } },
    });
    expect(settings.get().costOverrides).toEqual({});
    expect(settings.get().concurrency).toBe(2);
    expect(sink.entries.map((entry) => entry.fields?.['field'])).toEqual(['costOverrides']);
  });
});
