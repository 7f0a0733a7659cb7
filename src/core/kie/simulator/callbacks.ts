import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from '../../log/logger';
import type { FaultBook } from './faults';
import type { Lifetime } from './lifetime';

/** KIE's webhook signature: base64(HMAC-SHA256(taskId + "." + timestamp, key)). */
export function signCallback(taskId: string, timestamp: string | number, key: string): string {
  return createHmac('sha256', key).update(`${taskId}.${timestamp}`).digest('base64');
}

export interface CallbackData {
  taskId: string;
  model: string;
  state: 'success' | 'fail';
  param: string;
  resultJson: string;
  creditsConsumed: number;
  /** Seconds, as in KIE's callback example (recordInfo uses milliseconds). */
  costTime: number;
  createTime: number;
  completeTime: number;
  updateTime: number;
  failCode?: string;
  failMsg?: string;
}

export interface CallbackBody {
  code: number;
  msg: string;
  data: CallbackData;
}

export interface CallbackAttempt {
  /** 1-based copy number (more than one with the duplicateCallback fault). */
  copy: number;
  /** 1-based attempt within that copy. */
  attempt: number;
  time: string;
  url: string;
  /** HTTP status the receiver answered; null on a network error. */
  status: number | null;
  error: string | null;
  timestamp: string | null;
  signature: string | null;
  /** The body as sent (after any tampering). */
  body: CallbackBody;
}

export interface CallbackDelivery {
  url: string;
  body: CallbackBody;
  hmacKey: string | null;
  faults: FaultBook;
  lifetime: Lifetime;
  /** Retries after the first attempt, on non-2xx or network errors. */
  retries: number;
  backoffMs: number;
  /** Resolves once recordInfo has reported the final state (for lateCallback's afterPoll). */
  polledFinal: Promise<void>;
  record(attempt: CallbackAttempt): void;
  logger: Logger | null;
}

const ATTEMPT_TIMEOUT_MS = 5_000;
/** A late callback never waits for a poll longer than this. */
const POLL_WAIT_CAP_MS = 120_000;

/** Sends the task's callback with the task's (or global) callback faults applied. */
export async function deliverCallbacks(delivery: CallbackDelivery): Promise<void> {
  const { faults, lifetime, body } = delivery;
  const taskId = body.data.taskId;
  if (faults.forTask(taskId, 'lostCallback')) {
    delivery.logger?.info('Callback dropped (lostCallback fault)', { taskId });
    return;
  }
  const late = faults.forTask(taskId, 'lateCallback');
  if (late) {
    if (late.afterPoll) {
      await Promise.race([delivery.polledFinal, lifetime.sleep(POLL_WAIT_CAP_MS)]);
    }
    if (!(await lifetime.sleep(late.delayMs))) return;
  }
  const tampered = faults.forTask(taskId, 'tamperedCallbackUrls');
  const sent: CallbackBody = tampered
    ? { ...body, data: { ...body.data, resultJson: JSON.stringify({ resultUrls: tampered.urls }) } }
    : body;
  const copies = faults.forTask(taskId, 'duplicateCallback')?.count ?? 1;
  await Promise.all(Array.from({ length: copies }, (_, index) => sendWithRetries(delivery, sent, index + 1)));
}

async function sendWithRetries(delivery: CallbackDelivery, body: CallbackBody, copy: number): Promise<void> {
  const { lifetime } = delivery;
  for (let attempt = 1; attempt <= delivery.retries + 1; attempt += 1) {
    if (lifetime.closed) return;
    const result = await sendOnce(delivery, body, copy, attempt);
    if (result.status !== null && result.status >= 200 && result.status < 300) return;
    if (attempt <= delivery.retries && !(await lifetime.sleep(delivery.backoffMs * 2 ** (attempt - 1))))
      return;
  }
  delivery.logger?.warn('Callback gave up', { taskId: body.data.taskId, url: delivery.url });
}

async function sendOnce(
  delivery: CallbackDelivery,
  body: CallbackBody,
  copy: number,
  attempt: number,
): Promise<CallbackAttempt> {
  const taskId = body.data.taskId;
  const { faults } = delivery;
  const stale = faults.forTask(taskId, 'staleTimestamp');
  const forged = faults.forTask(taskId, 'forgedSignature');
  const seconds = Math.floor(Date.now() / 1000) - (stale?.skewSeconds ?? 0);
  const timestamp = String(seconds);
  let signature: string | null = null;
  if (forged) signature = randomBytes(32).toString('base64');
  else if (delivery.hmacKey) signature = signCallback(taskId, timestamp, delivery.hmacKey);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) {
    headers['x-webhook-timestamp'] = timestamp;
    headers['x-webhook-signature'] = signature;
  }
  const record: CallbackAttempt = {
    copy,
    attempt,
    time: new Date().toISOString(),
    url: delivery.url,
    status: null,
    error: null,
    timestamp: signature !== null ? timestamp : null,
    signature,
    body,
  };
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: delivery.lifetime.bounded(ATTEMPT_TIMEOUT_MS),
      redirect: 'manual',
    });
    record.status = response.status;
    await response.body?.cancel().catch(() => undefined);
  } catch (error) {
    record.error = error instanceof Error ? error.message : String(error);
  }
  delivery.record(record);
  delivery.logger?.debug('Callback attempt', {
    taskId,
    copy,
    attempt,
    status: record.status,
    error: record.error,
  });
  return record;
}
