import type { WireError } from '@shared/ipc/result';
import { isDiskFull } from '../fs/diskFull';
import { taskFailureError } from '../kie/errors';
import type { KieApi, KieTaskInfo } from '../kie/types';
import type { Logger } from '../log/logger';
import { timedOut, toWireError } from './jobErrors';
import type { JobMover } from './jobMover';
import { deadlinePassed, jitter, nextPollDelay, recordInfoVerdict, type PollOptions } from './policy';
import { RateLimiter } from './rateLimiter';
import { taskMatchesJob, type TaskMatch } from './recover';
import { ResultSaver, type ResultSaverDeps } from './saveResults';
import { diskRetryDelayMs, sleep } from './sleep';
import { isTerminal } from './stateMachine';
import type { JobRecord, JobStore } from './store';

export interface FollowingDeps extends ResultSaverDeps {
  store: JobStore;
  mover: JobMover;
  kieFor(demo: boolean): Promise<KieApi>;
  log: Logger;
  now(): Date;
  poll: PollOptions;
  /** How long a job waits before trying again to save on a full disk. */
  diskRetryMs?: number;
}

interface Follower {
  abort: AbortController;
  wake: () => void;
}

export type RecoverOutcome = 'attached' | 'not-found' | Exclude<TaskMatch, { matches: true }>['reason'];

/**
 * The half of the engine after createTask: one follower per job at KIE asks recordInfo until
 * the task ends (a callback only wakes it early), then the results are saved. Also attaches a
 * recovered task to a job whose createTask answer was lost.
 */
export class Following {
  private readonly followers = new Map<string, Follower>();
  private readonly limiter: RateLimiter;
  private readonly saver: ResultSaver;
  private readonly poll: PollOptions;
  private readonly mover: JobMover;
  private disposed = false;

  constructor(private readonly deps: FollowingDeps) {
    this.poll = deps.poll;
    this.mover = deps.mover;
    this.limiter = new RateLimiter(this.poll.perSecond, this.poll.burst);
    this.saver = new ResultSaver(deps);
  }

  /** Looks now at a job being followed; false when no follower runs for it. */
  wake(jobId: string): boolean {
    const follower = this.followers.get(jobId);
    follower?.wake();
    return follower !== undefined;
  }

  /** Stops following a job (cancelled). */
  stop(jobId: string): void {
    this.followers.get(jobId)?.abort.abort();
    this.followers.delete(jobId);
  }

  dispose(): void {
    this.disposed = true;
    for (const follower of this.followers.values()) follower.abort.abort();
    this.followers.clear();
  }

  // ── recovery ──────────────────────────────────────────────────────────────────────────────

  /**
   * Checks a task id against a job whose createTask answer was lost, and attaches it when KIE's
   * record of the task is this job's request. A forged callback naming a real job but a foreign
   * task changes nothing.
   */
  async recover(jobId: string, kieTaskId: string, source: 'callback' | 'user'): Promise<RecoverOutcome> {
    const record = this.mover.require(jobId);
    const kie = await this.deps.kieFor(record.demo);
    let info: KieTaskInfo;
    try {
      info = await kie.recordInfo(kieTaskId, undefined, { jobId });
    } catch (error) {
      const wire = toWireError(error);
      this.deps.log.warn('recordInfo for a recovery failed', { jobId, kieTaskId, code: wire.code });
      if (wire.code === 'NOT_FOUND' || wire.code === 'VALIDATION') return 'not-found';
      throw error;
    }
    const match = taskMatchesJob({ ...record, sentModel: record.params.model }, info.request);
    if (!match.matches) {
      this.deps.log.warn('Task does not match the job; not attached', {
        jobId,
        kieTaskId,
        reason: match.reason,
        source,
      });
      return match.reason;
    }
    const latest = this.mover.require(jobId);
    if (latest.kieTaskId !== null) return latest.kieTaskId === kieTaskId ? 'attached' : 'other-job';
    this.mover.move(latest, 'submitted', null, {
      kieTaskId,
      acceptedAt: info.createTime ? new Date(info.createTime).toISOString() : this.deps.now().toISOString(),
    });
    this.deps.log.info('Recovered the task of a job whose outcome was unknown', { jobId, kieTaskId, source });
    this.follow(jobId, 0);
    return 'attached';
  }

  // ── following ─────────────────────────────────────────────────────────────────────────────

  follow(jobId: string, firstDelayMs: number): void {
    if (this.disposed || this.followers.has(jobId)) return;
    let wakeNow: () => void = () => undefined;
    const follower: Follower = { abort: new AbortController(), wake: () => wakeNow() };
    this.followers.set(jobId, follower);
    const signal = follower.abort.signal;
    void this.followLoop(jobId, firstDelayMs, signal, (fn) => {
      wakeNow = fn;
    })
      .catch((error: unknown) => {
        if (!signal.aborted) this.deps.log.error('Job follower crashed', { jobId, error });
      })
      .finally(() => {
        if (this.followers.get(jobId) === follower) this.followers.delete(jobId);
      });
  }

  /**
   * Asks recordInfo until the task ends. Every look comes before the deadline check, so a job is
   * only declared timed out after a last answer that it is still unfinished (or unanswerable),
   * and never because the app was closed for a while.
   */
  private async followLoop(
    jobId: string,
    firstDelayMs: number,
    signal: AbortSignal,
    setWake: (fn: () => void) => void,
  ): Promise<void> {
    let delay = this.poll.initialMs;
    await sleep(firstDelayMs, signal, setWake);
    // With a callback coming the looks only move the step bar: they may thin out further.
    const withCallback = (this.deps.store.get(jobId)?.callbackUrl ?? null) !== null;
    const backOff = withCallback
      ? { factor: this.poll.factor, maxMs: Math.max(this.poll.maxMs, this.poll.lateCallbackMs) }
      : this.poll;
    for (;;) {
      let job = this.deps.store.get(jobId);
      if (!job || job.kieTaskId === null || signal.aborted || job.state === 'done') return;
      const settled = isTerminal(job.state);
      await this.limiter.take(signal);
      const answer = await this.lookUp(job, signal);
      if (signal.aborted) return;
      job = this.deps.store.get(jobId) ?? job;
      const info = answer.info;
      if (info?.state === 'success' && info.resultUrls.length > 0) {
        await this.deliver(job, info, signal);
        return;
      }
      if (info?.state === 'fail') {
        if (!settled || job.state === 'unknown-outcome') {
          this.mover.move(job, 'failed', taskFailureError(info.failCode, info.failMsg).toWire());
        }
        return;
      }
      // A settled job (cancelled, timed out) only gets this one look; a callback can wake it later.
      if (settled) return;
      if (deadlinePassed(job, this.deps.now().getTime(), this.poll)) {
        this.mover.move(job, 'failed', timedOut(info, answer.error));
        return;
      }
      if (info && info.state !== 'success' && info.state !== job.state) this.mover.move(job, info.state);
      else if (answer.error?.code === 'UNAUTHORIZED' && job.error?.code !== 'UNAUTHORIZED') {
        // Shown on the job (the key needs fixing); the job keeps being followed.
        this.mover.move(job, job.state, answer.error);
      }
      await sleep(jitter(delay), signal, setWake);
      delay = nextPollDelay(delay, backOff);
    }
  }

  /**
   * One recordInfo. No answer ends the job here: "recordInfo is null", a 404 for a fresh task,
   * a network or server problem, even a rejected key, all mean "ask again" until the deadline.
   */
  private async lookUp(
    job: JobRecord,
    signal: AbortSignal,
  ): Promise<{ info: KieTaskInfo | null; error: WireError | null }> {
    try {
      const kie = await this.deps.kieFor(job.demo);
      return { info: await kie.recordInfo(job.kieTaskId ?? '', signal, { jobId: job.id }), error: null };
    } catch (error) {
      const wire = toWireError(error);
      if (!signal.aborted) {
        const verdict = recordInfoVerdict(wire);
        this.deps.log.warn('recordInfo gave no answer yet; will ask again', {
          jobId: job.id,
          code: wire.code,
          kieCode: wire.details?.['kieCode'] ?? null,
          blocked: verdict.kind === 'blocked',
        });
      }
      return { info: null, error: wire };
    }
  }

  // ── delivery ──────────────────────────────────────────────────────────────────────────────

  private async deliver(
    job: JobRecord,
    info: KieTaskInfo,
    signal: AbortSignal,
    diskAttempt = 0,
  ): Promise<void> {
    const current = job.state === 'downloading' ? job : this.mover.move(job, 'downloading', null);
    const kie = await this.deps.kieFor(job.demo);
    try {
      await this.saver.saveAll(current, info, kie, signal, () =>
        this.mover.publish(this.deps.store.get(job.id) ?? current),
      );
    } catch (error) {
      if (signal.aborted) return;
      const latest = this.deps.store.get(job.id) ?? current;
      if (!isDiskFull(error)) {
        this.mover.move(latest, 'failed', toWireError(error));
        return;
      }
      // The library's disk is full: the job waits (shown as such) and tries again by itself.
      this.deps.log.error('Library disk is full; the image is saved when there is room', {
        jobId: job.id,
        attempt: diskAttempt,
      });
      this.mover.showDiskFull(latest, 'saving the image');
      await sleep(diskRetryDelayMs(diskAttempt, this.deps.diskRetryMs ?? 2_000), signal);
      if (signal.aborted) return;
      return this.deliver(this.deps.store.get(job.id) ?? latest, info, signal, diskAttempt + 1);
    }
    this.mover.move(this.deps.store.get(job.id) ?? current, 'done', null);
  }
}
