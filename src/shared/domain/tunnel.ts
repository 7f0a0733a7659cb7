import { z } from 'zod';
import { isoDateSchema } from './job';

export const TUNNEL_MODES = ['off', 'ngrok', 'manual'] as const;
export const tunnelModeSchema = z.enum(TUNNEL_MODES);
export type TunnelMode = z.infer<typeof tunnelModeSchema>;

export const TUNNEL_STATES = ['off', 'connecting', 'up', 'reconnecting', 'error'] as const;
export const tunnelStateSchema = z.enum(TUNNEL_STATES);

export const tunnelStatusSchema = z.object({
  mode: tunnelModeSchema,
  state: tunnelStateSchema,
  /** The public base URL while the tunnel is up. */
  publicUrl: z.string().nullable(),
  lastError: z.string().nullable(),
  lastCallbackAt: isoDateSchema.nullable(),
});
export type TunnelStatus = z.infer<typeof tunnelStatusSchema>;
