import { createHash } from 'node:crypto';
import { mkdir, realpath, rm, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import type { GalleryCursor, GalleryImage } from '@shared/domain/image';
import type { JobParams } from '@shared/domain/job';
import type { GalleryPage } from '@shared/ipc/contract';
import { AppError } from '@shared/ipc/result';
import type { ResolvedImageFile } from '../core';
import { commitTempFile } from '../fs/atomic';
import type { DownloadedImage } from '../jobs/download';
import type { ImageUrlMaker } from '../ports';
import { type ImageIndex, type ImageRecord } from './index';
import { libraryRelativePath } from './naming';

const MIME: Record<string, ResolvedImageFile['mimeType']> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

export interface NewResult {
  jobId: string;
  kieTaskId: string;
  resultIndex: number;
  params: JobParams;
  demo: boolean;
  /** The job's creation time dates the folder, so a re-delivery lands on the same path. */
  createdAt: string;
}

/**
 * The library on disk plus its index. A KIE result's image id (and so its file name) is derived
 * from (task id, result index): delivering the same result twice, even across a crash between
 * the rename and the insert, writes the same file and one row.
 */
export class GalleryLibrary {
  constructor(
    readonly index: ImageIndex,
    private readonly libraryRoot: () => string,
    private readonly imageUrl: ImageUrlMaker,
  ) {}

  root(): string {
    return this.libraryRoot();
  }

  /** Where a download for this result should be staged (its final folder). */
  async folderFor(result: NewResult): Promise<string> {
    const rel = libraryRelativePath(
      new Date(result.createdAt),
      result.params.prompt,
      resultImageId(result),
      'png',
    );
    const folder = join(this.root(), dirname(rel));
    await mkdir(folder, { recursive: true });
    return folder;
  }

  existing(result: NewResult): ImageRecord | null {
    return this.index.byTaskResult(result.kieTaskId, result.resultIndex);
  }

  /** Moves a verified download into place and indexes it; idempotent per result. */
  async addResult(
    result: NewResult,
    file: DownloadedImage,
  ): Promise<{ image: GalleryImage; inserted: boolean }> {
    const existing = this.existing(result);
    if (existing) {
      await rm(file.tempPath, { force: true });
      return { image: this.toWire(existing), inserted: false };
    }
    const id = resultImageId(result);
    const relPath = libraryRelativePath(new Date(result.createdAt), result.params.prompt, id, file.format);
    await commitTempFile(file.tempPath, join(this.root(), relPath));
    const { record, inserted } = this.index.insert({
      id,
      jobId: result.jobId,
      kieTaskId: result.kieTaskId,
      resultIndex: result.resultIndex,
      params: result.params,
      relPath,
      width: file.width,
      height: file.height,
      format: file.format,
      bytes: file.bytes,
      demo: result.demo,
      createdAt: new Date().toISOString(),
    });
    return { image: this.toWire(record), inserted };
  }

  page(cursor: GalleryCursor | null, limit: number): GalleryPage {
    const { items, nextCursor } = this.index.page(cursor, limit);
    return { items: items.map((item) => this.toWire(item)), nextCursor };
  }

  get(id: string): GalleryImage {
    const record = this.index.get(id);
    if (!record) throw new AppError('NOT_FOUND', 'That image is not in the library.');
    return this.toWire(record);
  }

  /**
   * Resolves an image id to a file the host may serve: known id, allowed extension, and a real
   * path (symlinks followed) that stays inside the library root. Anything else: null.
   */
  async resolveFile(id: string): Promise<ResolvedImageFile | null> {
    const record = this.index.get(id);
    if (!record) return null;
    const mimeType = MIME[extname(record.relPath).toLowerCase()];
    if (!mimeType || record.relPath.includes('\0') || isAbsolute(record.relPath)) return null;
    try {
      const root = await realpath(this.root());
      const real = await realpath(join(root, record.relPath));
      const inside = relative(root, real);
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..'))
        return null;
      const info = await stat(real);
      if (!info.isFile()) return null;
      return { filePath: real, mimeType, size: info.size };
    } catch {
      return null;
    }
  }

  toWire(record: ImageRecord): GalleryImage {
    return {
      id: record.id,
      jobId: record.jobId,
      kieTaskId: record.kieTaskId,
      params: record.params,
      width: record.width,
      height: record.height,
      format: record.format,
      bytes: record.bytes,
      fileName: record.relPath.split('/').pop() ?? record.relPath,
      demo: record.demo,
      createdAt: record.createdAt,
      url: this.imageUrl(record.id),
    };
  }
}

export function resultImageId(result: Pick<NewResult, 'kieTaskId' | 'resultIndex'>): string {
  return createHash('sha256')
    .update(`kie:${result.kieTaskId}:${result.resultIndex}`)
    .digest('hex')
    .slice(0, 32);
}
