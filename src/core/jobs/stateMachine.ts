import { TERMINAL_JOB_STATES, type JobState } from '@shared/domain/job';
import type { KieTaskState } from '../kie/types';

const FOLLOWING: readonly JobState[] = ['submitted', 'waiting', 'queuing', 'generating'];

/**
 * Allowed transitions. Terminal states other than `done` can still move to `downloading`:
 * a paid result that arrives after the user stopped waiting, after a deadline, or for a task
 * whose outcome was unknown, is still delivered.
 */
const ALLOWED: Record<JobState, readonly JobState[]> = {
  queued: ['uploading', 'submitting', 'cancelled'],
  uploading: ['submitting', 'queued', 'failed', 'cancelled'],
  submitting: ['submitted', 'queued', 'failed', 'unknown-outcome'],
  submitted: [...FOLLOWING, 'downloading', 'failed', 'cancelled'],
  waiting: [...FOLLOWING, 'downloading', 'failed', 'cancelled'],
  queuing: [...FOLLOWING, 'downloading', 'failed', 'cancelled'],
  generating: [...FOLLOWING, 'downloading', 'failed', 'cancelled'],
  downloading: ['downloading', 'done', 'failed'],
  done: [],
  failed: [...FOLLOWING, 'downloading'],
  cancelled: [...FOLLOWING, 'downloading'],
  'unknown-outcome': ['submitted', ...FOLLOWING, 'downloading', 'failed'],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return ALLOWED[from].includes(to);
}

export function isTerminal(state: JobState): boolean {
  return TERMINAL_JOB_STATES.includes(state);
}

/** KIE's in-progress states map one-to-one; `success`/`fail` are handled by the engine. */
export function jobStateForKie(state: Exclude<KieTaskState, 'success' | 'fail'>): JobState {
  return state;
}
