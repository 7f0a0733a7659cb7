import { z } from 'zod';
import { isoDateSchema } from './job';

/** Why the submit queue is paused; jobs already at KIE keep being followed either way. */
export const PAUSE_REASONS = [
  'user',
  'credits',
  'maintenance',
  'offline',
  'rate-limited',
  'key-limit',
  'disk-full',
] as const;
export const pauseReasonSchema = z.enum(PAUSE_REASONS);
export type PauseReason = z.infer<typeof pauseReasonSchema>;

export const queueStatusSchema = z.object({
  paused: z.boolean(),
  reason: pauseReasonSchema.nullable(),
  /** When the queue resumes by itself (rate limit), if known. */
  resumesAt: isoDateSchema.nullable(),
  /** Jobs waiting to be submitted. */
  pending: z.number().int().nonnegative(),
  /** Jobs being uploaded or submitted right now. */
  submitting: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
});
export type QueueStatus = z.infer<typeof queueStatusSchema>;
