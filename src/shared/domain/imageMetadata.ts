import { z } from 'zod';
import { isoDateSchema } from './job';

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
  }),
  kieTaskId: z.string().nullable(),
  resultIndex: z.number().int().nonnegative(),
  references: z.array(z.object({ id: z.string(), sha256: z.string() })),
  /** Lineage: the image ids this one was made from. */
  parents: z.array(z.string()),
  createdAt: isoDateSchema,
  appVersion: z.string(),
  demo: z.boolean(),
});
export type EmbeddedMetadata = z.infer<typeof embeddedMetadataSchema>;
