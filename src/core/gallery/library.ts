import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { GalleryImage, GalleryPageCursor, ImageQuery } from '@shared/domain/image';
import type { JobParams } from '@shared/domain/job';
import type { GalleryQueryPage, ImageDetail, TrashedImage } from '@shared/ipc/galleryRoutes';
import { AppError } from '@shared/ipc/result';
import type { ResolvedImageFile } from '../core';
import { commitTempFile } from '../fs/atomic';
import type { Logger } from '../log/logger';
import type { DownloadedImage } from '../jobs/download';
import type { ImageUrlMaker, Shell } from '../ports';
import { type ImageIndex, type ImageRecord } from './index';
import { embedMetadataInFile, type EmbeddedMetadata } from './metadata';
import { libraryRelativePath } from './naming';
import { resolveGalleryFile } from './resolve';

/** "Recently deleted" inside the library root, so moving there is a rename on the same volume. */
export const TRASH_DIR = '.trash';
export const TRASH_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** What the library needs from the thumbnail service. */
export interface ThumbnailPort {
  readonly thumbsDir: string;
  ensure(imageId: string, sourcePath: string, options?: { priority?: 'high' | 'low' }): Promise<string>;
  remove(imageId: string): Promise<void>;
}

export interface NewResult {
  jobId: string;
  kieTaskId: string;
  resultIndex: number;
  params: JobParams;
  demo: boolean;
  /** The job's creation time dates the folder, so a re-delivery lands on the same path. */
  createdAt: string;
  /** The reference images sent with the task, in order (staged id and full content hash). */
  references: EmbeddedMetadata['references'];
  /** Lineage: the library images among the references. */
  parents: string[];
}

/**
 * The library on disk plus its index. A KIE result's image id (and so its file name) is derived
 * from (task id, result index): delivering the same result twice, even across a crash between
 * the rename and the insert, writes the same file and one row.
 */
export interface GalleryLibraryDeps {
  index: ImageIndex;
  libraryRoot: () => string;
  imageUrl: ImageUrlMaker;
  appVersion: string;
  log: Logger;
  shell: Shell;
  thumbs?: ThumbnailPort;
}

export class GalleryLibrary {
  readonly index: ImageIndex;
  private readonly libraryRoot: () => string;
  private readonly imageUrl: ImageUrlMaker;

  constructor(private readonly deps: GalleryLibraryDeps) {
    this.index = deps.index;
    this.libraryRoot = deps.libraryRoot;
    this.imageUrl = deps.imageUrl;
  }

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
      this.index.linkJob(existing.id, result.jobId);
      return { image: this.toWire(existing), inserted: false };
    }
    const id = resultImageId(result);
    const relPath = libraryRelativePath(new Date(result.createdAt), result.params.prompt, id, file.format);
    const createdAt = new Date().toISOString();
    const size = await this.withMetadata(file, {
      app: 'banana-studio',
      version: 1,
      imageId: id,
      prompt: result.params.prompt,
      model: result.params.model,
      params: {
        aspectRatio: result.params.aspectRatio,
        outputFormat: result.params.outputFormat,
        resolution: result.params.resolution,
        ...(result.params.googleSearch === true ? { googleSearch: true } : {}),
        ...(result.params.run ? { run: result.params.run } : {}),
      },
      kieTaskId: result.kieTaskId,
      resultIndex: result.resultIndex,
      references: result.references,
      parents: result.parents,
      createdAt,
      appVersion: this.deps.appVersion,
      demo: result.demo,
    });
    await commitTempFile(file.tempPath, join(this.root(), relPath));
    const { record: stored, inserted } = this.index.insert({
      id,
      jobId: result.jobId,
      kieTaskId: result.kieTaskId,
      resultIndex: result.resultIndex,
      params: result.params,
      relPath,
      width: file.width,
      height: file.height,
      format: file.format,
      bytes: size,
      demo: result.demo,
      createdAt,
      fileSize: size,
      parents: result.parents,
    });
    // A library scan may have indexed the file between its rename and this insert.
    const record =
      !inserted && this.index.linkJob(stored.id, result.jobId)
        ? (this.index.get(stored.id) ?? stored)
        : stored;
    if (inserted) {
      // Made in the background so the image is in the gallery without waiting for it.
      this.deps.thumbs
        ?.ensure(id, join(this.root(), relPath), { priority: 'low' })
        .catch((error: unknown) => this.deps.log.warn('Thumbnail failed', { imageId: id, error }));
    }
    return { image: this.toWire(record), inserted };
  }

  /**
   * Embeds the image's metadata in the verified download, so the library can be rebuilt from
   * the files alone; returns the file's size. Embedding never re-encodes pixels; should it fail,
   * the image is kept as it came rather than lost.
   */
  private async withMetadata(file: DownloadedImage, meta: EmbeddedMetadata): Promise<number> {
    try {
      return await embedMetadataInFile(file.tempPath, meta);
    } catch (error) {
      this.deps.log.warn('Could not embed metadata; keeping the image without it', {
        imageId: meta.imageId,
        error,
      });
      return (await stat(file.tempPath)).size;
    }
  }

  query(q: ImageQuery, cursor: GalleryPageCursor | null, limit: number): GalleryQueryPage {
    const page = this.index.query(q, cursor, limit);
    return {
      items: page.items.map((item) => this.toWire(item)),
      nextCursor: page.nextCursor,
      prevCursor: page.prevCursor,
    };
  }

  get(id: string): GalleryImage {
    return this.toWire(this.require(id));
  }

  detail(id: string): ImageDetail {
    const record = this.require(id);
    return {
      image: this.toWire(record),
      tags: this.index.tagsFor(id),
      albums: this.index.albumsFor(id),
      parents: this.index.parents(id).map((item) => this.toWire(item)),
      children: this.index.children(id).map((item) => this.toWire(item)),
      filePath: join(this.root(), record.relPath),
    };
  }

  /** The absolute path of an image's file, checked to be a real file inside the library. */
  async filePath(id: string): Promise<string> {
    const file = await this.resolveFile('image', id);
    if (!file) throw new AppError('NOT_FOUND', 'The image file is not in the library folder any more.');
    // Only the path is wanted here (reveal, open, export): the check's handle is not kept.
    await file.handle.close();
    return file.filePath;
  }

  /** The file behind a gallery URL (see resolveGalleryFile); thumbnails are made on demand. */
  resolveFile(asset: string, rawId: string): Promise<ResolvedImageFile | null> {
    return resolveGalleryFile(asset, rawId, {
      relPathOf: (id) => this.index.get(id)?.relPath ?? null,
      libraryRoot: () => this.root(),
      thumbsRoot: () => this.deps.thumbs?.thumbsDir ?? '',
      thumbPathOf: async (id) => {
        const thumbs = this.deps.thumbs;
        const record = this.index.get(id);
        if (!thumbs || !record || record.status === 'missing') return null;
        return thumbs.ensure(id, join(this.root(), record.relPath), { priority: 'high' }).catch(() => null);
      },
    });
  }

  /**
   * Moves files into the library's "Recently deleted" folder (same volume: a rename) and records
   * it; `restore` brings them back. Missing files are recorded as trashed all the same.
   */
  async trash(ids: readonly string[]): Promise<string[]> {
    const moved: { id: string; trashRelPath: string }[] = [];
    for (const id of new Set(ids)) {
      const record = this.index.get(id);
      if (!record || record.trashed) continue;
      const trashRelPath = `${TRASH_DIR}/${id}${extname(record.relPath)}`;
      await mkdir(join(this.root(), TRASH_DIR), { recursive: true });
      await rename(join(this.root(), record.relPath), join(this.root(), trashRelPath)).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        },
      );
      moved.push({ id, trashRelPath });
    }
    return this.index.moveToTrash(
      moved.map((item) => item.id),
      moved.map((item) => item.trashRelPath),
      new Date(),
    );
  }

  async restore(ids: readonly string[]): Promise<string[]> {
    const restored = this.index.restore(ids);
    for (const item of restored) {
      const target = join(this.root(), item.to);
      await mkdir(dirname(target), { recursive: true });
      await rename(join(this.root(), item.from), target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    return restored.map((item) => item.id);
  }

  trashList(limit: number): { items: TrashedImage[]; total: number } {
    const { items } = this.index.trashPage(null, limit);
    return {
      items: items.map((item) => ({
        ...this.toWire(item),
        trashedAt: item.trashedAt,
        purgeAt: new Date(Date.parse(item.trashedAt) + TRASH_RETENTION_MS).toISOString(),
      })),
      total: this.index.trashCount(),
    };
  }

  /** From "Recently deleted" to the OS trash: out of the app, still recoverable by the user. */
  async purge(ids: readonly string[]): Promise<number> {
    const handedOver: string[] = [];
    for (const id of new Set(ids)) {
      const record = this.index.get(id);
      if (!record?.trashed) continue;
      const path = join(this.root(), record.relPath);
      try {
        await this.deps.shell.trashItem(path);
      } catch (error) {
        // A file already gone has nothing left to protect; any other failure keeps the image in
        // Recently deleted, so it is never dropped from the app while its file is still around.
        if (
          await stat(path).then(
            () => true,
            () => false,
          )
        ) {
          this.deps.log.warn('Could not move a file to the OS trash; it stays in Recently deleted', {
            imageId: id,
            error,
          });
          continue;
        }
      }
      handedOver.push(id);
    }
    const purged = this.index.purge(handedOver);
    for (const item of purged) await this.deps.thumbs?.remove(item.id);
    return purged.length;
  }

  /** Drops missing images (their file is gone) from the index; images with a file stay. */
  forget(ids: readonly string[]): string[] {
    return this.index.deleteMissing(ids);
  }

  /** Images in "Recently deleted" for longer than the retention go to the OS trash. */
  async purgeExpired(now = new Date()): Promise<number> {
    const expired = this.index.trashedBefore(new Date(now.getTime() - TRASH_RETENTION_MS).toISOString());
    return expired.length > 0 ? this.purge(expired) : 0;
  }

  /** Copies the files into a folder the user picks; names never clash with what is there. */
  async exportTo(ids: readonly string[], folder: string): Promise<number> {
    let count = 0;
    for (const id of new Set(ids)) {
      const source = await this.filePath(id).catch(() => null);
      if (!source) continue;
      const name = basename(source);
      const ext = extname(name);
      for (let attempt = 0; attempt < 1000; attempt += 1) {
        const target = join(
          folder,
          attempt === 0 ? name : `${name.slice(0, -ext.length)} (${attempt})${ext}`,
        );
        try {
          await copyFile(source, target, fsConstants.COPYFILE_EXCL);
          count += 1;
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
      }
    }
    return count;
  }

  status(): { images: number; missing: number; trashed: number } {
    return {
      images: this.index.count({}),
      missing: this.index.count({ status: 'missing' }),
      trashed: this.index.trashCount(),
    };
  }

  private require(id: string): ImageRecord {
    const record = this.index.get(id);
    if (!record) throw new AppError('NOT_FOUND', 'That image is not in the library.');
    return record;
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
      url: this.imageUrl('image', record.id),
      thumbUrl: this.imageUrl('thumb', record.id),
      origin: record.origin,
      status: record.status,
      favourite: record.favourite,
      rating: record.rating,
      parents: record.parents,
    };
  }
}

export function resultImageId(result: Pick<NewResult, 'kieTaskId' | 'resultIndex'>): string {
  return createHash('sha256')
    .update(`kie:${result.kieTaskId}:${result.resultIndex}`)
    .digest('hex')
    .slice(0, 32);
}
