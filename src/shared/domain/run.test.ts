import { describe, expect, it } from 'vitest';
import type { JobParams } from './job';
import { repeatedVariant, runVariants, runVariationSchema } from './run';

const base: JobParams = {
  model: 'google/nano-banana',
  prompt: 'a lighthouse at dawn',
  aspectRatio: '16:9',
  outputFormat: 'png',
  resolution: '4K',
  googleSearch: true,
};

describe('runVariants', () => {
  it('puts the one varying value into otherwise equal jobs', () => {
    const prompts = runVariants(base, { vary: 'prompt', values: [' at night ', 'in snow'] });
    expect(prompts.map((variant) => [variant.label, variant.params.prompt])).toEqual([
      ['at night', 'at night'],
      ['in snow', 'in snow'],
    ]);
    expect(prompts[0]?.params).toEqual({ ...base, prompt: 'at night' });
    const ratios = runVariants(base, { vary: 'aspectRatio', values: ['1:1', '9:16'] });
    expect(ratios.map((variant) => variant.params)).toEqual([
      { ...base, aspectRatio: '1:1' },
      { ...base, aspectRatio: '9:16' },
    ]);
  });

  it('gives each model variant only what that model takes', () => {
    const models = runVariants(base, {
      vary: 'model',
      values: ['google/nano-banana', 'nano-banana-2', 'nano-banana-pro'],
    });
    const { googleSearch: _search, ...withoutSearch } = base;
    expect(models.map((variant) => variant.params)).toEqual([
      { ...withoutSearch, resolution: null },
      { ...base, model: 'nano-banana-2' },
      { ...withoutSearch, model: 'nano-banana-pro' },
    ]);
  });

  it('hands a text model over to its edit model when references are attached', () => {
    const withReferences = { ...base, references: ['0123456789abcdef0123456789abcdef'] };
    const models = runVariants(withReferences, {
      vary: 'model',
      values: ['google/nano-banana', 'nano-banana-pro'],
    });
    expect(models.map((variant) => variant.label)).toEqual(['google/nano-banana-edit', 'nano-banana-pro']);
    const prompts = runVariants(withReferences, { vary: 'prompt', values: ['a', 'b'] });
    expect(prompts.map((variant) => variant.params.model)).toEqual([
      'google/nano-banana-edit',
      'google/nano-banana-edit',
    ]);
  });

  it('finds a variant that repeats an earlier one', () => {
    expect(repeatedVariant(runVariants(base, { vary: 'prompt', values: ['a', 'b', ' a'] }))).toBe(2);
    expect(repeatedVariant(runVariants(base, { vary: 'prompt', values: ['a', 'b'] }))).toBe(-1);
  });

  it('takes two to four values of the one thing that varies', () => {
    expect(runVariationSchema.safeParse({ vary: 'prompt', values: ['a'] }).success).toBe(false);
    expect(runVariationSchema.safeParse({ vary: 'prompt', values: ['a', 'b', 'c', 'd', 'e'] }).success).toBe(
      false,
    );
    expect(runVariationSchema.safeParse({ vary: 'model', values: ['a', 'b'] }).success).toBe(false);
    expect(runVariationSchema.safeParse({ vary: 'aspectRatio', values: ['1:1', '2:3'] }).success).toBe(true);
  });
});
