/**
 * Waits `ms`, ending early when `signal` aborts or when the function handed to `setWake` is
 * called (a callback waking a follower). Never rejects.
 */
export function sleep(
  ms: number,
  signal: AbortSignal,
  setWake: (wake: () => void) => void = () => undefined,
): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      setWake(() => undefined);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    setWake(done);
  });
}

/** How long to wait before the next try on a full disk: doubling from `baseMs` up to a minute. */
export function diskRetryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(60_000, baseMs * 2 ** Math.min(attempt, 5));
}
