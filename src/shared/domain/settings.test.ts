import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsPatchSchema, storedSettingsSchema } from './settings';

describe('settings schema', () => {
  const { costOverrides: _overrides, compose, ...rest } = DEFAULT_SETTINGS;
  const { imagesPerPrompt: _images, ...oldCompose } = compose;
  /** A settings file written before images per prompt and price overrides existed. */
  const before = { ...rest, compose: { ...oldCompose, model: 'nano-banana-2', resolution: '4K' } };

  it('older settings parse, with the new fields at their defaults and the rest kept', () => {
    const parsed = storedSettingsSchema.parse(before);
    expect(parsed.compose).toEqual({
      ...oldCompose,
      model: 'nano-banana-2',
      resolution: '4K',
      imagesPerPrompt: 1,
    });
    expect(parsed.costOverrides).toEqual({});
  });

  it('a patch never fills in a default it was not given (it would overwrite the stored value)', () => {
    expect(settingsPatchSchema.parse({ compose: { model: 'nano-banana-pro' } })).toEqual({
      compose: { model: 'nano-banana-pro' },
    });
    expect(settingsPatchSchema.parse({ language: 'en' })).toEqual({ language: 'en' });
  });

  it('images per prompt is 1–4, whole', () => {
    for (const imagesPerPrompt of [0, 5, 1.5]) {
      expect(settingsPatchSchema.safeParse({ compose: { imagesPerPrompt } }).success).toBe(false);
    }
    expect(settingsPatchSchema.parse({ compose: { imagesPerPrompt: 4 } })).toEqual({
      compose: { imagesPerPrompt: 4 },
    });
  });

  it('cost overrides travel whole in a patch', () => {
    const costOverrides = { 'nano-banana-2': { '4K': 10 } };
    expect(settingsPatchSchema.parse({ costOverrides })).toEqual({ costOverrides });
    expect(settingsPatchSchema.safeParse({ costOverrides: { 'nano-banana-2': { '4K': -3 } } }).success).toBe(
      false,
    );
  });
});
