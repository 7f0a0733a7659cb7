import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsPatchSchema } from '@shared/domain/settings';
import { createLogger, MemorySink } from '../log/logger';
import { memorySecretStore, memoryStore } from '../testing/memoryPorts';
import { SettingsService } from './settings';

const paths = { dataDir: '/data', defaultLibraryDir: '/home/u/Pictures/Banana Studio' };
const template = { id: 't1', name: 'Product shot', text: 'a studio photo of {product}' };
const style = { id: 's1', name: 'Film', phrase: 'soft grain' };

function service(stored?: unknown) {
  const sink = new MemorySink();
  const store = memoryStore(stored === undefined ? {} : { settings: stored });
  const settings = new SettingsService(store, memorySecretStore(), paths, createLogger({ sinks: [sink] }));
  return { settings, store, sink };
}

describe('prompt templates and styles in the settings', () => {
  it('a settings file from before them has an empty library', () => {
    const { language: _language, promptLibrary: _library, ...older } = DEFAULT_SETTINGS;
    expect(service({ ...older, language: 'en' }).settings.get().promptLibrary).toEqual({
      templates: [],
      styles: [],
    });
  });

  it('is replaced whole, kept on disk and across unrelated updates', () => {
    const { settings, store } = service();
    settings.update({ promptLibrary: { templates: [template], styles: [style] } });
    settings.update({ promptLibrary: { templates: [template], styles: [] } });
    settings.update({ demoMode: true });
    expect(settings.get().promptLibrary).toEqual({ templates: [template], styles: [] });
    expect((store.data.get('settings') as typeof DEFAULT_SETTINGS).promptLibrary.templates).toEqual([
      template,
    ]);
  });

  it('one broken entry in a hand-edited file costs only that entry, and the rest of the file stays', () => {
    const { settings } = service({
      ...DEFAULT_SETTINGS,
      concurrency: 3,
      promptLibrary: { templates: [template, { id: 't2', name: '', text: 'x' }], styles: [style] },
    });
    expect(settings.get().promptLibrary).toEqual({ templates: [template], styles: [style] });
    expect(settings.get().concurrency).toBe(3);
  });

  it('a patch with a broken entry is refused at the boundary', () => {
    const bad = { promptLibrary: { templates: [{ ...template, text: '' }], styles: [] } };
    expect(settingsPatchSchema.safeParse(bad).success).toBe(false);
  });
});
