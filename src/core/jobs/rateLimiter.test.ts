import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rateLimiter';

describe('RateLimiter', () => {
  it('lets a burst through at once, then spaces requests at the rate', async () => {
    const limiter = new RateLimiter(50, 3);
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () => limiter.take().then(() => times.push(Date.now() - started))),
    );
    times.sort((a, b) => a - b);
    expect(times.slice(0, 3).every((t) => t < 15)).toBe(true);
    // Three more tokens at 50/s need about 60 ms.
    expect(times[5]).toBeGreaterThanOrEqual(45);
  });

  it('gives way at once when the caller aborts', async () => {
    const limiter = new RateLimiter(0.001, 1);
    await limiter.take();
    const abort = new AbortController();
    const waiting = limiter.take(abort.signal);
    abort.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
