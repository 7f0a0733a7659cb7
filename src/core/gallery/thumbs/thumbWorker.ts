import { Worker } from 'node:worker_threads';
import type { ThumbTask, ThumbWorkerData, ThumbWorkerReply, ThumbWorkerRequest } from './workerSource';

export type ThumbOutcome =
  { ok: true; width: number; height: number } | { ok: false; message: string; missing: boolean };

export interface ThumbWorkerExit {
  /** False when the worker died before it could load sharp: a broken setup, not a bad image. */
  started: boolean;
  reason: string;
}

/** How long `stop()` lets a running task finish before terminating the thread. */
const STOP_GRACE_MS = 10_000;

/**
 * One worker thread that makes one thumbnail at a time. The thread only keeps the process alive
 * while it has a task, so an idle pool never holds up shutdown.
 */
export class ThumbWorker {
  private readonly worker: Worker;
  private current: { resolve: (outcome: ThumbOutcome) => void; reject: (error: Error) => void } | null = null;
  private started = false;
  private stopping = false;
  /** Promised to a task whose source is still being read. */
  private reserved = false;
  private gone = false;
  private lastError: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(source: string, workerData: ThumbWorkerData, onExit: (exit: ThumbWorkerExit) => void) {
    // execArgv: [] keeps the parent's loaders (tsx, vitest) out of a thread that needs none.
    this.worker = new Worker(source, { eval: true, workerData, execArgv: [] });
    this.worker.on('message', (reply: ThumbWorkerReply) => this.receive(reply));
    this.worker.on('error', (error) => {
      this.lastError = error;
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.gone = true;
        const reason = this.lastError?.message ?? `exit code ${code}`;
        this.current?.reject(
          new Error(
            this.started
              ? `the thumbnail worker stopped (${reason})`
              : `the thumbnail worker could not start (${reason})`,
          ),
        );
        this.current = null;
        if (!this.stopping) onExit({ started: this.started, reason });
        resolve();
      });
    });
  }

  get busy(): boolean {
    return this.current !== null || this.reserved;
  }

  /** Keeps the worker for one task that is not ready yet (its source is being read). */
  reserve(): void {
    this.reserved = true;
  }

  release(): void {
    this.reserved = false;
  }

  /** Runs a task; rejects only if the thread dies, a failed image resolves `{ ok: false }`. */
  run(task: ThumbTask): Promise<ThumbOutcome> {
    if (this.current) throw new Error('ThumbWorker.run called while busy');
    this.reserved = false;
    if (this.gone) return Promise.reject(new Error('the thumbnail worker stopped'));
    return new Promise<ThumbOutcome>((resolve, reject) => {
      this.current = { resolve, reject };
      this.worker.ref();
      this.post(task);
    });
  }

  /** Lets a running task finish (terminating sharp mid-operation can take the process down), then ends the thread. */
  async stop(): Promise<void> {
    if (this.stopping) return this.exited;
    this.stopping = true;
    this.post({ type: 'close' });
    const grace = setTimeout(() => void this.worker.terminate(), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(grace);
  }

  private receive(reply: ThumbWorkerReply): void {
    if (reply.type === 'ready') {
      this.started = true;
      if (!this.current) this.worker.unref();
      return;
    }
    const current = this.current;
    if (!current) return;
    this.current = null;
    this.worker.unref();
    current.resolve(
      reply.type === 'done'
        ? { ok: true, width: reply.width, height: reply.height }
        : { ok: false, message: reply.message, missing: reply.missing },
    );
  }

  private post(request: ThumbWorkerRequest): void {
    this.worker.postMessage(request);
  }
}
