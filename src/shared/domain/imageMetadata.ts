import { z } from 'zod';
import { isoDateSchema, referenceIdSchema, type JobParams } from './job';
import {
  aspectRatioSchema,
  MAX_REFERENCES_ANY_MODEL,
  modelIdSchema,
  outputFormatSchema,
  resolutionSchema,
} from './models';
import { runTagSchema } from './run';

export const EMBEDDED_METADATA_APP = 'banana-studio';
export const EMBEDDED_METADATA_VERSION = 1;

/**
 * What every library image carries inside its own file, so the index can be rebuilt from the
 * files alone. A file is a boundary: whatever is read back goes through this schema. Unknown
 * keys are dropped rather than rejected, so a later app version can add fields without making
 * its files unreadable here; a breaking change bumps `version` instead.
 */
export const embeddedMetadataSchema = z.object({
  app: z.literal(EMBEDDED_METADATA_APP),
  version: z.literal(EMBEDDED_METADATA_VERSION),
  imageId: z.string().min(1),
  prompt: z.string(),
  model: z.string(),
  // Loose on purpose: new generation parameters must fit without a schema change.
  params: z.looseObject({
    aspectRatio: z.string().optional(),
    outputFormat: z.string().optional(),
    resolution: z.string().nullable().optional(),
    googleSearch: z.boolean().optional(),
    /** An A/B run's tag (see run.ts); read with runTagSchema, so a damaged one is only dropped. */
    run: z.unknown().optional(),
  }),
  kieTaskId: z.string().nullable(),
  resultIndex: z.number().int().nonnegative(),
  references: z.array(
    z.object({
      id: z.string(),
      sha256: z.string(),
      /** A reference with marks drawn on it: the file it was drawn on (the marks' original). */
      drawnOn: z.object({ id: z.string(), sha256: z.string() }).optional(),
    }),
  ),
  /** Lineage: the image ids this one was made from. */
  parents: z.array(z.string()),
  createdAt: isoDateSchema,
  appVersion: z.string(),
  demo: z.boolean(),
});
export type EmbeddedMetadata = z.infer<typeof embeddedMetadataSchema>;

/**
 * An image's embedded settings as job parameters (a rebuilt index, "Reuse its settings" for a
 * dropped file). The metadata is loose on purpose: a later version may write more, an older one
 * less; whatever this version cannot read takes the fallback's value. The references come back
 * as the staged ids they were sent as ("Again" sends them again, naming any that are gone), and
 * an A/B run's tag comes back so a rebuilt index keeps its runs.
 */
export function jobParamsFromMetadata(
  meta: EmbeddedMetadata,
  fallback: Pick<JobParams, 'model' | 'aspectRatio' | 'outputFormat'>,
): JobParams {
  return {
    model: modelIdSchema.safeParse(meta.model).data ?? fallback.model,
    prompt: meta.prompt,
    aspectRatio: aspectRatioSchema.safeParse(meta.params.aspectRatio).data ?? fallback.aspectRatio,
    outputFormat: outputFormatSchema.safeParse(meta.params.outputFormat).data ?? fallback.outputFormat,
    resolution: resolutionSchema.safeParse(meta.params.resolution).data ?? null,
    ...(meta.params.googleSearch === true ? { googleSearch: true } : {}),
    ...referencesOf(meta),
    ...runOf(meta),
  };
}

function referencesOf(meta: EmbeddedMetadata): Pick<JobParams, 'references'> {
  const ids = meta.references.map((reference) => reference.id);
  const parsed = z.array(referenceIdSchema).max(MAX_REFERENCES_ANY_MODEL).safeParse(ids);
  return parsed.success && parsed.data.length > 0 ? { references: parsed.data } : {};
}

function runOf(meta: EmbeddedMetadata): Pick<JobParams, 'run'> {
  const parsed = runTagSchema.safeParse(meta.params['run']);
  return parsed.success ? { run: parsed.data } : {};
}
