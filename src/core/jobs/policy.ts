import type { PauseReason } from '@shared/domain/queue';
import type { WireError } from '@shared/ipc/result';

/**
 * The job engine's retry, back-off and deadline rules, as pure functions: what an answer from
 * KIE means for a job, and how long to wait before asking again. The engine only carries them out.
 */

export interface PollOptions {
  /** First poll of a job that has no callback coming. */
  initialMs: number;
  maxMs: number;
  factor: number;
  /**
   * With a callback coming, the first look at the task. KIE calls back only when the task has
   * ended, so without these looks the job would show "sent" until then; the callback still wakes
   * the follower at once, and recordInfo stays the source of truth either way. Never later than
   * `lateCallbackMs`.
   */
  progressMs: number;
  /**
   * With a callback coming: by then it is late, and the looks back off up to this (instead of
   * `maxMs`), since they feed the step bar and the result is expected to come by callback.
   */
  lateCallbackMs: number;
  /**
   * A task still unfinished this long after KIE accepted it fails with TIMEOUT (and stays
   * resumable). Counted from acceptance, never from queueing, and only after one last look.
   */
  deadlineMs: number;
  /**
   * Shared recordInfo budget across all jobs: a burst big enough that a wave of callbacks (100
   * jobs finishing together) is confirmed at once, a steady rate that keeps polling polite.
   */
  perSecond: number;
  burst: number;
}

export const DEFAULT_POLL: PollOptions = {
  initialMs: 2_000,
  maxMs: 30_000,
  factor: 1.6,
  progressMs: 2_000,
  lateCallbackMs: 45_000,
  deadlineMs: 30 * 60_000,
  perSecond: 10,
  burst: 100,
};

/** What a failed createTask means for the job that sent it. */
export type CreateTaskVerdict =
  /** KIE did not take the task: the job waits at the front of the queue, which pauses. */
  | { kind: 'pause'; reason: PauseReason }
  /** The task may exist and be charged: never sent again by itself. */
  | { kind: 'unknown-outcome' }
  /** A definite refusal: no task, no charge. */
  | { kind: 'fail' };

const PAUSE_FOR: Partial<Record<WireError['code'], PauseReason>> = {
  OFFLINE: 'offline',
  RATE_LIMITED: 'rate-limited',
  NO_CREDITS: 'credits',
  MAINTENANCE: 'maintenance',
  KEY_LIMIT: 'key-limit',
  DISK_FULL: 'disk-full',
};

export function createTaskVerdict(error: WireError): CreateTaskVerdict {
  if (error.code === 'UNKNOWN_OUTCOME') return { kind: 'unknown-outcome' };
  const reason = PAUSE_FOR[error.code];
  return reason ? { kind: 'pause', reason } : { kind: 'fail' };
}

/**
 * Reference upload failures (after the client's own retries) that mean "KIE's upload service
 * cannot be reached or is busy": the job waits at the front of the queue, as for createTask.
 * There is no pause reason for a flaky upload service; `offline` is the nearest, and the probe
 * lifts it as soon as KIE answers again.
 */
export function uploadPauseReason(error: WireError): PauseReason | null {
  if (error.code === 'TIMEOUT' || error.code === 'UPSTREAM') return 'offline';
  return PAUSE_FOR[error.code] ?? null;
}

/**
 * How long a queue paused by KIE waits before its next check. Offline checks stay quick (the
 * network coming back should be noticed at once); refusals that waiting rarely clears (credits,
 * a key's limit, maintenance) back off to one check every few minutes instead of re-sending
 * every few seconds forever. `attempt` counts the checks of this pause, from 0.
 */
export function probeDelayMs(reason: PauseReason, attempt: number, baseMs: number): number {
  const cap = reason === 'offline' ? Math.max(baseMs, 30_000) : Math.max(baseMs, 5 * 60_000);
  return Math.min(cap, baseMs * 2 ** Math.min(attempt, 16));
}

/** When a rate-limited queue may send again. */
export function rateLimitResumeMs(error: WireError | null): number {
  const retryAfterMs = Number(error?.details?.['retryAfterMs'] ?? NaN);
  return Number.isFinite(retryAfterMs) && retryAfterMs >= 0 ? retryAfterMs : 5_000;
}

/** What a failed recordInfo means while a job is being followed. */
export type RecordInfoVerdict =
  /** Not ready yet (KIE's "recordInfo is null", a 404 for a fresh task) or a passing problem. */
  | { kind: 'ask-again' }
  /** The job cannot be followed with these settings (the key was rejected): it waits for the user. */
  | { kind: 'blocked' };

/**
 * For a task this app created, no recordInfo answer proves the task is gone: KIE answers
 * `{"code":422,"msg":"recordInfo is null"}` or 404 for a task created moments ago, and a
 * network or server problem passes. So every answer means "ask again" until the deadline; only
 * a rejected key is shown as such (it needs the user), and the job still stays resumable.
 */
export function recordInfoVerdict(error: WireError): RecordInfoVerdict {
  return error.code === 'UNAUTHORIZED' ? { kind: 'blocked' } : { kind: 'ask-again' };
}

/** The moment the deadline counts from: KIE's acceptance (older records: their creation). */
export function deadlineStart(job: { acceptedAt: string | null; createdAt: string }): number {
  return Date.parse(job.acceptedAt ?? job.createdAt);
}

export function deadlinePassed(
  job: { acceptedAt: string | null; createdAt: string },
  nowMs: number,
  options: Pick<PollOptions, 'deadlineMs'>,
): boolean {
  return nowMs - deadlineStart(job) > options.deadlineMs;
}

/** The next poll delay after `delayMs`, growing to the cap. */
export function nextPollDelay(delayMs: number, options: Pick<PollOptions, 'maxMs' | 'factor'>): number {
  return Math.min(options.maxMs, delayMs * options.factor);
}

export function jitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (0.9 + random() * 0.2));
}

/** Error codes of settled jobs whose task may still hold a paid result (checked again on start). */
export const RESUMABLE_FAILURE_CODES = [
  'TIMEOUT',
  'UPSTREAM',
  'OFFLINE',
  'INTERNAL',
  'UNAUTHORIZED',
  'DISK_FULL',
  'NOT_FOUND',
] as const;
