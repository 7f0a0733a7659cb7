import type { AnyEvent } from '@shared/ipc/contract';
import { AppError, isAppError } from '@shared/ipc/result';
import type { GalleryLibrary, NewResult } from '../gallery/library';
import type { KieApi, KieTaskInfo } from '../kie/types';
import type { Logger } from '../log/logger';
import type { ReferenceStore } from '../references/staging';
import {
  DEFAULT_DOWNLOAD_LIMITS,
  downloadImage,
  type DownloadedImage,
  type DownloadLimits,
} from './download';
import { sleep } from './sleep';
import type { JobRecord } from './store';

const DOWNLOAD_ATTEMPTS = 4;
const DOWNLOAD_CONCURRENCY = 4;

export interface ResultSaverDeps {
  library: GalleryLibrary;
  references: ReferenceStore;
  emit(event: AnyEvent): void;
  log: Logger;
  download?: DownloadLimits;
}

/**
 * Gets a finished task's images into the library: exactly one file per KIE result (the
 * library's unique key), downloaded only from URLs that recordInfo returned, at most
 * DOWNLOAD_CONCURRENCY at a time across all jobs. Knows nothing of job states: the engine
 * decides what a failure means for the job.
 */
export class ResultSaver {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly deps: ResultSaverDeps) {}

  /**
   * Saves every result of `info` the library does not have yet; `onSaved` after each new one.
   * Throws the first failure (a full disk included) after its retries; results saved before it
   * stay saved, so calling again picks up where this stopped.
   */
  async saveAll(
    job: JobRecord,
    info: KieTaskInfo,
    kie: KieApi,
    signal: AbortSignal,
    onSaved: () => void,
  ): Promise<void> {
    for (const [resultIndex, url] of info.resultUrls.entries()) {
      const result: NewResult = {
        jobId: job.id,
        kieTaskId: info.taskId,
        resultIndex,
        params: job.params,
        demo: job.demo,
        createdAt: job.createdAt,
        ...this.deps.references.lineage(job.params.references ?? []),
      };
      if (this.deps.library.existing(result)) continue;
      const file = await this.withSlot(() => this.download(url, result, kie, signal));
      const { image, inserted } = await this.deps.library.addResult(result, file);
      if (inserted) {
        this.deps.log.info('Image saved', { jobId: job.id, imageId: image.id, file: image.fileName });
        this.deps.emit({ name: 'gallery.added', payload: image });
      }
      onSaved();
    }
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T> {
    while (this.running >= DOWNLOAD_CONCURRENCY) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  /**
   * Downloads one result with retries. An expired link is refreshed through KIE's download-url;
   * when that fails too, a fresh recordInfo may name a new link for this result.
   */
  private async download(
    url: string,
    result: NewResult,
    kie: KieApi,
    signal: AbortSignal,
  ): Promise<DownloadedImage> {
    const folder = await this.deps.library.folderFor(result);
    const call = { jobId: result.jobId };
    let original = url;
    let link = url;
    let refreshed = false;
    let rechecked = false;
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS && !signal.aborted;) {
      try {
        this.deps.log.info('Downloading result', { jobId: result.jobId, attempt, url: link });
        return await downloadImage(link, folder, this.deps.download ?? DEFAULT_DOWNLOAD_LIMITS, signal);
      } catch (error) {
        lastError = error;
        this.deps.log.warn('Download failed', { jobId: result.jobId, attempt, error });
        if (!(isAppError(error) && error.code === 'NOT_FOUND' && error.details?.['expired'] === true)) {
          await sleep(300 * 2 ** (attempt - 1), signal);
          attempt += 1;
          continue;
        }
        // Expired links do not use up the tries: each way to a fresh one is tried once.
        if (!refreshed) {
          refreshed = true;
          const fresh = await kie.downloadUrl(original, signal, call).catch((refreshError: unknown) => {
            this.deps.log.warn('download-url could not refresh the link', { ...call, error: refreshError });
            return null;
          });
          if (fresh) {
            link = fresh;
            continue;
          }
        }
        if (!rechecked) {
          rechecked = true;
          const info = await kie.recordInfo(result.kieTaskId, signal, call).catch((recheckError: unknown) => {
            this.deps.log.warn('recordInfo for a fresh link failed', { ...call, error: recheckError });
            return null;
          });
          const named = info?.resultUrls[result.resultIndex];
          if (named && named !== original) {
            this.deps.log.info('recordInfo named a new link for the result', call);
            original = named;
            link = named;
            refreshed = false;
            continue;
          }
        }
        throw error;
      }
    }
    throw lastError ?? new AppError('TIMEOUT', 'The download was stopped.');
  }
}
