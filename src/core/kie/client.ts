import { AppError } from '@shared/ipc/result';
import type { Logger } from '../log/logger';
import {
  httpRequest,
  parseRetryAfter,
  realSleep,
  retryIdempotent,
  type HttpResponse,
  type RetryOptions,
} from '../net/http';
import { keyHostNotAllowed, mayReceiveApiKey } from './allowedHosts';
import { kieErrorFromResponse } from './errors';
import { extractTaskId, parseEnvelope, parseTaskInfo, type Envelope } from './parse';
import type {
  CreateTaskRequest,
  KieApi,
  KieCallContext,
  KieTaskInfo,
  UploadedFile,
  UploadRequest,
} from './types';

export interface KieClientOptions {
  apiBaseUrl: string;
  uploadBaseUrl: string;
  getApiKey: () => Promise<string | null>;
  log: Logger;
  timeoutMs?: { api: number; upload: number };
  retry?: Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;
  sleep?: RetryOptions['sleep'];
}

const DEFAULT_TIMEOUTS = { api: 30_000, upload: 120_000 };
const DEFAULT_RETRY = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/**
 * The KIE.ai API as core uses it: Bearer auth and a deadline on every call, envelopes checked
 * (HTTP status and `code`), responses parsed tolerantly. createTask is never retried: an
 * accepted call is billed, so a lost answer becomes UNKNOWN_OUTCOME for the user to decide.
 */
export class KieClient implements KieApi {
  private readonly timeouts: { api: number; upload: number };
  private readonly retry: Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;

  constructor(private readonly options: KieClientOptions) {
    this.timeouts = options.timeoutMs ?? DEFAULT_TIMEOUTS;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  async createTask(
    request: CreateTaskRequest,
    signal?: AbortSignal,
    call?: KieCallContext,
  ): Promise<{ taskId: string }> {
    const headers = await this.headers();
    const url = `${this.api()}/api/v1/jobs/createTask`;
    this.options.log.info('KIE request', about(call, { method: 'POST', url, body: summarizeTask(request) }));
    let response: HttpResponse;
    try {
      response = await httpRequest({
        url,
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
        timeoutMs: this.timeouts.api,
        signal,
      });
    } catch (error) {
      if (error instanceof AppError && error.details?.['reached'] !== false) {
        this.options.log.warn('createTask answer lost', about(call, { code: error.code }));
        throw new AppError(
          'UNKNOWN_OUTCOME',
          'KIE may have accepted (and charged) this task, but its answer never arrived. Check before trying again.',
          { cause: error.code },
        );
      }
      throw error;
    }
    if (!hasEnvelope(response) && response.status !== 429) {
      // A gateway page (502/504 HTML), an empty or garbled body: KIE may well have created and
      // charged the task behind it. Only a KIE envelope (or a plain 429) says it did not.
      this.options.log.warn(
        'createTask answer was not a KIE envelope',
        about(call, { status: response.status, ms: response.durationMs }),
      );
      throw new AppError(
        'UNKNOWN_OUTCOME',
        'KIE may have accepted (and charged) this task, but its answer never arrived. Check before trying again.',
        { cause: 'not-an-envelope', status: response.status, excerpt: response.text.slice(0, 200) },
      );
    }
    const envelope = this.check(response, 'createTask', call);
    const taskId = extractTaskId(envelope.data) ?? extractTaskId(envelope);
    if (!taskId) {
      // KIE said yes but we cannot follow the task: as good as an unknown outcome.
      throw new AppError('UNKNOWN_OUTCOME', 'KIE accepted the task but returned no task id.', {
        excerpt: response.text.slice(0, 200),
      });
    }
    return { taskId };
  }

  recordInfo(taskId: string, signal?: AbortSignal, call?: KieCallContext): Promise<KieTaskInfo> {
    return this.idempotent(
      signal,
      async () => {
        const url = `${this.api()}/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`;
        const envelope = this.check(await this.get(url, signal, call), 'recordInfo', call);
        return parseTaskInfo(envelope.data);
      },
      call,
    );
  }

  credits(signal?: AbortSignal): Promise<number> {
    return this.idempotent(signal, async () => {
      const envelope = this.check(await this.get(`${this.api()}/api/v1/chat/credit`, signal), 'credit');
      const balance = typeof envelope.data === 'string' ? Number(envelope.data) : envelope.data;
      if (typeof balance !== 'number' || !Number.isFinite(balance)) {
        throw new AppError('UPSTREAM', 'KIE answered in an unexpected format (credits).');
      }
      return balance;
    });
  }

  downloadUrl(url: string, signal?: AbortSignal, call?: KieCallContext): Promise<string> {
    return this.idempotent(
      signal,
      async () => {
        const response = await this.post(
          `${this.api()}/api/v1/common/download-url`,
          JSON.stringify({ url }),
          'application/json',
          this.timeouts.api,
          signal,
          call,
        );
        const envelope = this.check(response, 'download-url', call);
        const fresh = typeof envelope.data === 'string' ? envelope.data : null;
        if (!fresh || !/^https?:\/\//i.test(fresh)) {
          throw new AppError('UPSTREAM', 'KIE answered in an unexpected format (download link).');
        }
        return fresh;
      },
      call,
    );
  }

  // Uploads are free and idempotent by file name (the same name overwrites), so retrying is safe.
  uploadBase64(file: UploadRequest, signal?: AbortSignal, call?: KieCallContext): Promise<UploadedFile> {
    return this.idempotent(
      signal,
      async () => {
        const body = JSON.stringify({
          base64Data: `data:${file.mimeType};base64,${Buffer.from(file.bytes).toString('base64')}`,
          uploadPath: file.uploadPath,
          fileName: file.fileName,
        });
        const response = await this.post(
          `${this.upload()}/api/file-base64-upload`,
          body,
          'application/json',
          this.timeouts.upload,
          signal,
          call,
        );
        return parseUpload(this.check(response, 'upload', call));
      },
      call,
    );
  }

  uploadStream(file: UploadRequest, signal?: AbortSignal, call?: KieCallContext): Promise<UploadedFile> {
    return this.idempotent(
      signal,
      async () => {
        const form = new FormData();
        form.append('file', new Blob([file.bytes], { type: file.mimeType }), file.fileName);
        form.append('uploadPath', file.uploadPath);
        form.append('fileName', file.fileName);
        const response = await this.post(
          `${this.upload()}/api/file-stream-upload`,
          form,
          null,
          this.timeouts.upload,
          signal,
          call,
        );
        return parseUpload(this.check(response, 'upload', call));
      },
      call,
    );
  }

  get uploadTarget(): string {
    return this.upload();
  }

  private api(): string {
    return this.options.apiBaseUrl.replace(/\/+$/, '');
  }

  private upload(): string {
    return this.options.uploadBaseUrl.replace(/\/+$/, '');
  }

  private async headers(): Promise<Record<string, string>> {
    // Every keyed request goes to one of these two; neither may be a host outside KIE's.
    const refused = [this.api(), this.upload()].find((base) => !mayReceiveApiKey(base));
    if (refused !== undefined) throw keyHostNotAllowed(refused);
    const key = await this.options.getApiKey();
    if (!key) throw new AppError('UNAUTHORIZED', 'No KIE API key is set.', { reason: 'missing-key' });
    return { Authorization: `Bearer ${key}`, Accept: 'application/json' };
  }

  private async get(url: string, signal?: AbortSignal, call?: KieCallContext): Promise<HttpResponse> {
    this.options.log.debug('KIE request', about(call, { method: 'GET', url }));
    return httpRequest({ url, headers: await this.headers(), timeoutMs: this.timeouts.api, signal });
  }

  private async post(
    url: string,
    body: string | FormData,
    contentType: string | null,
    timeoutMs: number,
    signal?: AbortSignal,
    call?: KieCallContext,
  ): Promise<HttpResponse> {
    const headers = await this.headers();
    if (contentType) headers['Content-Type'] = contentType;
    this.options.log.debug('KIE request', about(call, { method: 'POST', url }));
    return httpRequest({ url, method: 'POST', headers, body, timeoutMs, signal });
  }

  private idempotent<T>(
    signal: AbortSignal | undefined,
    fn: () => Promise<T>,
    call?: KieCallContext,
  ): Promise<T> {
    return retryIdempotent(fn, {
      ...this.retry,
      signal,
      sleep: this.options.sleep ?? realSleep,
      onRetry: ({ attempt, delayMs, error }) =>
        this.options.log.warn(
          'KIE call failed; retrying',
          about(call, { attempt, delayMs, code: error.code }),
        ),
    });
  }

  /** Both the HTTP status and the envelope code must say OK. */
  private check(response: HttpResponse, what: string, call?: KieCallContext): Envelope {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    let envelope: Envelope | null = null;
    try {
      envelope = parseEnvelope(response.text);
    } catch (error) {
      if (response.status >= 200 && response.status < 300) throw error;
    }
    this.options.log.info(
      'KIE response',
      about(call, {
        what,
        status: response.status,
        code: envelope?.code ?? null,
        msg: envelope?.msg ?? null,
        ms: response.durationMs,
      }),
    );
    if (response.status >= 200 && response.status < 300 && envelope && envelope.code === 200) return envelope;
    throw kieErrorFromResponse({
      httpStatus: response.status,
      code: envelope?.code ?? null,
      msg: envelope?.msg ?? null,
      retryAfterMs,
    });
  }
}

/** A log line's fields with the job it is for, where the log view's job filter looks for it. */
function about(call: KieCallContext | undefined, fields: Record<string, unknown>): Record<string, unknown> {
  return call?.jobId === undefined ? fields : { jobId: call.jobId, ...fields };
}

function hasEnvelope(response: HttpResponse): boolean {
  try {
    parseEnvelope(response.text);
    return true;
  } catch {
    return false;
  }
}

function parseUpload(envelope: Envelope): UploadedFile {
  const data = envelope.data;
  if (typeof data !== 'object' || data === null)
    throw new AppError('UPSTREAM', 'KIE answered in an unexpected format (upload).');
  const record = data as Record<string, unknown>;
  const downloadUrl = [record['downloadUrl'], record['fileUrl'], record['url']].find(
    (value): value is string => typeof value === 'string' && /^https?:\/\//i.test(value),
  );
  if (!downloadUrl) throw new AppError('UPSTREAM', 'KIE accepted the upload but returned no file URL.');
  return {
    downloadUrl,
    fileName: typeof record['fileName'] === 'string' ? record['fileName'] : null,
    fileSize: typeof record['fileSize'] === 'number' ? record['fileSize'] : null,
    mimeType: typeof record['mimeType'] === 'string' ? record['mimeType'] : null,
  };
}

/** What gets logged of a createTask body: everything but long prompts and reference URLs in full. */
function summarizeTask(request: CreateTaskRequest): Record<string, unknown> {
  const input = { ...request.input };
  if (typeof input['prompt'] === 'string' && input['prompt'].length > 200)
    input['prompt'] = `${input['prompt'].slice(0, 200)}…`;
  // The callback URL's path and query carry its secret token: the origin says where it goes.
  let callBackUrl: string | null = null;
  if (request.callBackUrl) {
    try {
      callBackUrl = new URL(request.callBackUrl).origin;
    } catch {
      callBackUrl = '[not a URL]';
    }
  }
  return { model: request.model, callBackUrl, input };
}
