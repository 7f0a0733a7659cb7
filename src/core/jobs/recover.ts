import type { JobParams } from '@shared/domain/job';
import type { RecordedRequest } from '../kie/types';

/**
 * Telling whether a task KIE knows is the one a job asked for. Used to recover jobs whose
 * createTask answer was lost (unknown outcome): a callback naming the job, or a task id the user
 * pasted from KIE's dashboard, is only attached after KIE's own record of the request matches.
 */

/** The query parameter of the callback URL that names the local job. */
export const CALLBACK_JOB_PARAM = 'job';

/** The callback URL for one job: the secret callback path, with the job's id in the query. */
export function callbackUrlForJob(base: string, jobId: string): string {
  const url = new URL(base);
  url.searchParams.set(CALLBACK_JOB_PARAM, jobId);
  return url.toString();
}

/** The job id a callback URL names, if any. */
export function jobIdFromCallbackUrl(callbackUrl: string | null): string | null {
  if (!callbackUrl) return null;
  try {
    return new URL(callbackUrl).searchParams.get(CALLBACK_JOB_PARAM);
  } catch {
    return null;
  }
}

/** What is kept of a callback URL on disk: where it pointed, never its secret path. */
export function callbackOrigin(callbackUrl: string | null): string | null {
  if (!callbackUrl) return null;
  try {
    return new URL(callbackUrl).origin;
  } catch {
    return null;
  }
}

export type TaskMatch =
  | { matches: true }
  | { matches: false; reason: 'no-record' | 'other-job' | 'model' | 'prompt' | 'references' };

const REFERENCE_FIELDS = ['image_urls', 'image_input'] as const;

/**
 * The job is `sentInput` (the input exactly as sent, when it was stored before createTask went
 * out) or, for a record from before that, its params. A task whose callback URL names another
 * job is never this one's, even with the same prompt (a retry of it, say).
 */
export function taskMatchesJob(
  job: { id: string; params: JobParams; sentInput: Record<string, unknown> | null; sentModel: string },
  recorded: RecordedRequest | null,
): TaskMatch {
  if (!recorded) return { matches: false, reason: 'no-record' };
  const namedJob = jobIdFromCallbackUrl(recorded.callBackUrl);
  if (namedJob !== null && namedJob !== job.id) return { matches: false, reason: 'other-job' };
  if (recorded.model !== null && recorded.model !== job.sentModel) return { matches: false, reason: 'model' };
  const prompt =
    typeof job.sentInput?.['prompt'] === 'string' ? job.sentInput['prompt'] : job.params.prompt.trim();
  if (recorded.input['prompt'] !== prompt) return { matches: false, reason: 'prompt' };
  const recordedRefs = referenceUrls(recorded.input);
  if (job.sentInput) {
    const sentRefs = referenceUrls(job.sentInput);
    if (!sameList(sentRefs, recordedRefs)) return { matches: false, reason: 'references' };
  } else if (recordedRefs.length !== (job.params.references ?? []).length) {
    return { matches: false, reason: 'references' };
  }
  return { matches: true };
}

function referenceUrls(input: Record<string, unknown>): string[] {
  for (const field of REFERENCE_FIELDS) {
    const value = input[field];
    if (Array.isArray(value)) return value.filter((url): url is string => typeof url === 'string');
  }
  return [];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
