import { describe, expect, it } from 'vitest';
import { MODEL_IDS, MODELS } from './models';
import {
  costOf,
  costOverridesSchema,
  listPrice,
  priceTier,
  priceRange,
  priceTiers,
  PRICES,
  withOverride,
  type CostOverrides,
} from './pricing';

describe('pricing', () => {
  it.each([
    ['google/nano-banana', null, 4],
    ['google/nano-banana', '4K', 4],
    ['google/nano-banana-edit', null, 4],
    ['nano-banana-pro', '1K', 18],
    ['nano-banana-pro', '2K', 18],
    ['nano-banana-pro', '4K', 24],
    ['nano-banana-pro', null, 18],
    ['nano-banana-2', '1K', 8],
    ['nano-banana-2', '2K', 8],
    ['nano-banana-2', '4K', 12],
  ] as const)('%s at %s costs %i credits an image (kie-api.md)', (model, resolution, credits) => {
    expect(costOf(model, resolution)).toBe(credits);
  });

  it('prices every tier of every model, and only those', () => {
    for (const model of MODEL_IDS) {
      const tiers = priceTiers(model);
      expect(Object.keys(PRICES[model]).sort()).toEqual([...tiers].sort());
      for (const tier of tiers) expect(listPrice(model, tier)).toBeGreaterThan(0);
      expect(tiers.includes('default')).toBe(!MODELS[model].supportsResolution);
    }
  });

  it('a resolution only matters to the models that have one', () => {
    expect(priceTier('google/nano-banana', '4K')).toBe('default');
    expect(priceTier('nano-banana-2', null)).toBe('1K');
    expect(priceTier('nano-banana-2', '4K')).toBe('4K');
  });

  it('an override wins for its model and tier only', () => {
    const overrides: CostOverrides = {
      'nano-banana-pro': { '4K': 22 },
      'google/nano-banana': { default: 3 },
    };
    expect(costOf('nano-banana-pro', '4K', overrides)).toBe(22);
    expect(costOf('nano-banana-pro', '2K', overrides)).toBe(18);
    expect(costOf('google/nano-banana', null, overrides)).toBe(3);
    expect(costOf('google/nano-banana-edit', null, overrides)).toBe(4);
    // Zero is a real figure (a promotion), not "unset".
    expect(costOf('nano-banana-2', '1K', { 'nano-banana-2': { '1K': 0 } })).toBe(0);
  });

  it('withOverride sets, and drops a figure that is cleared or equals the estimate', () => {
    let overrides = withOverride({}, 'nano-banana-2', '4K', 10);
    expect(overrides).toEqual({ 'nano-banana-2': { '4K': 10 } });
    overrides = withOverride(overrides, 'nano-banana-2', '1K', 7);
    expect(overrides).toEqual({ 'nano-banana-2': { '4K': 10, '1K': 7 } });
    overrides = withOverride(overrides, 'nano-banana-2', '4K', 12);
    expect(overrides).toEqual({ 'nano-banana-2': { '1K': 7 } });
    expect(withOverride(overrides, 'nano-banana-2', '1K', null)).toEqual({});
  });

  it("priceRange spans the cheapest and dearest image, with the user's corrections", () => {
    expect(priceRange()).toEqual({ min: 4, max: 24 });
    expect(priceRange({ 'nano-banana-pro': { '4K': 30 }, 'google/nano-banana': { default: 3 } })).toEqual({
      min: 3,
      max: 30,
    });
  });

  it('the overrides schema takes known models and tiers with sane figures only', () => {
    expect(costOverridesSchema.safeParse({ 'nano-banana-pro': { '4K': 20.5 } }).success).toBe(true);
    expect(costOverridesSchema.safeParse({ 'dall-e': { default: 1 } }).success).toBe(false);
    expect(costOverridesSchema.safeParse({ 'nano-banana-pro': { '8K': 1 } }).success).toBe(false);
    expect(costOverridesSchema.safeParse({ 'nano-banana-pro': { '1K': -1 } }).success).toBe(false);
    expect(costOverridesSchema.safeParse({ 'nano-banana-pro': { '1K': 1e6 } }).success).toBe(false);
  });
});
