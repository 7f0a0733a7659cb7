import { describe, expect, it } from 'vitest';
import { JOB_STATES, type JobState } from '@shared/domain/job';
import { canTransition, isTerminal } from './stateMachine';

const legal: [JobState, JobState][] = [
  ['queued', 'submitting'],
  ['queued', 'uploading'],
  ['uploading', 'submitting'],
  ['submitting', 'submitted'],
  ['submitting', 'unknown-outcome'],
  ['submitted', 'waiting'],
  ['waiting', 'generating'],
  ['queuing', 'generating'],
  ['generating', 'downloading'],
  ['downloading', 'done'],
  ['downloading', 'failed'],
  ['cancelled', 'downloading'],
  ['failed', 'downloading'],
  ['unknown-outcome', 'submitted'],
];
const illegal: [JobState, JobState][] = [
  ['queued', 'done'],
  ['queued', 'downloading'],
  ['submitting', 'queuing'],
  ['submitting', 'cancelled'],
  ['done', 'failed'],
  ['done', 'downloading'],
  ['done', 'queued'],
  ['downloading', 'queued'],
  ['failed', 'queued'],
  ['generating', 'submitting'],
  ['unknown-outcome', 'submitting'],
];

describe('job state machine', () => {
  it.each(legal)('%s → %s is allowed', (from, to) => expect(canTransition(from, to)).toBe(true));
  it.each(illegal)('%s → %s is rejected', (from, to) => expect(canTransition(from, to)).toBe(false));

  it('done is final', () => {
    for (const to of JOB_STATES) expect(canTransition('done', to)).toBe(false);
  });

  it('never re-submits on its own: nothing but queued and uploading lead to submitting', () => {
    const into = JOB_STATES.filter((from) => canTransition(from, 'submitting'));
    expect(into.sort()).toEqual(['queued', 'uploading']);
  });

  it('knows the terminal states', () => {
    expect(JOB_STATES.filter(isTerminal).sort()).toEqual(['cancelled', 'done', 'failed', 'unknown-outcome']);
  });
});
