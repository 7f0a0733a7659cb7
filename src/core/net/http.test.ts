import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/ipc/result';
import { classifyFetchError, parseRetryAfter, retryIdempotent } from './http';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T00:00:00Z');
  it.each([
    ['3', 3000],
    ['0', 0],
    ['1.5', 1500],
    ['Wed, 25 Nov 2026 00:00:10 GMT', 10_000],
    ['Tue, 24 Nov 2026 00:00:00 GMT', 0],
    ['soon', null],
    [null, null],
  ])('%j → %s', (header, ms) => expect(parseRetryAfter(header, now)).toBe(ms));
});

describe('classifyFetchError', () => {
  const withCause = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: { code } });
  it.each([
    [withCause('ECONNREFUSED'), 'OFFLINE', false],
    [withCause('ENOTFOUND'), 'OFFLINE', false],
    [withCause('ECONNRESET'), 'OFFLINE', true],
    [new TypeError('fetch failed'), 'OFFLINE', true],
    [Object.assign(new Error('t'), { name: 'TimeoutError' }), 'TIMEOUT', true],
  ])('%s → %s (reached %s)', (error, code, reached) => {
    expect(classifyFetchError(error)).toMatchObject({ code, details: { reached } });
  });
});

describe('retryIdempotent', () => {
  it('retries transient errors with growing delays, then gives up', async () => {
    const delays: number[] = [];
    let calls = 0;
    const failing = retryIdempotent(
      async () => {
        calls += 1;
        throw new AppError('UPSTREAM', 'down');
      },
      { attempts: 4, baseDelayMs: 100, maxDelayMs: 250, sleep: async (ms) => void delays.push(ms) },
    );
    await expect(failing).rejects.toMatchObject({ code: 'UPSTREAM' });
    expect(calls).toBe(4);
    expect(delays).toHaveLength(3);
    expect(delays[0]).toBeGreaterThanOrEqual(75);
    expect(delays[2]).toBeLessThanOrEqual(313);
  });

  it.each(['UNAUTHORIZED', 'NO_CREDITS', 'VALIDATION', 'CONTENT_REJECTED', 'NOT_FOUND'] as const)(
    'never retries %s',
    async (code) => {
      let calls = 0;
      await expect(
        retryIdempotent(
          async () => {
            calls += 1;
            throw new AppError(code, 'x');
          },
          { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined },
        ),
      ).rejects.toMatchObject({ code });
      expect(calls).toBe(1);
    },
  );

  it('uses the Retry-After carried by the error', async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await retryIdempotent(
      async () => {
        calls += 1;
        if (calls === 1) throw new AppError('RATE_LIMITED', 'wait', { retryAfterMs: 1234 });
        return 'ok';
      },
      { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async (ms) => void delays.push(ms) },
    );
    expect(value).toBe('ok');
    expect(delays).toEqual([1234]);
  });
});
