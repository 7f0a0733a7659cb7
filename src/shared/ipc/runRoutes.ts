import { z } from 'zod';
import { galleryImageSchema } from '../domain/image';
import { jobParamsSchema, jobSchema, referenceIdSchema } from '../domain/job';
import { MAX_RUN_VARIANTS, runIdSchema, runTagSchema, runVariationSchema } from '../domain/run';

const imageId = z.string().min(1).max(64);

/** "Again ×N" makes one to four new jobs, like the compose panel's images per prompt. */
export const MAX_AGAIN = 4;

/** A reference of an earlier image that can no longer be sent: its staged id, and its name if known. */
export const missingReferenceSchema = z.object({ id: referenceIdSchema, name: z.string().nullable() });
export type MissingReference = z.infer<typeof missingReferenceSchema>;

export const runImageSchema = z.object({ image: galleryImageSchema, run: runTagSchema });
export type RunImage = z.infer<typeof runImageSchema>;

export const runViewSchema = z.object({
  runId: runIdSchema,
  /** How many variants the run was sent with (null if none of its jobs or images is left). */
  size: z.number().int().min(2).max(MAX_RUN_VARIANTS).nullable(),
  /** The newest picture of each variant that has one, in run order. */
  images: z.array(runImageSchema).max(MAX_RUN_VARIANTS),
  /** The run's jobs still on their way (not done, failed or cancelled yet). */
  pending: z.number().int().nonnegative(),
});
export type RunView = z.infer<typeof runViewSchema>;

/** Variations and A/B runs; spread into the one `routes` object of the contract. */
export const runRoutes = {
  /**
   * An A/B run: one job per variant, everything but the varying value the same, all tagged with
   * one run id. Every variant is checked before any is sent; a refusal sends none.
   */
  'jobs.submitRun': {
    input: z
      .object({
        base: jobParamsSchema.omit({ run: true }).strict(),
        variation: runVariationSchema,
      })
      .strict(),
    output: z.object({ runId: runIdSchema, jobs: z.array(jobSchema).max(MAX_RUN_VARIANTS) }),
  },
  /** What "Again" on this image would miss: its references whose files are gone. */
  'jobs.againCheck': {
    input: z.object({ imageId }).strict(),
    output: z.object({ missing: z.array(missingReferenceSchema) }),
  },
  /**
   * "Again ×N": `count` new jobs with the image's exact prompt, model, parameters and references.
   * Refused, with the missing ones named, when a reference file is gone.
   */
  'jobs.again': {
    input: z.object({ imageId, count: z.number().int().min(1).max(MAX_AGAIN) }).strict(),
    output: z.object({ jobs: z.array(jobSchema).max(MAX_AGAIN) }),
  },
  /** An A/B run's pictures, for the compare board. */
  'runs.get': { input: z.object({ runId: runIdSchema }).strict(), output: runViewSchema },
} as const;
