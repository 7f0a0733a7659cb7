import { describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { ErrorCode } from '@shared/ipc/result';
import {
  chargeNote,
  jobCause,
  jobDetails,
  jobSteps,
  keepBounded,
  kieMessage,
  listOrder,
  type ChargeNote,
} from './jobText';

const base: Job = {
  id: 'job-1',
  params: {
    model: 'google/nano-banana',
    prompt: 'a cat',
    aspectRatio: '1:1',
    outputFormat: 'png',
    resolution: null,
  },
  state: 'failed',
  kieTaskId: null,
  error: null,
  demo: false,
  imageIds: [],
  createdAt: '2026-11-25T04:00:00.000Z',
  updatedAt: '2026-11-25T04:00:30.000Z',
};

function job(
  state: Job['state'],
  code: ErrorCode | null,
  kieTaskId: string | null,
  extra: Partial<Job> = {},
): Job {
  return { ...base, state, kieTaskId, error: code ? { code, message: code } : null, ...extra };
}

describe('chargeNote', () => {
  it.each<[string, Job, ChargeNote | null]>([
    // Refused before a task existed: nothing to bill.
    ['bad key at createTask', job('failed', 'UNAUTHORIZED', null), 'none'],
    ['no credits at createTask', job('failed', 'NO_CREDITS', null), 'none'],
    ['invalid request', job('failed', 'VALIDATION', null), 'none'],
    ['reference upload failed', job('failed', 'UPSTREAM', null), 'none'],
    ['cancelled before sending', job('cancelled', null, null), 'none'],
    // KIE took the task and it failed there: KIE does not bill failed tasks.
    ['safety filter', job('failed', 'CONTENT_REJECTED', 'task_1'), 'none'],
    ['generation failed', job('failed', 'GENERATION_FAILED', 'task_1'), 'none'],
    // KIE took the task and finished it, or still will.
    ['stopped waiting', job('cancelled', null, 'task_1'), 'likely'],
    ['download failed', job('failed', 'UPSTREAM', 'task_1'), 'likely'],
    ['file vanished', job('failed', 'NOT_FOUND', 'task_1', { imageIds: ['img'] }), 'likely'],
    ['key removed while following', job('failed', 'UNAUTHORIZED', 'task_1'), 'likely'],
    // Only KIE knows.
    ['answer lost', job('unknown-outcome', 'UNKNOWN_OUTCOME', null), 'maybe'],
    ['answer lost (state only)', job('unknown-outcome', null, null), 'maybe'],
    ['deadline passed', job('failed', 'TIMEOUT', 'task_1'), 'maybe'],
    // Nothing to say yet, or nothing to worry about.
    ['waiting after a pause', job('queued', 'OFFLINE', null), null],
    ['generating', job('generating', null, 'task_1'), null],
    ['done', job('done', null, 'task_1', { imageIds: ['img'] }), null],
  ])('%s → %s', (_name, input, expected) => {
    expect(chargeNote(input)).toBe(expected);
  });
});

describe('jobCause', () => {
  it.each<[ErrorCode, Record<string, unknown> | undefined, string]>([
    ['UNAUTHORIZED', { reason: 'missing-key' }, 'missingKey'],
    ['UNAUTHORIZED', { kieCode: 401 }, 'badKey'],
    ['NO_CREDITS', undefined, 'noCredits'],
    ['RATE_LIMITED', undefined, 'rateLimited'],
    ['MAINTENANCE', undefined, 'maintenance'],
    ['OFFLINE', undefined, 'offline'],
    ['CONTENT_REJECTED', { failCode: '400' }, 'contentRejected'],
    ['GENERATION_FAILED', undefined, 'generationFailed'],
    ['TIMEOUT', undefined, 'timedOut'],
    ['UNKNOWN_OUTCOME', undefined, 'unknownOutcome'],
    ['VALIDATION', undefined, 'invalid'],
    ['UPSTREAM', undefined, 'other'],
    ['INTERNAL', undefined, 'other'],
  ])('%s %j → %s', (code, details, expected) => {
    expect(jobCause({ error: { code, message: 'x', ...(details ? { details } : {}) } })).toBe(expected);
  });

  it('is null without an error', () => {
    expect(jobCause({ error: null })).toBeNull();
  });

  it("keeps KIE's own words", () => {
    const error = { code: 'CONTENT_REJECTED' as const, message: 'x', details: { kieMessage: ' Nope. ' } };
    expect(kieMessage({ error })).toBe('Nope.');
    expect(kieMessage({ error: { code: 'TIMEOUT', message: 'x' } })).toBeNull();
  });
});

describe('jobSteps', () => {
  const statuses = (input: Job) => jobSteps(input).map((step) => `${step.name}:${step.status}`);
  /** The step marked `now`, or what every step says when none is. */
  const current = (input: Job) => statuses(input).find((step) => step.endsWith(':now')) ?? null;

  it('a text job skips the upload step; waiting on this computer, no step is reached', () => {
    expect(statuses(job('queued', null, null))).toEqual([
      'sent:todo',
      'waiting:todo',
      'generating:todo',
      'downloading:todo',
      'saved:todo',
    ]);
  });

  it('each live state is at the step it really is at, sent → waiting → generating → downloading', () => {
    expect(current(job('submitting', null, null))).toBe('sent:now');
    // KIE accepted the task: sent is done, and the job waits for KIE (callbacks say nothing more).
    expect(statuses(job('submitted', null, 't'))).toEqual([
      'sent:done',
      'waiting:now',
      'generating:todo',
      'downloading:todo',
      'saved:todo',
    ]);
    expect(current(job('waiting', null, 't'))).toBe('waiting:now');
    expect(current(job('queuing', null, 't'))).toBe('waiting:now');
    expect(statuses(job('generating', null, 't'))).toEqual([
      'sent:done',
      'waiting:done',
      'generating:now',
      'downloading:todo',
      'saved:todo',
    ]);
    expect(current(job('downloading', null, 't'))).toBe('downloading:now');
    expect(statuses(job('done', null, 't', { imageIds: ['i'] }))).toEqual([
      'sent:done',
      'waiting:done',
      'generating:done',
      'downloading:done',
      'saved:done',
    ]);
  });

  it('an edit job starts with the upload', () => {
    const edit = job('uploading', null, null, {
      params: { ...base.params, model: 'google/nano-banana-edit', references: ['0'.repeat(32)] },
    });
    expect(statuses(edit)[0]).toBe('uploading:now');
    expect(statuses(edit)).toHaveLength(6);
  });

  it('marks where a job stopped', () => {
    expect(statuses(job('failed', 'UNAUTHORIZED', null))[0]).toBe('sent:failed');
    expect(statuses(job('failed', 'CONTENT_REJECTED', 't'))).toContain('generating:failed');
    expect(statuses(job('failed', 'UPSTREAM', 't', { imageIds: ['i'] }))).toContain('downloading:failed');
    expect(statuses(job('cancelled', null, 't'))).toContain('generating:stopped');
    expect(statuses(job('unknown-outcome', 'UNKNOWN_OUTCOME', null))[0]).toBe('sent:failed');
  });
});

describe('listOrder', () => {
  const at = (state: Job['state'], second: number): Job =>
    job(state, null, null, {
      id: `${state}-${second}`,
      createdAt: `2026-11-25T04:00:${String(second).padStart(2, '0')}.000Z`,
    });

  it('the jobs on their way first, then those waiting for a decision, then the ended ones, newest first', () => {
    const jobs = [
      at('done', 9),
      at('generating', 1),
      at('failed', 8),
      at('unknown-outcome', 2),
      at('queued', 5),
      at('cancelled', 7),
      at('uploading', 3),
    ];
    expect(listOrder(jobs).map((item) => item.id)).toEqual([
      'queued-5',
      'uploading-3',
      'generating-1',
      'unknown-outcome-2',
      'done-9',
      'failed-8',
      'cancelled-7',
    ]);
  });
});

describe('keepBounded', () => {
  it('drops the oldest ended jobs beyond the cap, never one on its way', () => {
    const jobs = Array.from({ length: 6 }, (_, index) =>
      job(index % 2 === 0 ? 'done' : 'generating', null, null, {
        id: `j${index}`,
        createdAt: `2026-11-25T04:00:0${index}.000Z`,
      }),
    );
    expect(
      keepBounded(jobs, 4)
        .map((item) => item.id)
        .sort(),
    ).toEqual(['j1', 'j3', 'j4', 'j5']);
    expect(
      keepBounded(jobs, 2)
        .map((item) => item.id)
        .sort(),
    ).toEqual(['j1', 'j3', 'j5']);
    expect(keepBounded(jobs, 10)).toHaveLength(6);
  });
});

describe('jobDetails', () => {
  it('names every field a support request needs', () => {
    const text = jobDetails(
      job('failed', 'CONTENT_REJECTED', 'task_9', {
        error: { code: 'CONTENT_REJECTED', message: 'Rejected.', details: { failCode: '400' } },
      }),
    );
    expect(text).toContain('Job: job-1');
    expect(text).toContain('KIE task: task_9');
    expect(text).toContain('Model: google/nano-banana');
    expect(text).toContain('"prompt":"a cat"');
    expect(text).toContain('State: failed');
    expect(text).toContain('Error: CONTENT_REJECTED — Rejected.');
    expect(text).toContain('"failCode":"400"');
  });
});
