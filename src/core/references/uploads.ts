import { AppError } from '@shared/ipc/result';
import type { KieApi } from '../kie/types';
import type { Logger } from '../log/logger';
import { MIME_TYPES, stagedFileName, type ReferenceStore, type StagedRecord } from './staging';

/**
 * How long KIE keeps an uploaded file. Its docs say 24 hours in one place and 3 days in another
 * (kie-api.md): the shorter one is assumed.
 */
export const KIE_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
/** A URL is reused only with this much of its life left, so it cannot expire before KIE fetches it. */
export const UPLOAD_REUSE_MARGIN_MS = 60 * 60 * 1000;
export const REFERENCE_UPLOAD_PATH = 'banana-studio/refs';
/** Uploads of one job's references run side by side, a few at a time. */
const PARALLEL_UPLOADS = 3;
/**
 * Files up to this size go base64 in JSON, bigger ones as a multipart stream: KIE's base64 page
 * says "for large files (>10MB), use the file stream upload API"
 * (https://docs.kie.ai/file-upload-api/upload-file-base-64). Pro and Nano Banana 2 take 30 MB.
 */
export const BASE64_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

export interface ReferenceUrls {
  /** KIE URLs of the references, in the order asked. */
  urls: string[];
  /** The ids whose URL came from an earlier upload (KIE may have dropped those since). */
  reused: string[];
}

export interface ReferenceUploaderDeps {
  store: ReferenceStore;
  now(): Date;
  log: Logger;
}

/**
 * Gets staged references to KIE through its file-upload API. An upload is reused while it is
 * young enough, and shared: the same file needed by several jobs at once is uploaded once (they
 * all wait on the same promise). Upload errors keep their codes (OFFLINE, TIMEOUT, …), so the
 * engine decides between pausing and failing as for any other KIE call.
 */
export class ReferenceUploader {
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly deps: ReferenceUploaderDeps) {}

  /**
   * The KIE URLs for `ids`. `signal` stops the uploads (the engine's lifetime: an upload shared
   * by several jobs must not die with one of them). `onProgress` hears each finished reference.
   */
  async urlsFor(
    ids: readonly string[],
    kie: KieApi,
    options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<ReferenceUrls> {
    const urls: string[] = new Array<string>(ids.length).fill('');
    const reused = new Set<string>();
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const index = next;
        next += 1;
        const id = ids[index] ?? '';
        const got = await this.urlFor(id, kie, options.signal);
        urls[index] = got.url;
        if (got.reused) reused.add(id);
        done += 1;
        options.onProgress?.(done, ids.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, ids.length) }, worker));
    return { urls, reused: [...reused] };
  }

  /** KIE said it no longer has these files: the next use uploads them again. */
  forget(ids: readonly string[]): void {
    this.deps.store.forgetUploads(ids);
  }

  /** Whether the record's upload can still be used for a task sent to `target` now. */
  isFresh(record: StagedRecord, target: string): boolean {
    if (record.kieUrl === null || record.kieUrlUploadedAt === null || record.kieUploadTarget !== target) {
      return false;
    }
    const age = this.deps.now().getTime() - Date.parse(record.kieUrlUploadedAt);
    return age >= 0 && age < KIE_UPLOAD_TTL_MS - UPLOAD_REUSE_MARGIN_MS;
  }

  private async urlFor(
    id: string,
    kie: KieApi,
    signal: AbortSignal | undefined,
  ): Promise<{ url: string; reused: boolean }> {
    const record = this.deps.store.get(id);
    if (!record) throw new AppError('VALIDATION', 'A reference image is no longer staged; add it again.');
    if (record.kieUrl !== null && this.isFresh(record, kie.uploadTarget)) {
      return { url: record.kieUrl, reused: true };
    }
    const key = `${kie.uploadTarget}\n${id}`;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.upload(id, kie, signal).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return { url: await pending, reused: false };
  }

  private async upload(id: string, kie: KieApi, signal: AbortSignal | undefined): Promise<string> {
    const { record, bytes } = await this.deps.store.read(id);
    // Dated from the start: the file's life at KIE cannot have begun before this.
    const startedAt = this.deps.now();
    this.deps.log.info('Uploading reference', { referenceId: id, bytes: bytes.length });
    // Both keep the file's name, so the same file again overwrites rather than piling up copies.
    const file = {
      bytes,
      mimeType: MIME_TYPES[record.format],
      fileName: stagedFileName(record),
      uploadPath: REFERENCE_UPLOAD_PATH,
    };
    const uploaded =
      bytes.length > BASE64_UPLOAD_MAX_BYTES
        ? await kie.uploadStream(file, signal)
        : await kie.uploadBase64(file, signal);
    this.deps.store.recordUpload(id, { url: uploaded.downloadUrl, target: kie.uploadTarget, at: startedAt });
    this.deps.log.info('Reference uploaded', { referenceId: id, url: uploaded.downloadUrl });
    return uploaded.downloadUrl;
  }
}
