import { z } from 'zod';
import { MODEL_IDS, MODELS, RESOLUTIONS, type ModelId, type Resolution } from './models';

/**
 * What one image costs, in KIE credits: the one price table in the app. The compose panel's
 * preview, core's balance check and the simulator's billing all read it through `costOf`.
 *
 * Every figure is uncertain (kie-api.md marks them "verify"): KIE publishes prices on its
 * pricing page, not in the API, and changes them. The callback's `creditsConsumed` is the truth
 * for a finished task. Users correct a figure in Settings (`costOverrides`) without a release.
 */

/** A model's price step: its resolution, or `default` for the models without one. */
export const PRICE_TIERS = ['default', ...RESOLUTIONS] as const;
export const priceTierSchema = z.enum(PRICE_TIERS);
export type PriceTier = z.infer<typeof priceTierSchema>;

export const PRICES: Record<ModelId, Partial<Record<PriceTier, number>>> = {
  // ≈ 4 per kie-api.md; KIE's own callback example reports `creditsConsumed: 3` (uncertain).
  'google/nano-banana': { default: 4 },
  'google/nano-banana-edit': { default: 4 },
  // ≈ 18 at 1K/2K and 24 at 4K (uncertain).
  'nano-banana-pro': { '1K': 18, '2K': 18, '4K': 24 },
  // ≈ 8 at 1K/2K and 12 at 4K (uncertain).
  'nano-banana-2': { '1K': 8, '2K': 8, '4K': 12 },
};

/** Highest price a user may type: far above any real one, low enough to catch a slip. */
export const MAX_CREDITS_PER_IMAGE = 1000;

const creditsSchema = z.number().min(0).max(MAX_CREDITS_PER_IMAGE);

/** The user's corrections, per model and tier; anything missing uses PRICES. */
export const costOverridesSchema = z.partialRecord(
  z.enum(MODEL_IDS),
  z.partialRecord(priceTierSchema, creditsSchema),
);
export type CostOverrides = z.infer<typeof costOverridesSchema>;

/** The tiers a model is priced by: its resolutions, or just `default`. */
export function priceTiers(model: ModelId): PriceTier[] {
  return MODELS[model].supportsResolution ? [...RESOLUTIONS] : ['default'];
}

/** The tier a job falls in: its resolution (1K when unset) for models that have one. */
export function priceTier(model: ModelId, resolution: Resolution | null): PriceTier {
  return MODELS[model].supportsResolution ? (resolution ?? '1K') : 'default';
}

/** The built-in price of one image, without the user's overrides. */
export function listPrice(model: ModelId, tier: PriceTier): number {
  const table = PRICES[model];
  return table[tier] ?? table.default ?? table['1K'] ?? 0;
}

/** Credits for one image of `model` at `resolution`, the user's override first. */
export function costOf(model: ModelId, resolution: Resolution | null, overrides: CostOverrides = {}): number {
  const tier = priceTier(model, resolution);
  return overrides[model]?.[tier] ?? listPrice(model, tier);
}

/** The cheapest and dearest image over every model and tier, the user's overrides first. */
export function priceRange(overrides: CostOverrides = {}): { min: number; max: number } {
  const prices = MODEL_IDS.flatMap((model) =>
    priceTiers(model).map((tier) => costOf(model, tier === 'default' ? null : tier, overrides)),
  );
  return { min: Math.min(...prices), max: Math.max(...prices) };
}

/**
 * The overrides with `model`/`tier` set to `credits`, or removed when `credits` is null or equals
 * the list price (so the table stays small and later price corrections in PRICES still apply).
 */
export function withOverride(
  overrides: CostOverrides,
  model: ModelId,
  tier: PriceTier,
  credits: number | null,
): CostOverrides {
  const forModel = { ...overrides[model] };
  if (credits === null || credits === listPrice(model, tier)) delete forModel[tier];
  else forModel[tier] = credits;
  const next = { ...overrides };
  if (Object.keys(forModel).length === 0) delete next[model];
  else next[model] = forModel;
  return next;
}
