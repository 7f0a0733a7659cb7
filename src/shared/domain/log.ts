import { z } from 'zod';
import { isoDateSchema } from './job';

export const logEntrySchema = z.object({
  time: isoDateSchema,
  level: z.enum(['debug', 'info', 'warn', 'error']),
  scope: z.string(),
  message: z.string(),
  /** Structured fields, already redacted, as JSON text. */
  fields: z.string().nullable(),
  jobId: z.string().nullable(),
});
export type LogEntryView = z.infer<typeof logEntrySchema>;
