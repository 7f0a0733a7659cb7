import { z } from 'zod';
import type { JobParams } from './job';
import {
  aspectRatioSchema,
  MODEL_IDS,
  MODELS,
  modelForReferences,
  modelIdSchema,
  type AspectRatio,
  type ModelId,
} from './models';

/**
 * A/B runs: one submit that varies one thing (the prompt, the model or the aspect ratio) over two
 * to four variants, everything else the same. Each variant is an ordinary job; what groups them
 * is the run tag in their params, which travels with the job into its images, their embedded
 * metadata and the gallery index, so a rebuilt library still knows its runs.
 */

export const RUN_VARIES = ['prompt', 'model', 'aspectRatio'] as const;
export const runVarySchema = z.enum(RUN_VARIES);
export type RunVary = z.infer<typeof runVarySchema>;

export const MIN_RUN_VARIANTS = 2;
export const MAX_RUN_VARIANTS = 4;

/** Core mints run ids (randomUUID); anything else is not a run id. */
export const runIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Not a run id.');

/** The longest value a variant can carry: the longest prompt any model takes. */
const MAX_LABEL = Math.max(...MODEL_IDS.map((id) => MODELS[id].promptMaxChars));

export const runTagSchema = z.object({
  id: runIdSchema,
  vary: runVarySchema,
  /** The varying value of this variant, as sent: the prompt, the model id or the ratio. */
  label: z.string().min(1).max(MAX_LABEL),
  /** Its place in the run (0-based), and how many variants the run has. */
  index: z
    .number()
    .int()
    .min(0)
    .max(MAX_RUN_VARIANTS - 1),
  size: z.number().int().min(MIN_RUN_VARIANTS).max(MAX_RUN_VARIANTS),
});
export type RunTag = z.infer<typeof runTagSchema>;

/** What varies, and its values in the order the variants are shown. */
export const runVariationSchema = z.discriminatedUnion('vary', [
  z
    .object({
      vary: z.literal('prompt'),
      values: z
        .array(z.string().trim().min(1, 'A prompt variant is empty.'))
        .min(MIN_RUN_VARIANTS)
        .max(MAX_RUN_VARIANTS),
    })
    .strict(),
  z
    .object({
      vary: z.literal('model'),
      values: z.array(modelIdSchema).min(MIN_RUN_VARIANTS).max(MAX_RUN_VARIANTS),
    })
    .strict(),
  z
    .object({
      vary: z.literal('aspectRatio'),
      values: z.array(aspectRatioSchema).min(MIN_RUN_VARIANTS).max(MAX_RUN_VARIANTS),
    })
    .strict(),
]);
export type RunVariation = z.infer<typeof runVariationSchema>;

/** One variant: the job it sends and the value it is shown under. */
export interface RunVariant {
  params: JobParams;
  label: string;
}

/**
 * The job of each variant: `base` with the one varying value put in. Every variant gets the model
 * that fits the references (as every submit does: modelForReferences); a model variant its resolution only
 * if it takes one (1K when none was chosen) and Google Search only if it can use it. Pure, so the
 * compose panel previews exactly what core will send.
 */
export function runVariants(base: Omit<JobParams, 'run'>, variation: RunVariation): RunVariant[] {
  const referenceCount = base.references?.length ?? 0;
  const same = { ...base, model: modelForReferences(base.model, referenceCount) };
  switch (variation.vary) {
    case 'prompt':
      return variation.values.map((value) => {
        const prompt = value.trim();
        return { params: { ...same, prompt }, label: prompt };
      });
    case 'aspectRatio':
      return variation.values.map((aspectRatio: AspectRatio) => ({
        params: { ...same, aspectRatio },
        label: aspectRatio,
      }));
    case 'model':
      return variation.values.map((picked: ModelId) => {
        const model = modelForReferences(picked, referenceCount);
        const spec = MODELS[model];
        const { googleSearch, ...rest } = base;
        return {
          params: {
            ...rest,
            model,
            resolution: spec.supportsResolution ? (base.resolution ?? '1K') : null,
            ...(googleSearch === true && spec.supportsGoogleSearch ? { googleSearch: true } : {}),
          },
          label: model,
        };
      });
  }
}

/** The index of the first variant that repeats an earlier one (same value sent), or -1. */
export function repeatedVariant(variants: readonly RunVariant[]): number {
  return variants.findIndex((variant, index) =>
    variants.slice(0, index).some((earlier) => earlier.label === variant.label),
  );
}
