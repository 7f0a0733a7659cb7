import { z } from 'zod';
import { wireErrorSchema } from '../ipc/result';
import { aspectRatioSchema, modelIdSchema, outputFormatSchema, resolutionSchema } from './models';

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

export const isoDateSchema = z.iso.datetime({ offset: true });

export const jobParamsSchema = z.object({
  model: modelIdSchema,
  prompt: z.string(),
  aspectRatio: aspectRatioSchema,
  outputFormat: outputFormatSchema,
  resolution: resolutionSchema.nullable(),
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
});
export type Job = z.infer<typeof jobSchema>;
