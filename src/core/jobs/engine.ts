import {
  CLEARABLE_JOB_STATES,
  MAX_CLEARED_IDS,
  type Job,
  type JobClearInput,
  type JobParams,
} from '@shared/domain/job';
import { modelForReferences } from '@shared/domain/models';
import type { QueueStatus } from '@shared/domain/queue';
import type { AnyEvent } from '@shared/ipc/contract';
import { AppError } from '@shared/ipc/result';
import { diskFullError, hasRoom, isDiskFull } from '../fs/diskFull';
import type { GalleryLibrary } from '../gallery/library';
import { buildCreateTaskRequest, checkTaskParams } from '../kie/request';
import type { KieApi } from '../kie/types';
import type { Logger } from '../log/logger';
import type { ReferenceStore } from '../references/staging';
import type { ReferenceUploader } from '../references/uploads';
import type { DownloadLimits } from './download';
import { Following } from './following';
import { toWireError, unknownOutcome } from './jobErrors';
import { JobMover } from './jobMover';
import { createTaskVerdict, DEFAULT_POLL, uploadPauseReason, type PollOptions } from './policy';
import { callbackOrigin, callbackUrlForJob } from './recover';
import { diskRetryDelayMs, sleep } from './sleep';
import { isTerminal } from './stateMachine';
import type { JobRecord, JobStore, TransitionPatch } from './store';
import { SubmitPause, type Pause } from './submitPause';

export { DEFAULT_POLL, type PollOptions } from './policy';

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
  /** What a job is expected to cost in credits (a paused-for-credits queue waits for that much). */
  costOf?(params: JobParams): number;
  /** The user's pause of the queue, kept across restarts. */
  userPause?: { load(): boolean; save(paused: boolean): void };
  /** The folder whose free space decides when a disk-full pause ends. */
  dataDir?: string;
  emit(event: AnyEvent): void;
  log: Logger;
  now(): Date;
  poll?: Partial<PollOptions>;
  download?: DownloadLimits;
  /** How often a paused queue checks whether KIE is back (offline, maintenance, credits). */
  probeIntervalMs?: number;
  /** How long a job waits before trying again to record or save on a full disk. */
  diskRetryMs?: number;
  /** Called when a job reaches a terminal state (refresh credits, notify). */
  onSettled?(job: Job): void;
}

/**
 * Drives each job from the local queue to a file in the library.
 *
 * - Submission: FIFO, at most `concurrency()` jobs uploading/submitting at once, pausable. A
 *   createTask that may have reached KIE is never sent again by the engine (`unknown-outcome`).
 * - Following: recordInfo is the source of truth; a callback only wakes the follower early.
 *   Jobs with a callback URL are looked at too (KIE calls back only at the end, and the step bar
 *   should move meanwhile), backing off further.
 * - Recovery: an unknown-outcome job gets its task back from a callback that names it, or from
 *   a task id the user pastes, once KIE's record of the request matches the job.
 * - Delivery: exactly one file per KIE result (the library's unique key), downloaded only from
 *   URLs that recordInfo returned.
 */
export class JobEngine {
  private readonly queue: string[] = [];
  private readonly submitting = new Set<string>();
  private readonly poll: PollOptions;
  private readonly pause: SubmitPause;
  private readonly mover: JobMover;
  private readonly following: Following;
  private disposed = false;
  /** Stops reference uploads on dispose (an upload is shared by jobs, so not per job). */
  private readonly lifetime = new AbortController();
  private readonly uploadsRunning = new Set<Promise<unknown>>();
  /** Jobs already sent again once after KIE refused a reused upload (see submitOne). */
  private readonly reuploaded = new Set<string>();
  /** Tasks KIE accepted whose id could not be written yet (full disk): job id → task id. */
  private readonly unrecorded = new Map<string, string>();

  constructor(private readonly deps: EngineDeps) {
    this.poll = { ...DEFAULT_POLL, ...deps.poll };
    this.mover = new JobMover(deps);
    this.following = new Following({ ...deps, mover: this.mover, poll: this.poll });
    this.pause = new SubmitPause(
      {
        log: deps.log,
        probeIntervalMs: deps.probeIntervalMs ?? 5_000,
        canResume: (pause) => this.canResume(pause),
        changed: () => {
          this.publishQueue();
          this.pump();
        },
        saveUserPause: (paused) => deps.userPause?.save(paused),
      },
      deps.userPause?.load() ?? false,
    );
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
    const job = this.mover.publish(record);
    this.queue.push(record.id);
    this.publishQueue();
    this.pump();
    return job;
  }

  /**
   * A new job with the same inputs as an earlier one (the earlier one is left as it is). When
   * the earlier one's outcome is unknown its task may exist and be charged, so sending again may
   * charge twice: that needs the user's explicit yes.
   */
  retry(jobId: string, options: { confirmMayChargeTwice?: boolean } = {}): Job {
    const record = this.mover.require(jobId);
    if (record.state === 'unknown-outcome' && options.confirmMayChargeTwice !== true) {
      throw new AppError(
        'VALIDATION',
        'KIE may already have made (and charged) this job. Sending it again may charge twice: confirm first, or use "Find it on KIE".',
        { reason: 'may-charge-twice', jobId },
      );
    }
    return this.submit(record.params, record.demo);
  }

  /**
   * Cancels a job that has not been submitted, or stops waiting for one that has. A result KIE
   * still delivers for a cancelled job (callback, or a later check) is kept: it was paid for.
   * A job uploading its references can be cancelled: uploads are free, and submitOne checks the
   * state again before createTask.
   */
  cancel(jobId: string): Job {
    const record = this.mover.require(jobId);
    if (record.state === 'submitting' || record.state === 'downloading') {
      throw new AppError('VALIDATION', 'This job is talking to KIE right now; try again in a moment.');
    }
    if (isTerminal(record.state)) return this.mover.toWire(record);
    const index = this.queue.indexOf(jobId);
    if (index >= 0) this.queue.splice(index, 1);
    this.following.stop(jobId);
    const next = this.mover.move(record, 'cancelled', null);
    this.publishQueue();
    return this.mover.toWire(next);
  }

  pauseQueue(): QueueStatus {
    this.pause.set({ reason: 'user', resumesAt: null, error: null });
    return this.queueStatus();
  }

  resumeQueue(): QueueStatus {
    this.pause.clear();
    return this.queueStatus();
  }

  /** The concurrency setting changed: a higher limit starts waiting jobs now. */
  limitChanged(): void {
    this.pump();
  }

  queueStatus(): QueueStatus {
    const pause = this.pause.current;
    return {
      paused: pause !== null,
      reason: pause?.reason ?? null,
      resumesAt: pause?.resumesAt ? new Date(pause.resumesAt).toISOString() : null,
      pending: this.queue.length,
      submitting: this.submitting.size,
      limit: this.deps.concurrency(),
    };
  }

  list(limit: number): Job[] {
    return this.deps.store.list(limit).map((record) => this.mover.toWire(record));
  }

  /**
   * Clears ended jobs from the list: one, every finished one, or every failed one. Only the list
   * forgets them (see JobStore.dismiss); their images, the gallery and any paid result still on
   * its way are untouched. A job still on its way, or whose outcome is unknown, is never cleared.
   */
  clear(input: JobClearInput): string[] {
    if (input.scope === 'job') {
      const record = this.mover.require(input.id);
      if (!CLEARABLE_JOB_STATES.includes(record.state)) {
        this.deps.log.warn('Refused to clear a job that has not ended', {
          jobId: record.id,
          state: record.state,
        });
        throw new AppError(
          'VALIDATION',
          record.state === 'unknown-outcome'
            ? 'KIE may still have made this image: find it on KIE or send it again before clearing it.'
            : 'This job is still on its way; it can be cleared once it has finished.',
          { reason: 'not-finished', jobId: record.id, state: record.state },
        );
      }
    }
    const states = input.scope === 'failed' ? (['failed'] as const) : CLEARABLE_JOB_STATES;
    const ids = this.deps.store.dismiss(states, input.scope === 'job' ? input.id : undefined);
    this.deps.log.info('Jobs cleared from the list', { scope: input.scope, count: ids.length });
    if (ids.length > 0) {
      const reset = ids.length > MAX_CLEARED_IDS;
      this.deps.emit({ name: 'jobs.cleared', payload: { ids: reset ? [] : ids, reset } });
    }
    return ids;
  }

  /**
   * After a restart: queued jobs line up again (FIFO; a queue the user paused stays paused),
   * jobs at KIE are reconciled through recordInfo (however long the app was closed: each is
   * looked at before any deadline applies), an interrupted createTask becomes `unknown-outcome`,
   * an interrupted download restarts. Cancelled or timed-out jobs with a task get one more look.
   */
  resumeAll(): void {
    for (const record of this.deps.store.unfinished()) {
      if (record.state === 'queued' || (record.state === 'uploading' && record.kieTaskId === null)) {
        if (record.state === 'uploading') this.mover.move(record, 'queued');
        this.queue.push(record.id);
      } else if (record.state === 'submitting') {
        this.mover.move(record, 'unknown-outcome', unknownOutcome());
      } else {
        this.following.follow(record.id, 0);
      }
    }
    for (const record of this.deps.store.settledWithTask()) this.following.follow(record.id, 0);
    this.publishQueue();
    this.pump();
  }

  /**
   * A callback said "look at this task": check it now. A callback for a task no job knows, but
   * whose URL names a job that lost its createTask answer, may recover that job (once KIE's record
   * of the task matches it). Anything else is logged and ignored.
   */
  notifyCallback(kieTaskId: string, jobId: string | null = null): boolean {
    const record = this.deps.store.byTaskId(kieTaskId);
    if (!record) {
      const named = jobId ? this.deps.store.get(jobId) : null;
      if (named && named.kieTaskId === null && this.unrecorded.get(named.id) !== kieTaskId) {
        if (named.state === 'unknown-outcome' || named.state === 'submitting') {
          this.deps.log.info('Callback names a job whose task is unknown; checking with KIE', {
            jobId: named.id,
            kieTaskId,
          });
          void this.following
            .recover(named.id, kieTaskId, 'callback')
            .catch((error: unknown) =>
              this.deps.log.warn('Recovering from a callback failed', { jobId: named.id, kieTaskId, error }),
            );
          return true;
        }
      }
      this.deps.log.warn('Callback for an unknown task', { kieTaskId, jobId });
      return false;
    }
    this.deps.log.info('Callback matched a job', { jobId: record.id, kieTaskId });
    if (!this.following.wake(record.id) && record.state !== 'done') this.following.follow(record.id, 0);
    return true;
  }

  /**
   * "Find it on KIE": attaches a task id the user found on KIE's dashboard to a job whose
   * outcome is unknown, after recordInfo shows the task exists and was made from this job's
   * request; then the job is followed and delivered as usual.
   */
  async findOnKie(jobId: string, kieTaskId: string): Promise<Job> {
    const record = this.mover.require(jobId);
    if (record.state !== 'unknown-outcome') {
      throw new AppError('VALIDATION', 'Only a job whose outcome is unknown can be looked up on KIE.', {
        reason: 'not-unknown',
      });
    }
    const owner = this.deps.store.byTaskId(kieTaskId);
    if (owner || this.deps.library.index.hasTask(kieTaskId)) {
      throw new AppError('VALIDATION', 'That KIE task is already in the library.', {
        reason: 'already-in-library',
        ownerJobId: owner?.id ?? null,
      });
    }
    const outcome = await this.following.recover(jobId, kieTaskId, 'user');
    if (outcome === 'attached') return this.mover.toWire(this.mover.require(jobId));
    if (outcome === 'not-found') {
      throw new AppError('NOT_FOUND', 'KIE has no task with this id under your key.', { reason: 'no-task' });
    }
    throw new AppError(
      'VALIDATION',
      'That KIE task was made from a different request (prompt, model or references differ).',
      { reason: 'other-request', mismatch: outcome },
    );
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.pause.dispose();
    this.following.dispose();
    // Uploads stop at once; waiting for them keeps their last writes before the database closes.
    // Their jobs stay `uploading` and are queued again by the next resumeAll.
    this.lifetime.abort();
    await Promise.allSettled([...this.uploadsRunning]);
  }

  // ── submission ────────────────────────────────────────────────────────────────────────────

  private pump(): void {
    while (
      !this.disposed &&
      !this.pause.current &&
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
    const base = this.deps.callbackUrl(record.demo);
    const callbackUrl = base ? callbackUrlForJob(base, jobId) : null;
    const request = buildCreateTaskRequest(record.params, uploaded.urls, callbackUrl);
    let submitting: JobRecord;
    try {
      // Written before anything goes out: what was sent is what recovers the task if the answer is lost.
      submitting = this.mover.move(record, 'submitting', null, {
        callbackUrl: callbackOrigin(callbackUrl),
        sentInput: request.input,
      });
    } catch (error) {
      this.requeueOnDiskFull(record, error);
      return;
    }
    let taskId: string;
    try {
      const kie = await this.deps.kieFor(record.demo);
      taskId = (await kie.createTask(request, undefined, { jobId: record.id })).taskId;
    } catch (error) {
      this.createTaskFailed(submitting, error, uploaded.reused);
      return;
    }
    this.pause.noteAccepted();
    this.deps.log.info('Task created', { jobId, kieTaskId: taskId, callback: callbackUrl !== null });
    await this.recordAccepted(submitting, taskId);
    const firstLook = callbackUrl
      ? Math.min(this.poll.progressMs, this.poll.lateCallbackMs)
      : this.poll.initialMs;
    this.following.follow(jobId, firstLook);
  }

  private createTaskFailed(submitting: JobRecord, error: unknown, reused: string[]): void {
    const jobId = submitting.id;
    const wire = toWireError(error);
    this.deps.log.warn('createTask failed', { jobId, code: wire.code, message: wire.message });
    if (wire.code === 'VALIDATION' && reused.length > 0 && !this.reuploaded.has(jobId)) {
      // A refusal is a definite "no task, no charge". With files uploaded a while ago, the
      // likeliest cause is that KIE dropped one before its assumed lifetime: upload them again
      // and send once more. Once only, so any other refusal still fails the job.
      this.reuploaded.add(jobId);
      this.deps.log.info('KIE refused reused uploads; uploading the references again', { jobId });
      this.deps.uploads.forget(reused);
      this.mover.move(submitting, 'queued', null);
      this.queue.unshift(jobId);
      return;
    }
    const verdict = createTaskVerdict(wire);
    if (verdict.kind === 'pause') {
      // KIE did not take the task: it waits at the front of the queue until KIE can.
      this.mover.move(submitting, 'queued', wire);
      this.queue.unshift(jobId);
      this.pause.set({ reason: verdict.reason, error: wire, resumesAt: null });
      return;
    }
    this.mover.move(submitting, verdict.kind === 'unknown-outcome' ? 'unknown-outcome' : 'failed', wire);
  }

  /**
   * Writes down the task KIE accepted. On a full disk the id is held in memory (a callback for
   * it still finds the job), the job shows "disk full", and the write is tried again until it
   * goes through: a paid task is never dropped for want of space.
   */
  private async recordAccepted(submitting: JobRecord, taskId: string): Promise<void> {
    const patch: Omit<TransitionPatch, 'state'> = {
      kieTaskId: taskId,
      acceptedAt: this.deps.now().toISOString(),
    };
    for (let attempt = 0; ; attempt += 1) {
      try {
        this.mover.move(submitting, 'submitted', null, patch);
        this.unrecorded.delete(submitting.id);
        return;
      } catch (error) {
        if (this.disposed) return;
        this.unrecorded.set(submitting.id, taskId);
        const wire = isDiskFull(error) ? diskFullError('recording the task').toWire() : toWireError(error);
        this.deps.log.error('Could not record an accepted task; trying again', {
          jobId: submitting.id,
          kieTaskId: taskId,
          attempt,
          code: wire.code,
        });
        this.mover.publishUnsaved(submitting, { kieTaskId: taskId, error: wire });
        await sleep(diskRetryDelayMs(attempt, this.deps.diskRetryMs ?? 2_000), this.lifetime.signal);
      }
    }
  }

  /** A job that could not even be marked as sending (full disk): nothing went out; it waits. */
  private requeueOnDiskFull(record: JobRecord, error: unknown): void {
    const wire = isDiskFull(error) ? diskFullError('recording the job').toWire() : toWireError(error);
    this.deps.log.error('Could not record a job before sending it', { jobId: record.id, code: wire.code });
    this.queue.unshift(record.id);
    this.pause.set({
      reason: wire.code === 'DISK_FULL' ? 'disk-full' : 'offline',
      error: wire,
      resumesAt: null,
    });
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
    const uploading = this.mover.move(record, 'uploading', null, {}, { done: 0, total: references.length });
    const work = (async () => {
      const kie = await this.deps.kieFor(record.demo);
      return this.deps.uploads.urlsFor(references, kie, {
        signal: this.lifetime.signal,
        onProgress: (done, total) => {
          const latest = this.deps.store.get(record.id);
          if (!this.disposed && latest?.state === 'uploading') this.mover.publish(latest, { done, total });
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
      const reason = uploadPauseReason(wire);
      if (reason) {
        this.mover.move(current, 'queued', wire);
        this.queue.unshift(record.id);
        this.pause.set({ reason, error: wire, resumesAt: null });
        return null;
      }
      this.mover.move(current, 'failed', wire);
      return null;
    } finally {
      this.uploadsRunning.delete(work);
    }
  }

  /** Whether a queue paused by KIE (or a full disk) can send again. */
  private async canResume(pause: Pause): Promise<boolean> {
    if (pause.reason === 'disk-full') return this.deps.dataDir ? hasRoom(this.deps.dataDir) : true;
    const next = this.deps.store.get(this.queue[0] ?? '');
    try {
      const kie = await this.deps.kieFor(next?.demo ?? false);
      const balance = await kie.credits();
      if (pause.reason !== 'credits') return true;
      // Enough for the job at the front, not merely "more than nothing": else it is refused again.
      const needed = next && this.deps.costOf ? this.deps.costOf(next.params) : 1;
      return balance >= needed;
    } catch (error) {
      const wire = toWireError(error);
      // Any answer from KIE (even a refusal) means the network is back.
      return pause.reason === 'offline' && wire.code !== 'OFFLINE' && wire.code !== 'TIMEOUT';
    }
  }

  // ── plumbing ──────────────────────────────────────────────────────────────────────────────

  private publishQueue(): void {
    this.deps.emit({ name: 'queue.changed', payload: this.queueStatus() });
  }
}
