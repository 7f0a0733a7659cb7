import { z } from 'zod';

/**
 * The one table of Nano Banana models the app knows: one record per model, read by the compose
 * panel, core's checks and the createTask body (core/kie/request.ts), so nothing switches on a
 * model id. Each limit names the KIE page it comes from; those pages win over kie-api.md. The
 * simulator keeps its own copy of KIE's rules on purpose (simulator/validate.ts): it stands in
 * for KIE, so a wrong value here fails a test instead of agreeing with itself. Prices: pricing.ts.
 */
export const MODEL_IDS = [
  'google/nano-banana',
  'google/nano-banana-edit',
  'nano-banana-pro',
  'nano-banana-2',
] as const;
export const modelIdSchema = z.enum(MODEL_IDS);
export type ModelId = z.infer<typeof modelIdSchema>;

/** Every ratio any model takes (what a stored job or image may carry); each model offers its own. */
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
  '1:4',
  '4:1',
  '1:8',
  '8:1',
  'auto',
] as const;
export const aspectRatioSchema = z.enum(ASPECT_RATIOS);
export type AspectRatio = z.infer<typeof aspectRatioSchema>;

/**
 * The ratios of Nano Banana, Nano Banana Edit and Nano Banana Pro (their pages list the same
 * eleven: https://docs.kie.ai/market/google/nano-banana, …/nano-banana-edit, …/pro-image-to-image).
 */
const COMMON_RATIOS = [
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
] as const satisfies readonly AspectRatio[];

/** Nano Banana 2 adds the very tall and very wide ones (https://docs.kie.ai/market/google/nanobanana2). */
const NANO_BANANA_2_RATIOS = [
  ...COMMON_RATIOS.slice(0, -1),
  '1:4',
  '4:1',
  '1:8',
  '8:1',
  'auto',
] as const satisfies readonly AspectRatio[];

const MB = 1024 * 1024;

/** What the user picks; `jpeg` is sent as `jpg` to the models that spell it that way. */
export const OUTPUT_FORMATS = ['png', 'jpeg'] as const;
export const outputFormatSchema = z.enum(OUTPUT_FORMATS);
export type OutputFormat = z.infer<typeof outputFormatSchema>;

export const RESOLUTIONS = ['1K', '2K', '4K'] as const;
export const resolutionSchema = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof resolutionSchema>;

/** How a model's createTask `input` spells things; KIE silently ignores a field it does not know. */
export interface ModelRequestFields {
  /** Where references go: `image_urls` (the edit model), `image_input` (Pro, Nano Banana 2). */
  referenceField: 'image_urls' | 'image_input' | null;
  /**
   * The ratio also goes as `image_size`: older pages of this model list only that name, and a
   * ratio KIE ignores still gets billed (at 1:1), so both are sent.
   */
  sendsImageSize: boolean;
  /** How this model spells the JPEG output format. */
  jpegName: 'jpeg' | 'jpg';
}

export interface ModelSpec {
  id: ModelId;
  /** i18n key suffix for the display name. */
  labelKey: string;
  promptMaxChars: number;
  /** 0: text only. */
  maxReferences: number;
  /** The largest reference file this model takes, in bytes (0 for a text-only model). */
  referenceMaxBytes: number;
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
  request: ModelRequestFields;
}

export const MODELS: Record<ModelId, ModelSpec> = {
  // https://docs.kie.ai/market/google/nano-banana: prompt ≤ 5000 characters; `aspect_ratio`, with the
  // older `image_size` marked deprecated (earlier versions of the page list only `image_size`).
  'google/nano-banana': {
    id: 'google/nano-banana',
    labelKey: 'nanoBanana',
    promptMaxChars: 5000,
    maxReferences: 0,
    referenceMaxBytes: 0,
    requiresReferences: false,
    counterpart: 'google/nano-banana-edit',
    supportsResolution: false,
    supportsGoogleSearch: false,
    aspectRatios: COMMON_RATIOS,
    outputFormats: OUTPUT_FORMATS,
    request: { referenceField: null, sendsImageSize: true, jpegName: 'jpeg' },
  },
  // https://docs.kie.ai/market/google/nano-banana-edit: prompt ≤ 5000 characters; `image_urls` required,
  // up to 10, JPEG/PNG/WebP, 10 MB each; `aspect_ratio` and the deprecated `image_size`.
  'google/nano-banana-edit': {
    id: 'google/nano-banana-edit',
    labelKey: 'nanoBananaEdit',
    promptMaxChars: 5000,
    maxReferences: 10,
    referenceMaxBytes: 10 * MB,
    requiresReferences: true,
    counterpart: 'google/nano-banana',
    supportsResolution: false,
    supportsGoogleSearch: false,
    aspectRatios: COMMON_RATIOS,
    outputFormats: OUTPUT_FORMATS,
    request: { referenceField: 'image_urls', sendsImageSize: true, jpegName: 'jpeg' },
  },
  // https://docs.kie.ai/market/google/pro-image-to-image: prompt ≤ 10000 characters; `image_input` up to
  // 8, JPEG/PNG/WebP, 30 MB each; eleven ratios; `resolution` 1K/2K/4K; `output_format` png/jpg.
  'nano-banana-pro': {
    id: 'nano-banana-pro',
    labelKey: 'nanoBananaPro',
    promptMaxChars: 10_000,
    maxReferences: 8,
    referenceMaxBytes: 30 * MB,
    requiresReferences: false,
    counterpart: null,
    supportsResolution: true,
    supportsGoogleSearch: false,
    aspectRatios: COMMON_RATIOS,
    outputFormats: OUTPUT_FORMATS,
    request: { referenceField: 'image_input', sendsImageSize: false, jpegName: 'jpg' },
  },
  // https://docs.kie.ai/market/google/nanobanana2: prompt ≤ 20000 characters; `image_input` up to 14,
  // JPEG/PNG/WebP, 30 MB each; 1:4, 4:1, 1:8 and 8:1 besides the usual ratios; `google_search`.
  'nano-banana-2': {
    id: 'nano-banana-2',
    labelKey: 'nanoBanana2',
    promptMaxChars: 20_000,
    maxReferences: 14,
    referenceMaxBytes: 30 * MB,
    requiresReferences: false,
    counterpart: null,
    supportsResolution: true,
    supportsGoogleSearch: true,
    aspectRatios: NANO_BANANA_2_RATIOS,
    outputFormats: OUTPUT_FORMATS,
    request: { referenceField: 'image_input', sendsImageSize: false, jpegName: 'jpg' },
  },
};

/** Models offered in the compose panel for text-to-image in this release. */
export const TEXT_MODELS: readonly ModelId[] = ['google/nano-banana', 'nano-banana-pro', 'nano-banana-2'];

/** The most references any model takes: the cap on a job's reference list before the model's own. */
export const MAX_REFERENCES_ANY_MODEL = Math.max(...Object.values(MODELS).map((spec) => spec.maxReferences));

/** The largest reference file any model takes: what staging accepts before a model is chosen. */
export const REFERENCE_MAX_BYTES_ANY_MODEL = Math.max(
  ...Object.values(MODELS).map((spec) => spec.referenceMaxBytes),
);

/** The references (by their size in bytes) too big for `model`; each model checks its own. */
export function tooBigFor<T extends { bytes: number }>(model: ModelId, references: readonly T[]): T[] {
  const limit = MODELS[model].referenceMaxBytes;
  return limit === 0 ? [] : references.filter((reference) => reference.bytes > limit);
}

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
