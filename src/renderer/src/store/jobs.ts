import { create } from 'zustand';
import type { Job, JobClearInput } from '@shared/domain/job';
import type { QueueStatus } from '@shared/domain/queue';
import type { WireError } from '@shared/ipc/result';
import { isActive, keepBounded } from '../features/jobs/jobText';
import { api } from '../ipc/api';

/** What the job list asks core for, and the most jobs the window keeps (the oldest ended go). */
export const JOBS_LISTED = 100;
export const JOBS_KEPT = 200;

interface JobsState {
  byId: Record<string, Job>;
  /** Newest first. */
  order: string[];
  queue: QueueStatus | null;
  /** A job to bring into view (a notification or a toast asked); `seq` tells repeats apart. */
  revealed: { id: string; seq: number } | null;
  load(): Promise<void>;
  upsert(job: Job): void;
  /** Jobs cleared from the list (here or in another window). */
  removed(ids: readonly string[]): void;
  /** Clears ended jobs in core; null when done, else the refusal to show. */
  clear(input: JobClearInput): Promise<WireError | null>;
  reveal(id: string): void;
  setQueue(queue: QueueStatus): void;
}

export function upsertJob(
  state: Pick<JobsState, 'byId' | 'order'>,
  job: Job,
): Pick<JobsState, 'byId' | 'order'> {
  const known = job.id in state.byId;
  const byId = { ...state.byId, [job.id]: job };
  if (known) return { byId, order: state.order };
  const order = [...state.order, job.id].sort((a, b) => {
    const left = byId[a]?.createdAt ?? '';
    const right = byId[b]?.createdAt ?? '';
    return left === right ? b.localeCompare(a) : right.localeCompare(left);
  });
  return bounded({ byId, order });
}

/** Drops the oldest ended jobs past JOBS_KEPT, so a long session does not grow the list forever. */
function bounded(state: Pick<JobsState, 'byId' | 'order'>): Pick<JobsState, 'byId' | 'order'> {
  if (state.order.length <= JOBS_KEPT) return state;
  const jobs = state.order.map((id) => state.byId[id]).filter((job): job is Job => job !== undefined);
  const kept = keepBounded(jobs, JOBS_KEPT);
  return { byId: Object.fromEntries(kept.map((job) => [job.id, job])), order: kept.map((job) => job.id) };
}

function without(state: Pick<JobsState, 'byId' | 'order'>, ids: readonly string[]) {
  const gone = new Set(ids);
  return {
    byId: Object.fromEntries(Object.entries(state.byId).filter(([id]) => !gone.has(id))),
    order: state.order.filter((id) => !gone.has(id)),
  };
}

let revealSeq = 0;

export const useJobs = create<JobsState>((set, get) => ({
  byId: {},
  order: [],
  queue: null,
  revealed: null,
  async load() {
    const [jobs, queue] = await Promise.all([
      api().request('jobs.list', { limit: JOBS_LISTED }),
      api().request('queue.get', {}),
    ]);
    if (jobs.ok) {
      // What core lists is the truth: ended jobs cleared meanwhile (another window) are gone. A
      // job on its way is kept: it may be newer than the list (submitted while it was read).
      const listed = new Set(jobs.value.map((job) => job.id));
      set((state) => {
        const gone = state.order.filter((id) => {
          const job = state.byId[id];
          return !listed.has(id) && job !== undefined && !isActive(job);
        });
        return jobs.value.reduce((acc, job) => ({ ...acc, ...upsertJob(acc, job) }), without(state, gone));
      });
    }
    if (queue.ok) set({ queue: queue.value });
  },
  upsert: (job) => set((state) => upsertJob(state, job)),
  removed: (ids) => set((state) => without(state, ids)),
  async clear(input) {
    const result = await api().request('jobs.clear', input);
    if (!result.ok) return result.error;
    get().removed(result.value.cleared);
    return null;
  },
  reveal: (id) => set({ revealed: { id, seq: ++revealSeq } }),
  setQueue: (queue) => set({ queue }),
}));
