import { z } from 'zod';

/**
 * Error codes that cross the wire. Few and meaningful: the renderer maps each one to a
 * translated, plain-language explanation; `message` is the English text for logs.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'NO_CREDITS',
  'RATE_LIMITED',
  'MAINTENANCE',
  'CONTENT_REJECTED',
  'GENERATION_FAILED',
  'UPSTREAM',
  'TIMEOUT',
  'OFFLINE',
  'UNKNOWN_OUTCOME',
  'INTERNAL',
  /** 433: this (sub-)key reached the usage limit set for it; waiting does not clear it. */
  'KEY_LIMIT',
  /** 505: KIE has switched the feature off. */
  'FEATURE_DISABLED',
  /** 400: KIE refused the request as malformed. */
  'BAD_REQUEST',
  /** The disk holding the app data or the library is full. */
  'DISK_FULL',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const wireErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: wireErrorSchema }),
  ]);
}

/** The one error type thrown inside core; it keeps its code when it reaches the wire. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: WireError): Result<never> => ({ ok: false, error });
