import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { imageFormatSchema, type ImageFormat } from '@shared/domain/image';
import type { EmbeddedMetadata } from '@shared/domain/imageMetadata';
import { MODELS, tooBigFor, type ModelId } from '@shared/domain/models';
import { megabytes, REFERENCE_MAX_BYTES, type StagedReference } from '@shared/domain/reference';
import { AppError } from '@shared/ipc/result';
import type { ResolvedImageFile } from '../core';
import { transaction, type Database } from '../db/database';
import { writeFileAtomic } from '../fs/atomic';
import { detectImageFormat } from '../gallery/metadata';
import { resolveStagedFile } from '../gallery/resolve';
import type { Logger } from '../log/logger';
import type { ImageUrlMaker } from '../ports';

/** One staged reference file and what is known about it (the `references_staged` row). */
export interface StagedRecord {
  /** The first 32 hex characters of `sha256`: the same bytes always get the same id. */
  id: string;
  sha256: string;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  /** More than 1 for an animated WebP; null when staged by a build that did not count them. */
  frames: number | null;
  name: string;
  /** The library image it was staged from, for lineage; null for a dropped or pasted file. */
  galleryImageId: string | null;
  /** The latest KIE upload of the file, when, and to which upload service. */
  kieUrl: string | null;
  kieUrlUploadedAt: string | null;
  kieUploadTarget: string | null;
  createdAt: string;
  /** For a copy with marks drawn on it: the staged reference it was drawn on (annotate.ts). */
  annotatedFrom: string | null;
}

interface StagedRow {
  id: string;
  sha256: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
  frames: number | null;
  name: string;
  gallery_image_id: string | null;
  kie_url: string | null;
  kie_url_uploaded_at: string | null;
  kie_upload_target: string | null;
  created_at: string;
  annotated_from: string | null;
}

const COLUMNS =
  'id, sha256, format, width, height, bytes, frames, name, gallery_image_id, kie_url, kie_url_uploaded_at, kie_upload_target, created_at';
const SELECT = `SELECT ${COLUMNS.split(', ')
  .map((column) => `s.${column}`)
  .join(', ')}, a.original_id AS annotated_from
  FROM references_staged AS s LEFT JOIN reference_annotations AS a ON a.id = s.id`;
/** How deep a copy of a copy of a marked reference is followed back to its first original. */
const MAX_ANNOTATION_DEPTH = 32;

/** A reference as a result's lineage records it (see ReferenceStore.lineage). */
export type ReferenceLineage = EmbeddedMetadata['references'][number];

/** What staging needs from the library: a gallery image's file, and whether it is still indexed. */
export interface ReferenceGallery {
  /** The image's file (checked to be inside the library) and its display name; NOT_FOUND if gone. */
  source(imageId: string): Promise<{ filePath: string; fileName: string }>;
  has(imageId: string): boolean;
}

export interface ReferenceStoreDeps {
  db: Database;
  /** `<dataDir>/staging`. */
  stagingDir: string;
  imageUrl: ImageUrlMaker;
  gallery: ReferenceGallery;
  now(): Date;
  log: Logger;
}

/** sharp's own decode limit (16383²): a small file can still unpack into a huge image. */
const MAX_DECODE_PIXELS = 0x3fff * 0x3fff;

const EXTENSIONS: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };
export const MIME_TYPES: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/**
 * Reference images for image-to-image, staged once and then used by id. Files live in
 * `<dataDir>/staging/<sha256>.<ext>`, written atomically and de-duplicated by content; the index
 * (and each file's latest KIE upload) is in SQLite so it survives restarts. Everything that could
 * make KIE refuse a file is checked here, before anything is sent, with a message naming it.
 */
export class ReferenceStore {
  constructor(private readonly deps: ReferenceStoreDeps) {}

  /** Stages a dropped or pasted file; the same bytes again give the same record. */
  async add(bytes: Buffer, name: string): Promise<StagedRecord> {
    return this.stage(bytes, name.trim(), null);
  }

  /** Stages a library image by id (its bytes are copied: the library file may later move). */
  async fromGallery(imageId: string): Promise<StagedRecord> {
    const { filePath, fileName } = await this.deps.gallery.source(imageId);
    const bytes = await readFile(filePath).catch(() => {
      throw new AppError('NOT_FOUND', `The image “${fileName}” is not in the library folder any more.`);
    });
    return this.stage(bytes, fileName, imageId);
  }

  get(id: string): StagedRecord | null {
    const row = this.deps.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as StagedRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** The records for `ids`, in order; ids not staged are left out. */
  list(ids: readonly string[]): StagedRecord[] {
    return ids.flatMap((id) => {
      const record = this.get(id);
      return record ? [record] : [];
    });
  }

  /**
   * Checks a job's references before it is queued: each is staged, the model takes that many,
   * and each file is within the model's own size limit (staging takes the largest any model
   * takes). Throws VALIDATION with a message the user can act on, naming the model.
   */
  checkForModel(ids: readonly string[], model: ModelId): void {
    const spec = MODELS[model];
    if (ids.length > spec.maxReferences) {
      throw new AppError(
        'VALIDATION',
        spec.maxReferences === 0
          ? `${model} does not take reference images; remove them or pick another model.`
          : `${model} takes at most ${spec.maxReferences} reference images; ${ids.length} are attached.`,
        { field: 'references', limit: spec.maxReferences, count: ids.length },
      );
    }
    const records = ids.map((id) => {
      const record = this.get(id);
      if (!record) {
        throw new AppError('VALIDATION', 'A reference image is no longer staged; add it again.', {
          field: 'references',
          referenceId: id,
        });
      }
      return record;
    });
    const [big] = tooBigFor(model, records);
    if (big) {
      throw new AppError(
        'VALIDATION',
        `“${big.name}” is ${megabytes(big.bytes)} MB; ${model} takes reference images up to ${megabytes(spec.referenceMaxBytes)} MB.`,
        {
          field: 'references',
          problem: 'size',
          referenceId: big.id,
          name: big.name,
          bytes: big.bytes,
          limit: spec.referenceMaxBytes,
          model,
        },
      );
    }
  }

  /** The staged file's bytes; VALIDATION (naming the file) when it was removed from disk. */
  async read(id: string): Promise<{ record: StagedRecord; bytes: Buffer }> {
    const record = this.get(id);
    if (!record) throw new AppError('VALIDATION', 'A reference image is no longer staged; add it again.');
    const bytes = await readFile(this.pathOf(record)).catch(() => {
      throw new AppError(
        'VALIDATION',
        `The reference image “${record.name}” is missing from the staging folder; add it again.`,
        { referenceId: id },
      );
    });
    return { record, bytes };
  }

  /**
   * What a result made from these references records: each reference (id and full hash, so a
   * rebuilt library can still tell which file it was; for a marked copy, also the file it was
   * drawn on) and, as its parents, the library images among them, in order and once each. A
   * marked copy of a library image has that image as its parent: the result was made from it,
   * through the copy.
   */
  lineage(ids: readonly string[]): { references: ReferenceLineage[]; parents: string[] } {
    const records = this.list(ids);
    const parents = records.flatMap((record) => {
      const origin = this.galleryOrigin(record);
      return origin ? [origin] : [];
    });
    return {
      references: records.map((record) => {
        const original = record.annotatedFrom ? this.get(record.annotatedFrom) : null;
        return original
          ? { id: record.id, sha256: record.sha256, drawnOn: { id: original.id, sha256: original.sha256 } }
          : { id: record.id, sha256: record.sha256 };
      }),
      parents: [...new Set(parents)],
    };
  }

  /** The library image a reference is, or (for a marked copy) the one its first original is. */
  private galleryOrigin(record: StagedRecord): string | null {
    let current: StagedRecord | null = record;
    for (let depth = 0; current && depth < MAX_ANNOTATION_DEPTH; depth += 1) {
      if (current.galleryImageId) return current.galleryImageId;
      current = current.annotatedFrom ? this.get(current.annotatedFrom) : null;
    }
    return null;
  }

  /** Remembers where KIE has the file now. */
  recordUpload(id: string, upload: { url: string; target: string; at: Date }): void {
    this.deps.db
      .prepare(
        'UPDATE references_staged SET kie_url = ?, kie_url_uploaded_at = ?, kie_upload_target = ? WHERE id = ?',
      )
      .run(upload.url, upload.at.toISOString(), upload.target, id);
  }

  /** Forgets uploads KIE no longer has, so the next use uploads again. */
  forgetUploads(ids: readonly string[]): void {
    const statement = this.deps.db.prepare(
      'UPDATE references_staged SET kie_url = NULL, kie_url_uploaded_at = NULL, kie_upload_target = NULL WHERE id = ?',
    );
    transaction(this.deps.db, () => {
      for (const id of ids) statement.run(id);
    });
  }

  /** The staged file behind a `ref` URL (see resolveStagedFile), or null. */
  resolveFile(rawId: string): Promise<ResolvedImageFile | null> {
    return resolveStagedFile(rawId, {
      fileNameOf: (id) => {
        const record = this.get(id);
        return record ? stagedFileName(record) : null;
      },
      stagingRoot: () => this.deps.stagingDir,
    });
  }

  toWire(record: StagedRecord): StagedReference {
    const url = this.deps.imageUrl('ref', record.id);
    const fromLibrary = record.galleryImageId !== null && this.deps.gallery.has(record.galleryImageId);
    return {
      id: record.id,
      name: record.name,
      format: record.format,
      width: record.width,
      height: record.height,
      bytes: record.bytes,
      frames: record.frames ?? 1,
      url,
      thumbUrl:
        fromLibrary && record.galleryImageId ? this.deps.imageUrl('thumb', record.galleryImageId) : url,
      galleryImageId: record.galleryImageId,
      ...(record.annotatedFrom ? { annotatedFrom: record.annotatedFrom } : {}),
    };
  }

  pathOf(record: Pick<StagedRecord, 'sha256' | 'format'>): string {
    return join(this.deps.stagingDir, stagedFileName(record));
  }

  private async stage(bytes: Buffer, name: string, galleryImageId: string | null): Promise<StagedRecord> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = sha256.slice(0, 32);
    const existing = this.get(id);
    if (existing && existing.sha256 !== sha256) {
      // Two files sharing a 128-bit prefix: never expected, but never mixed up either.
      throw new AppError('INTERNAL', 'Two different reference files have the same id.', { id });
    }
    // The same bytes were checked when first staged; only new ones are decoded (and the frames
    // of one staged before they were counted).
    const checked: StagedRecord | CheckedImage = existing ?? (await checkReferenceImage(bytes, name));
    const frames = checked.frames ?? (await countFrames(bytes));
    const path = this.pathOf({ sha256, format: checked.format });
    // The index may outlive its file (a cleaned data folder): the bytes are at hand, so restore it.
    if (!existing || !(await isFile(path))) {
      await mkdir(this.deps.stagingDir, { recursive: true });
      await writeFileAtomic(path, bytes);
    }
    // Concurrent adds of the same bytes land on the same row; a gallery origin, once known, stays.
    this.deps.db
      .prepare(
        `INSERT INTO references_staged (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)
         ON CONFLICT (id) DO UPDATE SET
           gallery_image_id = coalesce(references_staged.gallery_image_id, excluded.gallery_image_id),
           frames = coalesce(references_staged.frames, excluded.frames)`,
      )
      .run(
        id,
        sha256,
        checked.format,
        checked.width,
        checked.height,
        bytes.length,
        frames,
        name === '' ? `reference.${EXTENSIONS[checked.format]}` : name,
        galleryImageId,
        this.deps.now().toISOString(),
      );
    const record = this.get(id);
    if (!record) throw new AppError('INTERNAL', 'The reference image could not be recorded.');
    if (!existing) {
      this.deps.log.info('Reference staged', {
        referenceId: id,
        format: record.format,
        bytes: record.bytes,
        width: record.width,
        height: record.height,
        frames,
      });
    }
    return record;
  }
}

export interface CheckedImage {
  format: ImageFormat;
  width: number;
  height: number;
  /** 1 for a still image; an animated WebP has more (only the first is used). */
  frames: number;
}

/**
 * Whether KIE can take these bytes as a reference image: not empty, within the largest size any
 * model takes (each model's own limit is checked with the job, see checkForModel), a
 * PNG, JPEG or WebP by content (the name's extension is not trusted), and decodable all the way
 * through (a truncated file has a fine header but would fail at KIE, or worse, half-render).
 * A very large or an animated image is taken: the tray tells what KIE makes of it.
 */
export async function checkReferenceImage(bytes: Buffer, name: string): Promise<CheckedImage> {
  const label = name.trim() === '' ? 'The file' : `“${name.trim()}”`;
  if (bytes.length === 0) throw new AppError('VALIDATION', `${label} is empty.`, { name, problem: 'empty' });
  if (bytes.length > REFERENCE_MAX_BYTES) {
    throw new AppError(
      'VALIDATION',
      `${label} is ${megabytes(bytes.length)} MB; reference images can be at most ${megabytes(REFERENCE_MAX_BYTES)} MB.`,
      { name, problem: 'size', bytes: bytes.length, limit: REFERENCE_MAX_BYTES },
    );
  }
  const format = detectImageFormat(bytes);
  if (!format) {
    throw new AppError('VALIDATION', `${label} is not a PNG, JPEG or WebP image, which is what KIE takes.`, {
      name,
      problem: 'type',
    });
  }
  const { default: sharp } = await import('sharp');
  const damaged = (): AppError =>
    new AppError('VALIDATION', `${label} looks like a ${format.toUpperCase()} image but is damaged.`, {
      name,
      problem: 'damaged',
    });
  const meta = await sharp(bytes, { failOn: 'truncated' })
    .metadata()
    .catch(() => null);
  if (!meta?.width || !meta.height) throw damaged();
  if (meta.width * meta.height > MAX_DECODE_PIXELS) {
    throw new AppError(
      'VALIDATION',
      `${label} is ${meta.width} × ${meta.height} pixels, more than Banana Studio can read.`,
      { name, problem: 'pixels', width: meta.width, height: meta.height },
    );
  }
  // A full decode into a tiny buffer: cheap in memory, and it reads every pixel row.
  await sharp(bytes, { failOn: 'truncated' })
    .resize(16, 16, { fit: 'inside' })
    .raw()
    .toBuffer()
    .catch(() => {
      throw damaged();
    });
  return { format, width: meta.width, height: meta.height, frames: meta.pages ?? 1 };
}

/** The frames of an image already checked; 1 when it cannot tell. */
async function countFrames(bytes: Buffer): Promise<number> {
  const { default: sharp } = await import('sharp');
  const meta = await sharp(bytes)
    .metadata()
    .catch(() => null);
  return meta?.pages ?? 1;
}

/** `<sha256>.<ext>`: the staged file's name, and the name it is uploaded under. */
export function stagedFileName(record: Pick<StagedRecord, 'sha256' | 'format'>): string {
  return `${record.sha256}.${EXTENSIONS[record.format]}`;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path)
    .then((info) => info.isFile())
    .catch(() => false);
}

function fromRow(row: StagedRow): StagedRecord {
  return {
    id: row.id,
    sha256: row.sha256,
    format: imageFormatSchema.parse(row.format),
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    frames: row.frames,
    name: row.name,
    galleryImageId: row.gallery_image_id,
    kieUrl: row.kie_url,
    kieUrlUploadedAt: row.kie_url_uploaded_at,
    kieUploadTarget: row.kie_upload_target,
    createdAt: row.created_at,
    annotatedFrom: row.annotated_from,
  };
}
