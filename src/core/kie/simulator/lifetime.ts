import { setMaxListeners } from 'node:events';

/**
 * Every timer and outgoing fetch the simulator starts is registered here, so `close()` can stop
 * all of them at once and a test run ends without leaked handles.
 */
export class Lifetime {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controller = new AbortController();

  constructor() {
    // Every pending sleep listens for close; many tasks at once are normal, not a leak.
    setMaxListeners(0, this.controller.signal);
  }

  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted on close: pass it (combined with a timeout) to every outgoing fetch. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  later(ms: number, run: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        run();
      },
      Math.max(0, ms),
    );
    this.timers.add(timer);
  }

  /** Resolves after `ms`, or at once (false) when the simulator closes first. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve(false);
        return;
      }
      const onAbort = (): void => resolve(false);
      this.signal.addEventListener('abort', onAbort, { once: true });
      this.later(ms, () => {
        this.signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** A signal that fires on close or after `timeoutMs`, whichever comes first. */
  bounded(timeoutMs: number): AbortSignal {
    return AbortSignal.any([this.signal, AbortSignal.timeout(timeoutMs)]);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.controller.abort();
  }
}
