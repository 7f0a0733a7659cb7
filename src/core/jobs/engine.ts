import type { Job, JobParams } from '@shared/domain/job';
import { modelForReferences } from '@shared/domain/models';
import type { PauseReason, QueueStatus } from '@shared/domain/queue';
import type { AnyEvent } from '@shared/ipc/contract';
import { AppError, isAppError, type WireError } from '@shared/ipc/result';
import type { GalleryLibrary, NewResult } from '../gallery/library';
import { taskFailureError } from '../kie/errors';
import { buildCreateTaskRequest, checkTaskParams } from '../kie/request';
import type { KieApi, KieTaskInfo } from '../kie/types';
import type { Logger } from '../log/logger';
import type { ReferenceStore } from '../references/staging';
import type { ReferenceUploader } from '../references/uploads';
import {
  DEFAULT_DOWNLOAD_LIMITS,
  downloadImage,
  type DownloadedImage,
  type DownloadLimits,
} from './download';
import { RateLimiter } from './rateLimiter';
import { isTerminal } from './stateMachine';
import { jobToWire, type JobRecord, type JobStore } from './store';

export interface PollOptions {
  /** First poll of a job that has no callback coming. */
  initialMs: number;
  maxMs: number;
  factor: number;
  /** With a callback URL, polling starts only this long after submission (the callback is late). */
  lateCallbackMs: number;
  /** A task still unfinished this long after submission fails with TIMEOUT (and stays resumable). */
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
  lateCallbackMs: 45_000,
  deadlineMs: 30 * 60_000,
  perSecond: 10,
  burst: 100,
};

export interface EngineDeps {
  store: JobStore;
  library: GalleryLibrary;
  /** Staged reference images (checked at submit, lineage at delivery) and their KIE uploads. */
  references: ReferenceStore;
  uploads: ReferenceUploader;
  kieFor(demo: boolean): Promise<KieApi>;
  /** The public callback URL to give KIE, or null when no tunnel is up (then polling only). */
  callbackUrl(demo: boolean): string | null;
  /** Upload/submit concurrency (the setting). */
  concurrency(): number;
  emit(event: AnyEvent): void;
  log: Logger;
  now(): Date;
  poll?: Partial<PollOptions>;
  download?: DownloadLimits;
  /** How often a paused queue checks whether KIE is back (offline, maintenance, credits). */
  probeIntervalMs?: number;
  /** Called when a job reaches a terminal state (refresh credits, notify). */
  onSettled?(job: Job): void;
}

const TRANSIENT = new Set(['OFFLINE', 'TIMEOUT', 'UPSTREAM', 'RATE_LIMITED', 'MAINTENANCE']);
/** createTask answers that mean "KIE did not take the task; try again later", and how to pause. */
const PAUSE_FOR: Partial<Record<WireError['code'], PauseReason>> = {
  OFFLINE: 'offline',
  RATE_LIMITED: 'rate-limited',
  NO_CREDITS: 'credits',
  MAINTENANCE: 'maintenance',
};
/**
 * Reference upload failures (after the client's own retries) that mean "KIE's upload service
 * cannot be reached or is busy": the job waits at the front of the queue, as for createTask.
 * There is no pause reason for a flaky upload service; `offline` is the nearest, and the probe
 * lifts it as soon as KIE answers again.
 */
const UPLOAD_PAUSE_FOR: Partial<Record<WireError['code'], PauseReason>> = {
  ...PAUSE_FOR,
  TIMEOUT: 'offline',
  UPSTREAM: 'offline',
};
const DOWNLOAD_ATTEMPTS = 4;
const DOWNLOAD_CONCURRENCY = 4;

interface Follower {
  abort: AbortController;
  wake: () => void;
}

interface Pause {
  reason: PauseReason;
  resumesAt: number | null;
  error: WireError | null;
}

/**
 * Drives each job from the local queue to a file in the library.
 *
 * - Submission: FIFO, at most `concurrency()` jobs uploading/submitting at once, pausable. A
 *   createTask that may have reached KIE is never sent again by the engine (`unknown-outcome`).
 * - Following: recordInfo is the source of truth; a callback only wakes the follower early.
 *   Jobs with a callback URL are polled only once their callback is late.
 * - Delivery: exactly one file per KIE result (the library's unique key), downloaded only from
 *   URLs that recordInfo returned.
 */
export class JobEngine {
  private readonly queue: string[] = [];
  private readonly submitting = new Set<string>();
  private readonly followers = new Map<string, Follower>();
  private readonly poll: PollOptions;
  private readonly limiter: RateLimiter;
  private downloadsRunning = 0;
  private readonly downloadWaiters: (() => void)[] = [];
  private pause: Pause | null = null;
  private resumeTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  /** Stops reference uploads on dispose (an upload is shared by jobs, so not per job). */
  private readonly lifetime = new AbortController();
  private readonly uploadsRunning = new Set<Promise<unknown>>();
  /** Jobs already sent again once after KIE refused a reused upload (see submitOne). */
  private readonly reuploaded = new Set<string>();

  constructor(private readonly deps: EngineDeps) {
    this.poll = { ...DEFAULT_POLL, ...deps.poll };
    this.limiter = new RateLimiter(this.poll.perSecond, this.poll.burst);
  }

  /**
   * Validates, records and queues a job; returns at once. References decide the model as in the
   * compose panel (modelForReferences): the text model with references runs as the edit model.
   */
  submit(input: JobParams, demo: boolean): Job {
    const references = input.references ?? [];
    const params: JobParams = { ...input, model: modelForReferences(input.model, references.length) };
    // Jobs without references keep the shape they always had.
    if (references.length === 0) delete params.references;
    // References first: their message names the model and the count, the generic one does not.
    this.deps.references.checkForModel(references, params.model);
    checkTaskParams(params, references.length);
    const record = this.deps.store.create(params, demo);
    this.deps.log.info('Job queued', {
      jobId: record.id,
      model: params.model,
      references: references.length,
      demo,
    });
    const job = this.publish(record);
    this.queue.push(record.id);
    this.publishQueue();
    this.pump();
    return job;
  }

  /** A new job with the same inputs as an earlier one (the earlier one is left as it is). */
  retry(jobId: string): Job {
    const record = this.require(jobId);
    return this.submit(record.params, record.demo);
  }

  /**
   * Cancels a job that has not been submitted, or stops waiting for one that has. A result KIE
   * still delivers for a cancelled job (callback, or a later check) is kept: it was paid for.
   * A job uploading its references can be cancelled: uploads are free, and submitOne checks the
   * state again before createTask.
   */
  cancel(jobId: string): Job {
    const record = this.require(jobId);
    if (record.state === 'submitting' || record.state === 'downloading') {
      throw new AppError('VALIDATION', 'This job is talking to KIE right now; try again in a moment.');
    }
    if (isTerminal(record.state)) return this.toWire(record);
    const index = this.queue.indexOf(jobId);
    if (index >= 0) this.queue.splice(index, 1);
    this.followers.get(jobId)?.abort.abort();
    this.followers.delete(jobId);
    const next = this.move(record, 'cancelled', null);
    this.publishQueue();
    return this.toWire(next);
  }

  pauseQueue(): QueueStatus {
    this.setPause({ reason: 'user', resumesAt: null, error: null });
    return this.queueStatus();
  }

  resumeQueue(): QueueStatus {
    this.clearPause();
    return this.queueStatus();
  }

  /** The concurrency setting changed: a higher limit starts waiting jobs now. */
  limitChanged(): void {
    this.pump();
  }

  queueStatus(): QueueStatus {
    return {
      paused: this.pause !== null,
      reason: this.pause?.reason ?? null,
      resumesAt: this.pause?.resumesAt ? new Date(this.pause.resumesAt).toISOString() : null,
      pending: this.queue.length,
      submitting: this.submitting.size,
      limit: this.deps.concurrency(),
    };
  }

  list(limit: number): Job[] {
    return this.deps.store.list(limit).map((record) => this.toWire(record));
  }

  /**
   * After a restart: queued jobs line up again (FIFO), jobs at KIE are reconciled through
   * recordInfo, an interrupted createTask becomes `unknown-outcome`, an interrupted download
   * restarts. Cancelled or timed-out jobs with a task get one more look: their result may exist.
   */
  resumeAll(): void {
    for (const record of this.deps.store.unfinished()) {
      if (record.state === 'queued' || (record.state === 'uploading' && record.kieTaskId === null)) {
        if (record.state === 'uploading') this.move(record, 'queued');
        this.queue.push(record.id);
      } else if (record.state === 'submitting') {
        this.move(record, 'unknown-outcome', unknownOutcome());
      } else {
        this.follow(record.id, 0);
      }
    }
    for (const record of this.deps.store.settledWithTask()) this.follow(record.id, 0);
    this.publishQueue();
    this.pump();
  }

  /** A callback said "look at this task": check it now. Unknown ids are logged and ignored. */
  notifyCallback(kieTaskId: string): boolean {
    const record = this.deps.store.byTaskId(kieTaskId);
    if (!record) {
      this.deps.log.warn('Callback for an unknown task', { kieTaskId });
      return false;
    }
    this.deps.log.info('Callback matched a job', { jobId: record.id, kieTaskId });
    const follower = this.followers.get(record.id);
    if (follower) follower.wake();
    else if (record.state !== 'done') this.follow(record.id, 0);
    return true;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    for (const follower of this.followers.values()) follower.abort.abort();
    this.followers.clear();
    // Uploads stop at once; waiting for them keeps their last writes before the database closes.
    // Their jobs stay `uploading` and are queued again by the next resumeAll.
    this.lifetime.abort();
    await Promise.allSettled([...this.uploadsRunning]);
  }

  // ── submission ────────────────────────────────────────────────────────────────────────────

  private pump(): void {
    while (
      !this.disposed &&
      !this.pause &&
      this.submitting.size < this.deps.concurrency() &&
      this.queue.length > 0
    ) {
      const jobId = this.queue.shift() ?? '';
      this.submitting.add(jobId);
      void this.submitOne(jobId)
        .catch((error: unknown) => this.deps.log.error('Submission crashed', { jobId, error }))
        .finally(() => {
          this.submitting.delete(jobId);
          this.publishQueue();
          this.pump();
        });
    }
    this.publishQueue();
  }

  private async submitOne(jobId: string): Promise<void> {
    const queued = this.deps.store.get(jobId);
    if (!queued || queued.state !== 'queued') return;
    const uploaded = await this.uploadReferences(queued);
    if (uploaded === null) return;
    const record = this.deps.store.get(jobId);
    // Cancelled while its references were going up (or the engine stopped): nothing is sent.
    if (this.disposed || !record || (record.state !== 'queued' && record.state !== 'uploading')) return;
    const callbackUrl = this.deps.callbackUrl(record.demo);
    const submitting = this.move(record, 'submitting', null, { callbackUrl });
    try {
      const kie = await this.deps.kieFor(record.demo);
      const request = buildCreateTaskRequest(record.params, uploaded.urls, callbackUrl);
      const { taskId } = await kie.createTask(request);
      this.deps.log.info('Task created', { jobId, kieTaskId: taskId, callback: callbackUrl !== null });
      this.move(submitting, 'submitted', null, { kieTaskId: taskId });
      this.follow(jobId, callbackUrl ? this.poll.lateCallbackMs : this.poll.initialMs);
    } catch (error) {
      const wire = toWireError(error);
      this.deps.log.warn('createTask failed', { jobId, code: wire.code, message: wire.message });
      if (wire.code === 'VALIDATION' && uploaded.reused.length > 0 && !this.reuploaded.has(jobId)) {
        // A refusal is a definite "no task, no charge". With files uploaded a while ago, the
        // likeliest cause is that KIE dropped one before its assumed lifetime: upload them again
        // and send once more. Once only, so any other refusal still fails the job.
        this.reuploaded.add(jobId);
        this.deps.log.info('KIE refused reused uploads; uploading the references again', { jobId });
        this.deps.uploads.forget(uploaded.reused);
        this.move(submitting, 'queued', null);
        this.queue.unshift(jobId);
        return;
      }
      const reason = PAUSE_FOR[wire.code];
      if (reason) {
        // KIE did not take the task: it waits at the front of the queue until KIE can.
        this.move(submitting, 'queued', wire);
        this.queue.unshift(jobId);
        const retryAfterMs = Number(wire.details?.['retryAfterMs'] ?? NaN);
        this.setPause({
          reason,
          error: wire,
          resumesAt:
            reason === 'rate-limited'
              ? Date.now() + (Number.isFinite(retryAfterMs) ? retryAfterMs : 5_000)
              : null,
        });
        return;
      }
      this.move(submitting, wire.code === 'UNKNOWN_OUTCOME' ? 'unknown-outcome' : 'failed', wire);
    }
  }

  /**
   * Gets a job's references to KIE (`uploading`, with progress). Returns their URLs (none for a
   * text job), or null when the job cannot go on now: a network-like failure puts it back at the
   * front of the queue and pauses, anything else (a file gone, too big for KIE) fails it with
   * its message; prompt and references stay on the job for "retry as new".
   */
  private async uploadReferences(record: JobRecord): Promise<{ urls: string[]; reused: string[] } | null> {
    const references = record.params.references ?? [];
    if (references.length === 0) return { urls: [], reused: [] };
    const uploading = this.move(record, 'uploading', null, {}, { done: 0, total: references.length });
    const work = (async () => {
      const kie = await this.deps.kieFor(record.demo);
      return this.deps.uploads.urlsFor(references, kie, {
        signal: this.lifetime.signal,
        onProgress: (done, total) => {
          const latest = this.deps.store.get(record.id);
          if (!this.disposed && latest?.state === 'uploading') this.publish(latest, { done, total });
        },
      });
    })();
    this.uploadsRunning.add(work);
    try {
      return await work;
    } catch (error) {
      // Stopped by dispose: the job stays `uploading` and is queued again on the next start.
      if (this.disposed) return null;
      const current = this.deps.store.get(record.id) ?? uploading;
      if (current.state !== 'uploading') return null;
      const wire = toWireError(error);
      this.deps.log.warn('Reference upload failed', {
        jobId: record.id,
        code: wire.code,
        message: wire.message,
      });
      const reason = UPLOAD_PAUSE_FOR[wire.code];
      if (reason) {
        this.move(current, 'queued', wire);
        this.queue.unshift(record.id);
        this.setPause({ reason, error: wire, resumesAt: null });
        return null;
      }
      this.move(current, 'failed', wire);
      return null;
    } finally {
      this.uploadsRunning.delete(work);
    }
  }

  private setPause(pause: Pause): void {
    if (this.pause?.reason === 'user' && pause.reason !== 'user') return;
    this.pause = pause;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
    this.deps.log.warn('Queue paused', { reason: pause.reason });
    if (pause.reason === 'rate-limited' && pause.resumesAt) {
      this.resumeTimer = setTimeout(() => this.clearPause(), Math.max(0, pause.resumesAt - Date.now()));
    } else if (pause.reason !== 'user') {
      this.resumeTimer = setTimeout(() => void this.probe(), this.deps.probeIntervalMs ?? 5_000);
    }
    this.publishQueue();
  }

  /** While paused for a KIE-side reason, checks now and then whether KIE can take tasks again. */
  private async probe(): Promise<void> {
    const pause = this.pause;
    if (!pause || pause.reason === 'user' || this.disposed) return;
    const next = this.deps.store.get(this.queue[0] ?? '');
    try {
      const kie = await this.deps.kieFor(next?.demo ?? false);
      const balance = await kie.credits();
      if (pause.reason !== 'credits' || balance > 0) {
        this.deps.log.info('KIE is reachable again; resuming the queue', { reason: pause.reason });
        this.clearPause();
        return;
      }
    } catch (error) {
      const wire = toWireError(error);
      // Any answer from KIE (even a refusal) means the network is back.
      if (pause.reason === 'offline' && wire.code !== 'OFFLINE' && wire.code !== 'TIMEOUT') {
        this.clearPause();
        return;
      }
    }
    if (this.pause === pause)
      this.resumeTimer = setTimeout(() => void this.probe(), this.deps.probeIntervalMs ?? 5_000);
  }

  private clearPause(): void {
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
    if (!this.pause) return;
    this.pause = null;
    this.publishQueue();
    this.pump();
  }

  // ── following ─────────────────────────────────────────────────────────────────────────────

  private follow(jobId: string, firstDelayMs: number): void {
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

  private async followLoop(
    jobId: string,
    firstDelayMs: number,
    signal: AbortSignal,
    setWake: (fn: () => void) => void,
  ): Promise<void> {
    let delay = this.poll.initialMs;
    await this.sleep(firstDelayMs, signal, setWake);
    for (;;) {
      let job = this.deps.store.get(jobId);
      if (!job || job.kieTaskId === null || signal.aborted || job.state === 'done') return;
      const settled = isTerminal(job.state);
      if (!settled && this.deps.now().getTime() - Date.parse(job.createdAt) > this.poll.deadlineMs) {
        this.move(job, 'failed', {
          code: 'TIMEOUT',
          message: 'KIE did not finish in time. The job can be resumed later.',
        });
        return;
      }
      await this.limiter.take(signal);
      const info = await this.recordInfo(job, signal);
      if (signal.aborted) return;
      job = this.deps.store.get(jobId) ?? job;
      if (info === 'stopped') return;
      if (info?.state === 'success') {
        await this.deliver(job, info, signal);
        return;
      }
      if (info?.state === 'fail') {
        if (!settled || job.state === 'unknown-outcome') {
          this.move(job, 'failed', taskFailureError(info.failCode, info.failMsg).toWire());
        }
        return;
      }
      // A settled job (cancelled, timed out) only gets this one look; a callback can wake it later.
      if (settled) return;
      if (info && info.state !== job.state) this.move(job, info.state);
      await this.sleep(jitter(delay), signal, setWake);
      delay = Math.min(this.poll.maxMs, delay * this.poll.factor);
    }
  }

  /**
   * One recordInfo. Transient problems return null so the loop tries again later; a permanent
   * one (bad key, unknown task) fails the job and returns 'stopped'.
   */
  private async recordInfo(job: JobRecord, signal: AbortSignal): Promise<KieTaskInfo | null | 'stopped'> {
    try {
      const kie = await this.deps.kieFor(job.demo);
      return await kie.recordInfo(job.kieTaskId ?? '', signal);
    } catch (error) {
      const wire = toWireError(error);
      if (TRANSIENT.has(wire.code) || signal.aborted) {
        this.deps.log.warn('recordInfo failed; will retry', { jobId: job.id, code: wire.code });
        return null;
      }
      if (!isTerminal(job.state)) this.move(job, 'failed', wire);
      return 'stopped';
    }
  }

  // ── delivery ──────────────────────────────────────────────────────────────────────────────

  private async deliver(job: JobRecord, info: KieTaskInfo, signal: AbortSignal): Promise<void> {
    let current = job.state === 'downloading' ? job : this.move(job, 'downloading', null);
    if (info.resultUrls.length === 0) {
      this.move(current, 'failed', {
        code: 'UPSTREAM',
        message: 'KIE reported success but returned no image URL.',
      });
      return;
    }
    const kie = await this.deps.kieFor(job.demo);
    for (const [resultIndex, url] of info.resultUrls.entries()) {
      const result: NewResult = {
        jobId: job.id,
        kieTaskId: info.taskId,
        resultIndex,
        params: job.params,
        demo: job.demo,
        createdAt: job.createdAt,
        ...this.deps.references.lineage(job.params.references ?? []),
      };
      if (this.deps.library.existing(result)) continue;
      try {
        const file = await this.withDownloadSlot(() => this.downloadWithRetries(url, result, kie, signal));
        const { image, inserted } = await this.deps.library.addResult(result, file);
        if (inserted) {
          this.deps.log.info('Image saved', { jobId: job.id, imageId: image.id, file: image.fileName });
          this.deps.emit({ name: 'gallery.added', payload: image });
        }
        current = this.deps.store.get(job.id) ?? current;
        this.publish(current);
      } catch (error) {
        if (signal.aborted) return;
        this.move(current, 'failed', toWireError(error));
        return;
      }
    }
    this.move(current, 'done', null);
  }

  private async withDownloadSlot<T>(work: () => Promise<T>): Promise<T> {
    while (this.downloadsRunning >= DOWNLOAD_CONCURRENCY) {
      await new Promise<void>((resolve) => this.downloadWaiters.push(resolve));
    }
    this.downloadsRunning += 1;
    try {
      return await work();
    } finally {
      this.downloadsRunning -= 1;
      this.downloadWaiters.shift()?.();
    }
  }

  private async downloadWithRetries(
    url: string,
    result: NewResult,
    kie: KieApi,
    signal: AbortSignal,
  ): Promise<DownloadedImage> {
    const folder = await this.deps.library.folderFor(result);
    let link = url;
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS && !signal.aborted; attempt += 1) {
      try {
        this.deps.log.info('Downloading result', { jobId: result.jobId, attempt, url: link });
        return await downloadImage(link, folder, this.deps.download ?? DEFAULT_DOWNLOAD_LIMITS, signal);
      } catch (error) {
        lastError = error;
        this.deps.log.warn('Download failed', { jobId: result.jobId, attempt, error });
        if (isAppError(error) && error.code === 'NOT_FOUND' && error.details?.['expired'] === true) {
          // Result links expire; KIE hands out a fresh one for the original URL.
          link = await kie.downloadUrl(url, signal).catch(() => link);
          continue;
        }
        await this.sleep(300 * 2 ** (attempt - 1), signal, () => undefined);
      }
    }
    throw lastError ?? new AppError('TIMEOUT', 'The download was stopped.');
  }

  // ── plumbing ──────────────────────────────────────────────────────────────────────────────

  private require(jobId: string): JobRecord {
    const record = this.deps.store.get(jobId);
    if (!record) throw new AppError('NOT_FOUND', 'That job does not exist.');
    return record;
  }

  private move(
    job: JobRecord,
    state: JobRecord['state'],
    error?: WireError | null,
    extra: { kieTaskId?: string; callbackUrl?: string | null } = {},
    progress?: Job['progress'],
  ): JobRecord {
    const next = this.deps.store.transition(job.id, { state, error, ...extra });
    this.publish(next, progress);
    if (isTerminal(state) && job.state !== state) this.deps.onSettled?.(this.toWire(next));
    return next;
  }

  private publish(record: JobRecord, progress?: Job['progress']): Job {
    const job = this.toWire(record);
    this.deps.emit({ name: 'job.updated', payload: progress ? { ...job, progress } : job });
    return job;
  }

  private publishQueue(): void {
    this.deps.emit({ name: 'queue.changed', payload: this.queueStatus() });
  }

  private toWire(record: JobRecord): Job {
    return jobToWire(record, this.deps.library.index.idsForJob(record.id));
  }

  private sleep(ms: number, signal: AbortSignal, setWake: (fn: () => void) => void): Promise<void> {
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
}

function jitter(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2));
}

function unknownOutcome(): WireError {
  return {
    code: 'UNKNOWN_OUTCOME',
    message: 'Banana Studio stopped before KIE answered; the task may already exist and be charged.',
  };
}

export function toWireError(error: unknown): WireError {
  if (isAppError(error)) return error.toWire();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
