import type { Job } from '@shared/domain/job';
import type { AnyEvent } from '@shared/ipc/contract';
import { AppError, type WireError } from '@shared/ipc/result';
import { diskFullError } from '../fs/diskFull';
import type { GalleryLibrary } from '../gallery/library';
import { isTerminal } from './stateMachine';
import { jobToWire, type JobRecord, type JobStore, type TransitionPatch } from './store';

export interface JobMoverDeps {
  store: JobStore;
  library: GalleryLibrary;
  emit(event: AnyEvent): void;
  /** Called when a job reaches a terminal state (refresh credits, notify). */
  onSettled?(job: Job): void;
}

/**
 * The one way the engine changes a job: write the transition, then tell the window. Shared by
 * submission and following so that every change is published the same way.
 */
export class JobMover {
  constructor(private readonly deps: JobMoverDeps) {}

  require(jobId: string): JobRecord {
    const record = this.deps.store.get(jobId);
    if (!record) throw new AppError('NOT_FOUND', 'That job does not exist.');
    return record;
  }

  move(
    job: JobRecord,
    state: JobRecord['state'],
    error?: WireError | null,
    extra: Omit<TransitionPatch, 'state' | 'error'> = {},
    progress?: Job['progress'],
  ): JobRecord {
    const next = this.deps.store.transition(job.id, { state, error, ...extra });
    this.publish(next, progress);
    if (isTerminal(state) && job.state !== state) this.deps.onSettled?.(this.toWire(next));
    return next;
  }

  publish(record: JobRecord, progress?: Job['progress']): Job {
    const job = this.toWire(record);
    this.deps.emit({ name: 'job.updated', payload: progress ? { ...job, progress } : job });
    return job;
  }

  /** Tells the window about a change that could not be written (a full disk): shown, not stored. */
  publishUnsaved(record: JobRecord, patch: Partial<Job>): void {
    this.deps.emit({ name: 'job.updated', payload: { ...this.toWire(record), ...patch } });
  }

  /** Marks a job "disk full" if that can be written; else tells the window only. */
  showDiskFull(record: JobRecord, where: string): void {
    const error = diskFullError(where).toWire();
    try {
      this.move(record, record.state, error);
    } catch {
      this.publishUnsaved(record, { error });
    }
  }

  toWire(record: JobRecord): Job {
    return jobToWire(record, this.deps.library.index.idsForJob(record.id));
  }
}
