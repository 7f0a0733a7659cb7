import { z } from 'zod';
import { wireErrorSchema } from '../ipc/result';
import {
  aspectRatioSchema,
  MAX_REFERENCES_ANY_MODEL,
  modelIdSchema,
  outputFormatSchema,
  resolutionSchema,
} from './models';
import { runTagSchema } from './run';

/**
 * Job states, local and KIE's. `unknown-outcome`: createTask was sent but no answer came, so
 * KIE may have accepted (and billed) it; the user decides, the app never re-posts on its own.
 */
export const JOB_STATES = [
  'queued',
  'uploading',
  'submitting',
  'submitted',
  'waiting',
  'queuing',
  'generating',
  'downloading',
  'done',
  'failed',
  'cancelled',
  'unknown-outcome',
] as const;
export const jobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof jobStateSchema>;

export const TERMINAL_JOB_STATES: readonly JobState[] = ['done', 'failed', 'cancelled', 'unknown-outcome'];

/**
 * The states a job can be cleared from the list in: it has ended and the user has nothing left to
 * decide. Not `unknown-outcome`: KIE may have made (and charged) its image, and the job is where
 * the user finds it or sends it again.
 */
export const CLEARABLE_JOB_STATES: readonly JobState[] = ['done', 'failed', 'cancelled'];

/** "Clear" in the job list: one job, every finished one, or every failed one. */
export const jobClearInputSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('job'), id: z.string().min(1).max(64) }).strict(),
  z.object({ scope: z.literal('finished') }).strict(),
  z.object({ scope: z.literal('failed') }).strict(),
]);
export type JobClearInput = z.infer<typeof jobClearInputSchema>;

/** More jobs cleared at once than this, and `jobs.cleared` says "read the list again" instead. */
export const MAX_CLEARED_IDS = 500;

export const isoDateSchema = z.iso.datetime({ offset: true });

/** A staged reference image's id: the first 32 hex characters of the file's SHA-256. */
export const referenceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'Not a reference image id.');

export const jobParamsSchema = z.object({
  model: modelIdSchema,
  prompt: z.string(),
  aspectRatio: aspectRatioSchema,
  outputFormat: outputFormatSchema,
  resolution: resolutionSchema.nullable(),
  /**
   * Staged reference ids (`references.add` / `references.fromGallery`), in the order KIE gets
   * them. Optional rather than defaulted so jobs and images stored before image-to-image, and
   * params written without it, keep their exact shape; read it as `params.references ?? []`.
   */
  references: z.array(referenceIdSchema).max(MAX_REFERENCES_ANY_MODEL).optional(),
  /**
   * Let the model use Google Search (Nano Banana 2 only). Optional for the same reason as
   * `references`; absent means off.
   */
  googleSearch: z.boolean().optional(),
  /** Set on the jobs of an A/B run (jobs.submitRun): which run, and the value this one varies. */
  run: runTagSchema.optional(),
});
export type JobParams = z.infer<typeof jobParamsSchema>;

export const jobSchema = z.object({
  id: z.string(),
  params: jobParamsSchema,
  state: jobStateSchema,
  kieTaskId: z.string().nullable(),
  error: wireErrorSchema.nullable(),
  demo: z.boolean(),
  imageIds: z.array(z.string()),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
  /** While `uploading`: reference files uploaded so far of those the job needs. Not stored. */
  progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().positive() }).optional(),
});
export type Job = z.infer<typeof jobSchema>;
