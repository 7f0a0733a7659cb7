import type { PauseReason } from '@shared/domain/queue';
import type { WireError } from '@shared/ipc/result';
import type { Logger } from '../log/logger';
import { probeDelayMs, rateLimitResumeMs } from './policy';

export interface Pause {
  reason: PauseReason;
  resumesAt: number | null;
  error: WireError | null;
}

export interface SubmitPauseDeps {
  log: Logger;
  /** Base interval of the checks while KIE refuses (they back off from here). */
  probeIntervalMs: number;
  /** Whether KIE can take the next job again (paused for a KIE-side reason). */
  canResume(pause: Pause): Promise<boolean>;
  /** The pause started, changed or ended. */
  changed(): void;
  /** The user's own pause, kept across restarts. */
  saveUserPause(paused: boolean): void;
}

/**
 * The submit queue's pause: the user's (kept across restarts, lifted only by the user) or KIE's
 * (rate limit, credits, a key's limit, maintenance, offline, a full disk), lifted by a check that
 * backs off while the same refusal keeps coming back. A job that KIE accepts resets the back-off.
 */
export class SubmitPause {
  private pause: Pause | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Pauses for the same reason since KIE last accepted a task. */
  private strikes = 0;
  private lastReason: PauseReason | null = null;
  private disposed = false;

  constructor(
    private readonly deps: SubmitPauseDeps,
    pausedByUser: boolean,
  ) {
    if (pausedByUser) this.pause = { reason: 'user', resumesAt: null, error: null };
  }

  get current(): Pause | null {
    return this.pause;
  }

  set(pause: Pause): void {
    if (this.disposed) return;
    if (this.pause?.reason === 'user' && pause.reason !== 'user') return;
    if (pause.reason === 'user') this.deps.saveUserPause(true);
    this.strikes = this.lastReason === pause.reason ? this.strikes + 1 : 0;
    this.lastReason = pause.reason;
    this.pause =
      pause.reason === 'rate-limited'
        ? { ...pause, resumesAt: Date.now() + rateLimitResumeMs(pause.error) }
        : pause;
    this.stopTimer();
    this.deps.log.warn('Queue paused', { reason: pause.reason, strikes: this.strikes });
    if (this.pause.reason === 'rate-limited' && this.pause.resumesAt !== null) {
      this.timer = setTimeout(() => this.clear(), Math.max(0, this.pause.resumesAt - Date.now()));
    } else if (pause.reason !== 'user') {
      this.schedule(this.pause, 0);
    }
    this.deps.changed();
  }

  /** Lifts any pause (the user's Resume, or KIE answering again). */
  clear(): void {
    this.stopTimer();
    if (!this.pause) return;
    if (this.pause.reason === 'user') this.deps.saveUserPause(false);
    this.pause = null;
    this.deps.changed();
  }

  /** KIE accepted a task: the next refusal starts the back-off afresh. */
  noteAccepted(): void {
    this.strikes = 0;
    this.lastReason = null;
  }

  dispose(): void {
    this.disposed = true;
    this.stopTimer();
  }

  private schedule(pause: Pause, check: number): void {
    const delay = probeDelayMs(pause.reason, this.strikes + check, this.deps.probeIntervalMs);
    this.timer = setTimeout(() => void this.probe(pause, check), delay);
  }

  private async probe(pause: Pause, check: number): Promise<void> {
    if (this.pause !== pause || this.disposed) return;
    let ok = false;
    try {
      ok = await this.deps.canResume(pause);
    } catch (error) {
      this.deps.log.warn('Queue check failed', { reason: pause.reason, error });
    }
    if (this.pause !== pause || this.disposed) return;
    if (ok) {
      this.deps.log.info('KIE can take tasks again; resuming the queue', { reason: pause.reason });
      this.clear();
      return;
    }
    this.schedule(pause, check + 1);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
