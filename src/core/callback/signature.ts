import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_WINDOW_SECONDS = 300;

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'mismatch';

/**
 * KIE's webhook signature: base64(HMAC-SHA256(taskId + "." + timestamp, key)), compared in
 * constant time, with the timestamp at most ±300 s from now. It does not cover the body, so a
 * verified callback is still only a hint to go and ask recordInfo.
 */
export function verifyCallbackSignature(input: {
  taskId: string;
  timestamp: string | undefined;
  signature: string | undefined;
  key: string;
  nowMs: number;
}): SignatureCheck {
  const { taskId, timestamp, signature, key, nowMs } = input;
  if (!timestamp || !signature) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'stale';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return 'stale';
  const expected = createHmac('sha256', key).update(`${taskId}.${timestamp}`).digest();
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length) return 'mismatch';
  return timingSafeEqual(given, expected) ? 'ok' : 'mismatch';
}
