import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a token from a request matches the expected one, in constant time: `===` stops at the
 * first differing character, which tells a patient attacker how much of a guess was right. Both
 * sides are hashed first so the comparison also takes the same time whatever length was sent.
 */
export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || expected === '') return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
