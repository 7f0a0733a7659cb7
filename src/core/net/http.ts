import { AppError, type ErrorCode } from '@shared/ipc/result';

/**
 * The project's one HTTP helper over global fetch: a hard deadline on every call, failures
 * classified into AppError codes, and a flag saying whether the request may have reached the
 * server (what decides if a paid createTask may be sent again: it may not).
 */
export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | FormData;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  durationMs: number;
}

/** Errors that happen before a connection exists: the request surely never reached the server. */
const NOT_SENT_CAUSES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_INVALID_URL',
]);

export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const started = Date.now();
  const signals = [AbortSignal.timeout(request.timeoutMs)];
  if (request.signal) signals.push(request.signal);
  try {
    const response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.any(signals),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, durationMs: Date.now() - started };
  } catch (error) {
    throw classifyFetchError(error, request.signal);
  }
}

/** Maps a fetch failure to TIMEOUT or OFFLINE, with `details.reached` (may the server have seen it?). */
export function classifyFetchError(error: unknown, callerSignal?: AbortSignal): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : '';
  const cause = causeCode(error);
  if (name === 'TimeoutError' || (name === 'AbortError' && !callerSignal?.aborted)) {
    return new AppError('TIMEOUT', 'The request took too long.', { reached: true });
  }
  if (name === 'AbortError') return new AppError('TIMEOUT', 'The request was stopped.', { reached: true });
  const reached = cause === null || !NOT_SENT_CAUSES.has(cause);
  return new AppError('OFFLINE', reached ? 'The connection was lost.' : 'The server could not be reached.', {
    reached,
    cause: cause ?? (error instanceof Error ? error.message : String(error)),
  });
}

function causeCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    if (
      typeof current === 'object' &&
      current !== null &&
      'code' in current &&
      typeof current.code === 'string'
    ) {
      return current.code;
    }
    current = typeof current === 'object' && current !== null && 'cause' in current ? current.cause : null;
  }
  return null;
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; error: AppError }) => void;
}

const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'TIMEOUT',
  'OFFLINE',
  'RATE_LIMITED',
  'UPSTREAM',
  'MAINTENANCE',
]);

export function isRetryable(error: unknown): error is AppError {
  return error instanceof AppError && RETRYABLE.has(error.code);
}

export const realSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Retries an idempotent call with exponential backoff and jitter. A Retry-After carried in the
 * error's `details.retryAfterMs` wins over the computed delay. Never use it for createTask.
 */
export async function retryIdempotent<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error) || attempt >= options.attempts || options.signal?.aborted) throw error;
      const hinted = Number(error.details?.['retryAfterMs'] ?? NaN);
      const computed = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Number.isFinite(hinted)
        ? Math.min(hinted, 60_000)
        : Math.round(computed * (0.75 + Math.random() * 0.5));
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
