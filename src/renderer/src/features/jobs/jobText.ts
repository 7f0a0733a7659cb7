import { JOB_STATES, TERMINAL_JOB_STATES, type Job, type JobState } from '@shared/domain/job';

/**
 * What a job's card says, as pure functions of the job: which steps it went through, why it
 * stopped, whether the user was likely charged, and the details to copy for a bug report.
 */

/** Every state that is not terminal: the job is still on its way. */
export const ACTIVE_STATES: readonly JobState[] = JOB_STATES.filter(
  (state) => !TERMINAL_JOB_STATES.includes(state),
);

export function isActive(job: Pick<Job, 'state'>): boolean {
  return ACTIVE_STATES.includes(job.state);
}

// ── steps ───────────────────────────────────────────────────────────────────────────────────

export const STEP_NAMES = ['uploading', 'sent', 'waiting', 'generating', 'downloading', 'saved'] as const;
export type StepName = (typeof STEP_NAMES)[number];
export const STEP_STATUSES = ['done', 'now', 'todo', 'failed', 'stopped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export interface JobStep {
  name: StepName;
  status: StepStatus;
}

/**
 * The step a live state is at; `queued` (still on this computer) has not reached any. Once KIE
 * has the task (`submitted`) it is waiting there: KIE's own `waiting` and `queuing` say the
 * same, and a callback says nothing until the end, so only a look at the task moves it on.
 */
const STEP_OF: Partial<Record<JobState, StepName>> = {
  uploading: 'uploading',
  submitting: 'sent',
  submitted: 'waiting',
  waiting: 'waiting',
  queuing: 'waiting',
  generating: 'generating',
  downloading: 'downloading',
};

/** Where a job that ended without an image stopped, from what it left behind. */
function stoppedAt(job: Job): StepName {
  if (job.kieTaskId === null) return 'sent';
  if (job.imageIds.length > 0) return 'downloading';
  return 'generating';
}

/**
 * The compact stepper: upload (only with reference images), sent, waiting at KIE, generating,
 * downloading, saved. A failed, cancelled or unknown job marks the step where it stopped.
 */
export function jobSteps(job: Job): JobStep[] {
  const names = STEP_NAMES.filter((name) => name !== 'uploading' || (job.params.references?.length ?? 0) > 0);
  if (job.state === 'done') return names.map((name) => ({ name, status: 'done' }));
  if (job.state === 'queued') return names.map((name) => ({ name, status: 'todo' }));
  const live = STEP_OF[job.state];
  const at = live ?? stoppedAt(job);
  const mark: StepStatus = live ? 'now' : job.state === 'cancelled' ? 'stopped' : 'failed';
  const index = names.indexOf(at);
  return names.map((name, i) => ({ name, status: i < index ? 'done' : i === index ? mark : 'todo' }));
}

// ── the list ────────────────────────────────────────────────────────────────────────────────

/** 0: on its way; 1: its outcome is unknown (the user decides); 2: ended. */
function listGroup(job: Pick<Job, 'state'>): number {
  if (isActive(job)) return 0;
  return job.state === 'unknown-outcome' ? 1 : 2;
}

const newestFirst = (a: Job, b: Job): number =>
  a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt);

/** The job list's order: the jobs on their way first, then unknown outcomes, then the rest. */
export function listOrder(jobs: readonly Job[]): Job[] {
  return [...jobs].sort((a, b) => listGroup(a) - listGroup(b) || newestFirst(a, b));
}

/**
 * The jobs the window keeps: at most `cap`, dropping the oldest ended ones first. A job on its
 * way or with an unknown outcome is always kept, so nothing the user may still act on goes.
 */
export function keepBounded(jobs: readonly Job[], cap: number): Job[] {
  if (jobs.length <= cap) return [...jobs];
  const kept = listOrder(jobs);
  const ended = kept.filter((job) => listGroup(job) === 2);
  const room = Math.max(0, cap - (kept.length - ended.length));
  const dropped = new Set(ended.slice(room).map((job) => job.id));
  return jobs.filter((job) => !dropped.has(job.id));
}

// ── why it stopped ──────────────────────────────────────────────────────────────────────────

/** Causes with their own explanation; anything else ('other') uses the error's generic text. */
export const JOB_CAUSES = [
  'missingKey',
  'badKey',
  'noCredits',
  'rateLimited',
  'maintenance',
  'offline',
  'contentRejected',
  'generationFailed',
  'timedOut',
  'unknownOutcome',
  'invalid',
] as const;
export type JobCause = (typeof JOB_CAUSES)[number] | 'other';

/** The plain-language cause of a job's error (null without one). */
export function jobCause(job: Pick<Job, 'error'>): JobCause | null {
  const error = job.error;
  if (!error) return null;
  switch (error.code) {
    case 'UNAUTHORIZED':
      return error.details?.['reason'] === 'missing-key' ? 'missingKey' : 'badKey';
    case 'NO_CREDITS':
      return 'noCredits';
    case 'RATE_LIMITED':
      return 'rateLimited';
    case 'MAINTENANCE':
      return 'maintenance';
    case 'OFFLINE':
      return 'offline';
    case 'CONTENT_REJECTED':
      return 'contentRejected';
    case 'GENERATION_FAILED':
      return 'generationFailed';
    case 'TIMEOUT':
      return 'timedOut';
    case 'UNKNOWN_OUTCOME':
      return 'unknownOutcome';
    case 'VALIDATION':
      return 'invalid';
    default:
      return 'other';
  }
}

/** KIE's own words about the failure, when it gave any. */
export function kieMessage(job: Pick<Job, 'error'>): string | null {
  const message = job.error?.details?.['kieMessage'];
  return typeof message === 'string' && message.trim() !== '' ? message.trim() : null;
}

// ── charges ─────────────────────────────────────────────────────────────────────────────────

/** 'none': no credits were charged; 'likely': they probably were; 'maybe': only KIE can tell. */
export const CHARGE_NOTES = ['none', 'likely', 'maybe'] as const;
export type ChargeNote = (typeof CHARGE_NOTES)[number];

/**
 * Whether a job that ended without an image cost credits. KIE bills a task it accepted and
 * finished; it does not bill a refused request (no task id) or a task that failed (safety
 * filter, generation failure). A lost createTask answer or a task still unfinished at the
 * deadline may or may not have been billed. Null while the job is alive or done (nothing to say).
 */
export function chargeNote(job: Pick<Job, 'state' | 'error' | 'kieTaskId'>): ChargeNote | null {
  if (job.state !== 'failed' && job.state !== 'cancelled' && job.state !== 'unknown-outcome') return null;
  if (job.state === 'unknown-outcome' || job.error?.code === 'UNKNOWN_OUTCOME') return 'maybe';
  if (job.kieTaskId === null) return 'none';
  // Stopped waiting: KIE still makes (and bills) the image; it is saved if it arrives.
  if (job.state === 'cancelled') return 'likely';
  const code = job.error?.code;
  if (code === 'CONTENT_REJECTED' || code === 'GENERATION_FAILED') return 'none';
  if (code === 'TIMEOUT') return 'maybe';
  // The task was accepted and then something on this side failed (the download, the file).
  return 'likely';
}

// ── copy details ────────────────────────────────────────────────────────────────────────────

/**
 * The job as plain text for the clipboard (a support request, a bug report): stable field
 * names rather than translated labels, so anyone reading it knows what each value is.
 */
export function jobDetails(job: Job): string {
  const lines = [
    `Job: ${job.id}`,
    `KIE task: ${job.kieTaskId ?? '—'}`,
    `Model: ${job.params.model}`,
    `Params: ${JSON.stringify(job.params)}`,
    `State: ${job.state}`,
    `Demo: ${job.demo ? 'yes' : 'no'}`,
    `Created: ${job.createdAt}`,
    `Updated: ${job.updatedAt}`,
  ];
  if (job.imageIds.length > 0) lines.push(`Images: ${job.imageIds.join(', ')}`);
  if (job.error) {
    lines.push(`Error: ${job.error.code} — ${job.error.message}`);
    if (job.error.details) lines.push(`Error details: ${JSON.stringify(job.error.details)}`);
  }
  return lines.join('\n');
}

/** The translation keys the job card builds at run time (the i18n test checks they all exist). */
export function jobTranslationKeys(): string[] {
  return [
    ...STEP_NAMES.map((name) => `jobs.steps.${name}`),
    ...STEP_STATUSES.map((status) => `jobs.stepStatus.${status}`),
    ...JOB_CAUSES.map((cause) => `jobs.causes.${cause}`),
    ...CHARGE_NOTES.map((note) => `jobs.charge.${note}`),
  ];
}
