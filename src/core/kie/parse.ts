import { z } from 'zod';
import { AppError } from '@shared/ipc/result';
import type { KieTaskInfo, KieTaskState, RecordedRequest } from './types';

/**
 * Tolerant readers for what KIE (and integrations built on its older shapes) send. They accept
 * every spelling listed in kie-api.md and never throw on odd input except through `AppError`.
 */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const TASK_ID_KEYS = ['taskId', 'task_id', 'jobId', 'job_id', 'id'] as const;

/** The task id at the top level or under `data`, under any of its known names. */
export function extractTaskId(body: unknown): string | null {
  const candidates = isObject(body) ? [body['data'], body] : [];
  for (const candidate of candidates) {
    if (!isObject(candidate)) continue;
    for (const key of TASK_ID_KEYS) {
      const value = candidate[key];
      if (typeof value === 'string' && value.trim() !== '' && value.length <= 200) return value.trim();
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    }
  }
  return null;
}

const STATE_WORDS: Record<string, KieTaskState> = {
  success: 'success',
  succeeded: 'success',
  succeed: 'success',
  completed: 'success',
  complete: 'success',
  fail: 'fail',
  failed: 'fail',
  failure: 'fail',
  error: 'fail',
  waiting: 'waiting',
  pending: 'waiting',
  queuing: 'queuing',
  queued: 'queuing',
  queueing: 'queuing',
  generating: 'generating',
  processing: 'generating',
  running: 'generating',
};

export function normalizeState(word: unknown): KieTaskState | null {
  return typeof word === 'string' ? (STATE_WORDS[word.trim().toLowerCase()] ?? null) : null;
}

const URL_KEYS = [
  'resultUrls',
  'result_urls',
  'urls',
  'images',
  'image_urls',
  'imageUrls',
  'image_url',
  'imageUrl',
  'url',
];
const CONTAINER_KEYS = ['resultJson', 'result_json', 'output', 'result', 'results', 'data'];

/** Result URLs from any known place: `resultJson` (string or object), `resultUrls`, `output`, `result`… */
export function extractResultUrls(body: unknown): string[] {
  const found: string[] = [];
  collectUrls(body, 0, found);
  return [...new Set(found)];
}

function collectUrls(value: unknown, depth: number, out: string[]): void {
  if (depth > 8 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^https?:\/\//i.test(trimmed)) out.push(trimmed);
    else if (trimmed.startsWith('{') || trimmed.startsWith('['))
      collectUrls(safeJson(trimmed), depth + 1, out);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectUrls(item, depth + 1, out);
    return;
  }
  if (!isObject(value)) return;
  for (const key of [...URL_KEYS, ...CONTAINER_KEYS]) {
    if (key in value) collectUrls(value[key], depth + 1, out);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const optionalNumber = (value: unknown): number | null => {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
};
const optionalText = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null;

/** recordInfo's `data`, or a callback body's task (then only a hint). */
export function parseTaskInfo(data: unknown): KieTaskInfo {
  const task = isObject(data) && isObject(data['data']) && !('state' in data) ? data['data'] : data;
  if (!isObject(task)) throw unexpected('task details', data);
  const taskId = extractTaskId(task);
  const state = normalizeState(task['state'] ?? task['status'] ?? task['successFlag']);
  if (!taskId || !state) throw unexpected('task details', data);
  return {
    taskId,
    model: optionalText(task['model']),
    state,
    resultUrls: state === 'success' ? extractResultUrls(task) : [],
    failCode: optionalText(task['failCode'] ?? task['fail_code'] ?? task['errorCode']),
    failMsg: optionalText(task['failMsg'] ?? task['fail_msg'] ?? task['errorMessage'] ?? task['error']),
    creditsConsumed: optionalNumber(task['creditsConsumed'] ?? task['credits_consumed']),
    createTime: optionalNumber(task['createTime']),
    completeTime: optionalNumber(task['completeTime']),
    request: parseRecordedRequest(task['param']),
  };
}

/**
 * `param` is the original createTask body as a JSON string; its `input` may itself be a JSON
 * string inside it (KIE's callback example). Anything unreadable is null, never an error: the
 * task's state and results do not depend on it.
 */
export function parseRecordedRequest(param: unknown): RecordedRequest | null {
  const outer = typeof param === 'string' ? parseJsonOrNull(param) : param;
  if (!isObject(outer)) return null;
  const rawInput = outer['input'];
  const input = typeof rawInput === 'string' ? parseJsonOrNull(rawInput) : rawInput;
  if (!isObject(input)) return null;
  return {
    model: optionalText(outer['model']),
    callBackUrl: optionalText(outer['callBackUrl'] ?? outer['callbackUrl']),
    input,
  };
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A callback body: `{code,msg,data:{…}}` or the task at the top level. Null when no task id. */
export function parseCallbackBody(body: unknown): { taskId: string; state: KieTaskState | null } | null {
  const taskId = extractTaskId(body);
  if (!taskId) return null;
  const task = isObject(body) && isObject(body['data']) ? body['data'] : body;
  const state = isObject(task) ? normalizeState(task['state'] ?? task['status']) : null;
  return { taskId, state };
}

const envelopeSchema = z
  .object({
    code: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
    msg: z.string().nullish(),
    message: z.string().nullish(),
    success: z.boolean().optional(),
    data: z.unknown().optional(),
  })
  .loose();

export interface Envelope {
  code: number;
  msg: string | null;
  data: unknown;
}

/** `{code, msg, data}`; the upload service also says `success`. */
export function parseEnvelope(text: string): Envelope {
  const parsed = envelopeSchema.safeParse(safeJson(text));
  if (!parsed.success) throw unexpected('response', text);
  const { code, msg, message, success, data } = parsed.data;
  const resolved = code ?? (success === false ? 500 : 200);
  return { code: resolved, msg: msg ?? message ?? null, data };
}

function unexpected(what: string, value: unknown): AppError {
  const excerpt = (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))).slice(
    0,
    200,
  );
  return new AppError('UPSTREAM', `KIE answered in an unexpected format (${what}).`, { excerpt });
}
