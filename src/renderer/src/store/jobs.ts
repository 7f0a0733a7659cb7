import { create } from 'zustand';
import type { Job } from '@shared/domain/job';
import type { QueueStatus } from '@shared/domain/queue';
import { api } from '../ipc/api';

interface JobsState {
  byId: Record<string, Job>;
  /** Newest first. */
  order: string[];
  queue: QueueStatus | null;
  load(): Promise<void>;
  upsert(job: Job): void;
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
  return { byId, order };
}

export const useJobs = create<JobsState>((set) => ({
  byId: {},
  order: [],
  queue: null,
  async load() {
    const [jobs, queue] = await Promise.all([
      api().request('jobs.list', { limit: 100 }),
      api().request('queue.get', {}),
    ]);
    if (jobs.ok) {
      set((state) => jobs.value.reduce((acc, job) => ({ ...acc, ...upsertJob(acc, job) }), { ...state }));
    }
    if (queue.ok) set({ queue: queue.value });
  },
  upsert: (job) => set((state) => upsertJob(state, job)),
  setQueue: (queue) => set({ queue }),
}));
