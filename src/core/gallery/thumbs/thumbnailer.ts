import { rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@shared/ipc/result';
import { tempPathFor } from '../../fs/atomic';
import { openInsideRoots } from '../../fs/checkedOpen';
import { PriorityQueue, type ThumbPriority } from './priorityQueue';
import { ThumbWorker, type ThumbWorkerExit } from './thumbWorker';
import { THUMB_WORKER_SOURCE, type ThumbTask } from './workerSource';

export type { ThumbPriority } from './priorityQueue';

export interface ThumbnailerOptions {
  /** The app data `thumbs/` folder; thumbnails go to `<thumbsDir>/<id[0..2]>/<id>.webp`. */
  thumbsDir: string;
  /**
   * Where sources may be (the library folder). A source is read through the same checked open
   * as a full image (openInsideRoots): a symlink out of these, a FIFO or a folder is refused.
   */
  sourceRoots: () => readonly string[];
  /** Longest edge in pixels; smaller images are not enlarged. Default 512. */
  size?: number;
  /**
   * Worker threads. Default: one per core, leaving one for the main process from 3 cores up. On 2
   * cores both are needed: a 2048² PNG decodes in ~70 ms on one thread, so one worker tops out
   * near 10 thumbnails/s, and the main loop stays responsive with two (bench/thumbs.ts).
   */
  workers?: number;
  /** WebP quality 1–100. Default 80. */
  quality?: number;
  /** WebP encoder effort 0–6. Default 2: ~15% faster than 4 for ~4% bigger files (bench/thumbs.ts). */
  effort?: number;
  /** Larger inputs are refused before decoding (decompression bombs). Default 8192 × 8192. */
  maxInputPixels?: number;
  /** Low-priority jobs beyond this many waiting are refused; high priority is always accepted. Default 1000. */
  maxQueued?: number;
  /** The worker thread's code; tests swap it to simulate crashes. */
  workerSource?: string;
}

export interface EnsureOptions {
  /** `high` for thumbnails on screen now, `low` (default) for import and reconcile work. */
  priority?: ThumbPriority;
}

interface Job {
  imageId: string;
  source: string;
  target: string;
  priority: ThumbPriority;
  /** Regenerate even if the thumbnail exists (set by `generate`). */
  force: boolean;
  state: 'checking' | 'queued' | 'running';
  promise: Promise<string>;
  resolve: (path: string) => void;
  reject: (error: Error) => void;
}

/** Ids become file names: hex shard prefix, then nothing that could leave the folder. */
const IMAGE_ID_PATTERN = /^[0-9a-f]{2}[0-9A-Za-z_-]{0,126}$/;

/** Leaves one core for the main process (UI, I/O) when there are cores to spare. */
export function defaultThumbWorkers(cores = availableParallelism()): number {
  return cores >= 3 ? cores - 1 : Math.max(1, cores);
}

/**
 * Makes and caches WebP thumbnails in worker threads, so decoding a 2048² PNG never runs on the
 * main event loop. One job per image id at a time (concurrent requests share it), a two-lane
 * queue so on-screen thumbnails overtake background work, and a worker that dies costs only the
 * job it was running.
 */
export class Thumbnailer {
  readonly thumbsDir: string;
  private readonly sourceRoots: () => readonly string[];
  private readonly size: number;
  private readonly quality: number;
  private readonly effort: number;
  private readonly maxInputPixels: number;
  private readonly maxQueued: number;
  private readonly workerCount: number;
  private readonly workerSource: string;
  private readonly jobs = new Map<string, Job>();
  private readonly queue = new PriorityQueue<Job>();
  private readonly pool: ThumbWorker[] = [];
  private sharpPath: string | null = null;
  private loadingSharp = false;
  private disposed = false;

  constructor(options: ThumbnailerOptions) {
    this.thumbsDir = options.thumbsDir;
    this.sourceRoots = options.sourceRoots;
    this.size = options.size ?? 512;
    this.quality = options.quality ?? 80;
    this.effort = options.effort ?? 2;
    this.maxInputPixels = options.maxInputPixels ?? 8192 * 8192;
    this.maxQueued = options.maxQueued ?? 1000;
    this.workerCount = Math.max(1, Math.floor(options.workers ?? defaultThumbWorkers()));
    this.workerSource = options.workerSource ?? THUMB_WORKER_SOURCE;
  }

  /** Where the thumbnail of this image lives (whether or not it exists yet). */
  thumbPath(imageId: string): string {
    if (!IMAGE_ID_PATTERN.test(imageId)) {
      throw new AppError('VALIDATION', `Not a valid image id for a thumbnail: ${JSON.stringify(imageId)}`);
    }
    return join(this.thumbsDir, imageId.slice(0, 2), `${imageId}.webp`);
  }

  async has(imageId: string): Promise<boolean> {
    return thumbnailExists(this.thumbPath(imageId));
  }

  /** The cached thumbnail's path, making it first if it is missing. */
  ensure(imageId: string, sourcePath: string, options: EnsureOptions = {}): Promise<string> {
    return this.request(imageId, sourcePath, options.priority ?? 'low', false);
  }

  /** Makes the thumbnail even if one exists (the source changed). */
  generate(imageId: string, sourcePath: string, options: EnsureOptions = {}): Promise<string> {
    return this.request(imageId, sourcePath, options.priority ?? 'low', true);
  }

  /**
   * Ensures many thumbnails at low priority without flooding the queue (reconcile, import of a
   * folder). Failures are collected, not thrown.
   */
  async ensureAll(
    images: Iterable<{ imageId: string; sourcePath: string }>,
  ): Promise<{ ensured: number; failed: { imageId: string; message: string }[] }> {
    const iterator = images[Symbol.iterator]();
    const failed: { imageId: string; message: string }[] = [];
    let ensured = 0;
    const lane = async (): Promise<void> => {
      for (let next = iterator.next(); !next.done; next = iterator.next()) {
        const { imageId, sourcePath } = next.value;
        try {
          await this.ensure(imageId, sourcePath);
          ensured += 1;
        } catch (error) {
          if (this.disposed) throw error;
          failed.push({ imageId, message: error instanceof Error ? error.message : String(error) });
        }
      }
    };
    // Two jobs per worker: one running, one ready to go the moment it finishes.
    await Promise.all(Array.from({ length: this.workerCount * 2 }, lane));
    return { ensured, failed };
  }

  /** Deletes the thumbnail; a job still waiting for this image is cancelled. */
  async remove(imageId: string): Promise<void> {
    const path = this.thumbPath(imageId);
    const job = this.jobs.get(imageId);
    if (job?.state === 'queued' && this.queue.remove(job)) {
      this.settle(
        job,
        new AppError('NOT_FOUND', `The thumbnail of image ${imageId} was removed before it was made.`),
      );
    } else if (job) {
      await job.promise.catch(() => undefined);
    }
    await rm(path, { force: true });
  }

  /** Rejects every pending job and ends the worker threads. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const error = disposedError();
    this.queue.drain();
    for (const job of [...this.jobs.values()]) this.settle(job, error);
    await Promise.all(this.pool.splice(0).map((worker) => worker.stop()));
  }

  private request(imageId: string, source: string, priority: ThumbPriority, force: boolean): Promise<string> {
    if (this.disposed) return Promise.reject(disposedError());
    let target: string;
    try {
      target = this.thumbPath(imageId);
    } catch (error) {
      return Promise.reject(error);
    }
    const existing = this.jobs.get(imageId);
    if (existing) {
      if (force) existing.force = true;
      if (priority === 'high' && existing.priority === 'low') {
        existing.priority = 'high';
        if (existing.state === 'queued') this.queue.promote(existing);
      }
      return existing.promise;
    }
    if (priority === 'low' && this.queue.size >= this.maxQueued) {
      return Promise.reject(
        new AppError(
          'INTERNAL',
          `The thumbnail queue is full (${this.queue.size} waiting); try again later.`,
        ),
      );
    }
    const job = newJob(imageId, source, target, priority, force);
    this.jobs.set(imageId, job);
    if (force) this.enqueue(job);
    else void this.checkThenEnqueue(job);
    return job.promise;
  }

  private async checkThenEnqueue(job: Job): Promise<void> {
    const exists = await thumbnailExists(job.target);
    if (this.jobs.get(job.imageId) !== job) return;
    if (exists && !job.force) this.settle(job, job.target);
    else this.enqueue(job);
  }

  private enqueue(job: Job): void {
    job.state = 'queued';
    this.queue.push(job, job.priority);
    this.pump();
  }

  private pump(): void {
    if (this.disposed || this.queue.size === 0) return;
    if (this.sharpPath === null) {
      void this.loadSharp();
      return;
    }
    for (let worker = this.idleWorker(); worker && this.queue.size > 0; worker = this.idleWorker()) {
      const job = this.queue.shift();
      if (job) this.start(job, worker);
    }
  }

  /**
   * sharp is loaded on the main thread before the first worker starts: on glibc Linux its shared
   * libraries must stay loaded while workers come and go (sharp's worker-thread guidance). It is
   * lazy so that start-up and cache hits never pay for it.
   */
  private async loadSharp(): Promise<void> {
    if (this.loadingSharp) return;
    this.loadingSharp = true;
    try {
      await import('sharp');
      this.sharpPath = createRequire(import.meta.url).resolve('sharp');
    } catch (error) {
      this.failQueue(`sharp could not be loaded (${error instanceof Error ? error.message : String(error)})`);
    } finally {
      this.loadingSharp = false;
    }
    this.pump();
  }

  private idleWorker(): ThumbWorker | undefined {
    const idle = this.pool.find((worker) => !worker.busy);
    if (idle || this.pool.length >= this.workerCount || this.sharpPath === null) return idle;
    const worker: ThumbWorker = new ThumbWorker(this.workerSource, { sharpPath: this.sharpPath }, (exit) =>
      this.onWorkerExit(worker, exit),
    );
    this.pool.push(worker);
    return worker;
  }

  private start(job: Job, worker: ThumbWorker): void {
    job.state = 'running';
    // The worker is busy from here, so the next pump cannot give it a second task meanwhile.
    worker.reserve();
    void this.readSource(job.source).then(
      (bytes) => {
        if (!this.disposed) return this.runOn(worker, job, bytes);
        worker.release();
        this.settle(job, disposedError());
      },
      (error: unknown) => {
        worker.release();
        this.settle(job, error instanceof Error ? error : new Error(String(error)));
        this.pump();
      },
    );
  }

  /** The source's bytes, read from the one checked open (see ThumbnailerOptions.sourceRoots). */
  private async readSource(source: string): Promise<Uint8Array> {
    const file = await openInsideRoots(source, this.sourceRoots());
    // A symlink out of the library, a FIFO or a folder is, for a thumbnail, no file at all.
    if (!file) throw new AppError('NOT_FOUND', `Could not make a thumbnail of ${source}: no such file`);
    try {
      return await file.handle.readFile();
    } finally {
      await file.handle.close();
    }
  }

  private runOn(worker: ThumbWorker, job: Job, bytes: Uint8Array): void {
    const task: ThumbTask = {
      type: 'make',
      source: job.source,
      bytes,
      target: job.target,
      temp: tempPathFor(job.target),
      size: this.size,
      quality: this.quality,
      effort: this.effort,
      maxInputPixels: this.maxInputPixels,
    };
    worker
      .run(task)
      .then(
        (outcome) =>
          outcome.ok
            ? job.target
            : new AppError(
                outcome.missing ? 'NOT_FOUND' : 'INTERNAL',
                `Could not make a thumbnail of ${job.source}: ${outcome.message}`,
              ),
        async (error: unknown) => {
          // The thread died mid-task: it may have left its temp file behind.
          await rm(task.temp, { force: true }).catch(() => undefined);
          return new AppError(
            'INTERNAL',
            `Could not make a thumbnail of ${job.source}: ${error instanceof Error ? error.message : String(error)}`,
          );
        },
      )
      .then((result) => {
        this.settle(job, result);
        this.pump();
      });
  }

  private onWorkerExit(worker: ThumbWorker, exit: ThumbWorkerExit): void {
    const index = this.pool.indexOf(worker);
    if (index >= 0) this.pool.splice(index, 1);
    // A worker that cannot even load sharp would fail every job the same way; a later request
    // tries again. One that crashed on an image is replaced by the next pump.
    if (!exit.started) this.failQueue(`the thumbnail worker could not start (${exit.reason})`);
    this.pump();
  }

  private failQueue(reason: string): void {
    for (const job of this.queue.drain()) {
      this.settle(job, new AppError('INTERNAL', `Could not make a thumbnail of ${job.source}: ${reason}`));
    }
  }

  private settle(job: Job, result: string | Error): void {
    if (this.jobs.get(job.imageId) === job) this.jobs.delete(job.imageId);
    if (typeof result === 'string') job.resolve(result);
    else job.reject(result);
  }
}

function newJob(
  imageId: string,
  source: string,
  target: string,
  priority: ThumbPriority,
  force: boolean,
): Job {
  let resolve!: (path: string) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { imageId, source, target, priority, force, state: 'checking', promise, resolve, reject };
}

function disposedError(): AppError {
  return new AppError('INTERNAL', 'The thumbnailer was shut down before the thumbnail was made.');
}

/** A zero-byte file (a rename that outran its data in a power cut) does not count. */
async function thumbnailExists(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info !== null && info.isFile() && info.size > 0;
}
