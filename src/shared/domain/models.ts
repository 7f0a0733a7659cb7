import { z } from 'zod';

/**
 * The one table of Nano Banana models the app knows (kie-api.md). Field names sent to KIE
 * differ per model; that mapping lives in core/kie/request.ts. Values marked (verify) in the
 * reference are kept here only, so they can be corrected in one place. Prices: pricing.ts.
 */
export const MODEL_IDS = [
  'google/nano-banana',
  'google/nano-banana-edit',
  'nano-banana-pro',
  'nano-banana-2',
] as const;
export const modelIdSchema = z.enum(MODEL_IDS);
export type ModelId = z.infer<typeof modelIdSchema>;

export const ASPECT_RATIOS = [
  '1:1',
  '9:16',
  '16:9',
  '3:4',
  '4:3',
  '3:2',
  '2:3',
  '5:4',
  '4:5',
  '21:9',
  'auto',
] as const;
export const aspectRatioSchema = z.enum(ASPECT_RATIOS);
export type AspectRatio = z.infer<typeof aspectRatioSchema>;

/** What the user picks; `jpeg` is sent as `jpg` to the models that spell it that way. */
export const OUTPUT_FORMATS = ['png', 'jpeg'] as const;
export const outputFormatSchema = z.enum(OUTPUT_FORMATS);
export type OutputFormat = z.infer<typeof outputFormatSchema>;

export const RESOLUTIONS = ['1K', '2K', '4K'] as const;
export const resolutionSchema = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof resolutionSchema>;

export interface ModelSpec {
  id: ModelId;
  /** i18n key suffix for the display name. */
  labelKey: string;
  promptMaxChars: number;
  /** 0: text only. */
  maxReferences: number;
  /** References are required (the edit model). */
  requiresReferences: boolean;
  /**
   * The model that takes over when the references change what this one can do: the text model
   * hands over to its edit model once references are added, and back when they are all removed.
   * Null for models that take references themselves (Pro, Nano Banana 2).
   */
  counterpart: ModelId | null;
  supportsResolution: boolean;
  /** Takes `google_search`: the model may look facts up with Google Search while generating. */
  supportsGoogleSearch: boolean;
  /** What the compose panel offers for this model; the first is its default. */
  aspectRatios: readonly AspectRatio[];
  outputFormats: readonly OutputFormat[];
}

export const MODELS: Record<ModelId, ModelSpec> = {
  'google/nano-banana': {
    id: 'google/nano-banana',
    labelKey: 'nanoBanana',
    promptMaxChars: 5000,
    maxReferences: 0,
    requiresReferences: false,
    counterpart: 'google/nano-banana-edit',
    supportsResolution: false,
    supportsGoogleSearch: false,
    aspectRatios: ASPECT_RATIOS,
    outputFormats: OUTPUT_FORMATS,
  },
  'google/nano-banana-edit': {
    id: 'google/nano-banana-edit',
    labelKey: 'nanoBananaEdit',
    promptMaxChars: 5000,
    maxReferences: 10,
    requiresReferences: true,
    counterpart: 'google/nano-banana',
    supportsResolution: false,
    supportsGoogleSearch: false,
    aspectRatios: ASPECT_RATIOS,
    outputFormats: OUTPUT_FORMATS,
  },
  'nano-banana-pro': {
    id: 'nano-banana-pro',
    labelKey: 'nanoBananaPro',
    promptMaxChars: 5000,
    maxReferences: 8,
    requiresReferences: false,
    counterpart: null,
    supportsResolution: true,
    supportsGoogleSearch: false,
    aspectRatios: ASPECT_RATIOS,
    outputFormats: OUTPUT_FORMATS,
  },
  'nano-banana-2': {
    id: 'nano-banana-2',
    labelKey: 'nanoBanana2',
    promptMaxChars: 5000,
    maxReferences: 14,
    requiresReferences: false,
    counterpart: null,
    supportsResolution: true,
    supportsGoogleSearch: true,
    aspectRatios: ASPECT_RATIOS,
    outputFormats: OUTPUT_FORMATS,
  },
};

/** Models offered in the compose panel for text-to-image in this release. */
export const TEXT_MODELS: readonly ModelId[] = ['google/nano-banana', 'nano-banana-pro', 'nano-banana-2'];

/** The most references any model takes: the cap on a job's reference list before the model's own. */
export const MAX_REFERENCES_ANY_MODEL = Math.max(...Object.values(MODELS).map((spec) => spec.maxReferences));

/**
 * The model to use for `referenceCount` references when the user picked `selected`: a text-only
 * model becomes its edit counterpart once references are attached, and the edit model goes back
 * to its text model when none are left. Models that take references themselves stay as they are.
 * Pure, so the compose panel and core agree on it.
 */
export function modelForReferences(selected: ModelId, referenceCount: number): ModelId {
  const spec = MODELS[selected];
  if (spec.counterpart === null) return selected;
  if (referenceCount > 0 && spec.maxReferences === 0) return spec.counterpart;
  if (referenceCount === 0 && spec.requiresReferences) return spec.counterpart;
  return selected;
}
