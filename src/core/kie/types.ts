import type { ModelId } from '@shared/domain/models';

/** KIE's task states, normalised from the many spellings seen in the wild (parse.ts). */
export type KieTaskState = 'waiting' | 'queuing' | 'generating' | 'success' | 'fail';

/** What recordInfo (or a callback body, as a hint only) tells about a task. */
export interface KieTaskInfo {
  taskId: string;
  model: string | null;
  state: KieTaskState;
  resultUrls: string[];
  failCode: string | null;
  failMsg: string | null;
  creditsConsumed: number | null;
  /** Epoch milliseconds, when given. */
  createTime: number | null;
  completeTime: number | null;
  /** The createTask request KIE recorded (`param`), when it could be read. */
  request: RecordedRequest | null;
}

/** KIE's copy of the request that created a task: what tells whose task it is. */
export interface RecordedRequest {
  model: string | null;
  callBackUrl: string | null;
  input: Record<string, unknown>;
}

export interface CreateTaskRequest {
  model: ModelId;
  callBackUrl?: string;
  input: Record<string, unknown>;
}

export interface UploadedFile {
  downloadUrl: string;
  fileName: string | null;
  fileSize: number | null;
  mimeType: string | null;
}

/** The KIE API as core uses it. Implemented by KieClient; faked nowhere (tests use the simulator). */
export interface KieApi {
  /**
   * The upload service this client sends files to. An uploaded file's URL is only known to be
   * good for tasks sent alongside it (Demo simulator URLs mean nothing to KIE, and back).
   */
  readonly uploadTarget: string;
  /** Never retried: an accepted call is billed. Throws AppError UNKNOWN_OUTCOME when the answer was lost. */
  createTask(
    request: CreateTaskRequest,
    signal?: AbortSignal,
    call?: KieCallContext,
  ): Promise<{ taskId: string }>;
  recordInfo(taskId: string, signal?: AbortSignal, call?: KieCallContext): Promise<KieTaskInfo>;
  credits(signal?: AbortSignal): Promise<number>;
  uploadBase64(file: UploadRequest, signal?: AbortSignal, call?: KieCallContext): Promise<UploadedFile>;
  uploadStream(file: UploadRequest, signal?: AbortSignal, call?: KieCallContext): Promise<UploadedFile>;
  /** A fresh, temporary link for a generated file whose URL expired. */
  downloadUrl(url: string, signal?: AbortSignal, call?: KieCallContext): Promise<string>;
}

/**
 * Who a call is for. Its request, response and retry log lines carry the job id, so the log
 * view's "only this job" shows KIE's side of that job too.
 */
export interface KieCallContext {
  jobId?: string;
}

export interface UploadRequest {
  bytes: Uint8Array;
  mimeType: string;
  fileName: string;
  uploadPath: string;
}
