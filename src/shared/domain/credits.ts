import { z } from 'zod';
import { isoDateSchema } from './job';

export const creditsSchema = z.object({
  balance: z.number(),
  demo: z.boolean(),
  checkedAt: isoDateSchema,
});
export type Credits = z.infer<typeof creditsSchema>;
