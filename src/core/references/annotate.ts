import { createHash } from 'node:crypto';
import type { ImageFormat } from '@shared/domain/image';
import { marksLayerSchema, marksSvg, type MarksLayer } from '@shared/domain/marks';
import { AppError } from '@shared/ipc/result';
import type { Database } from '../db/database';
import type { Logger } from '../log/logger';
import type { ReferenceStore, StagedRecord } from './staging';

export interface ReferenceAnnotationsDeps {
  db: Database;
  references: ReferenceStore;
  now(): Date;
  log: Logger;
}

/** A marked copy and what it was made of: the reference the marks were drawn on, and the marks. */
export interface Annotation {
  original: StagedRecord;
  layer: MarksLayer;
}

/**
 * Marks drawn on a reference image (a box, an arrow, a note) to guide an edit. Saving flattens
 * them onto a copy of the original at its full size; the copy is staged like any reference (the
 * file KIE gets) and remembers its original and its marks (`reference_annotations`), so the
 * editor can open the original with the marks again and a result's lineage names both. The
 * original itself is never touched.
 */
export class ReferenceAnnotations {
  constructor(private readonly deps: ReferenceAnnotationsDeps) {}

  /**
   * Stages the copy of `originalId` with `layer` drawn on it. No marks, or marks that change no
   * pixel, give the original back. Throws VALIDATION naming the file when the original is gone
   * or the copy cannot be a reference (too big for any model); nothing is staged then.
   */
  async annotate(originalId: string, layer: MarksLayer): Promise<StagedRecord> {
    const original = this.deps.references.get(originalId);
    if (!original) {
      throw new AppError('VALIDATION', 'This reference image is no longer staged; add it again.', {
        referenceId: originalId,
      });
    }
    if (layer.marks.length === 0) return original;
    try {
      const { bytes } = await this.deps.references.read(originalId);
      const flattened = await flattenMarks(bytes, original.format, layer, original.name);
      const sha256 = createHash('sha256').update(flattened).digest('hex');
      if (sha256 === original.sha256) return original;
      const copy = await this.deps.references.add(flattened, markedName(original.name));
      this.deps.db
        .prepare(
          `INSERT INTO reference_annotations (id, original_id, marks, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET original_id = excluded.original_id, marks = excluded.marks`,
        )
        .run(copy.id, original.id, JSON.stringify(layer), this.deps.now().toISOString());
      this.deps.log.info('Reference marked', {
        referenceId: copy.id,
        originalId: original.id,
        marks: layer.marks.length,
      });
      const saved = this.deps.references.get(copy.id);
      if (!saved) throw new AppError('INTERNAL', 'The marked reference image could not be recorded.');
      return saved;
    } catch (error) {
      this.deps.log.warn('Could not save the marks on a reference', { referenceId: originalId, error });
      throw error;
    }
  }

  /** The original and the marks of a marked copy, or null when `id` is not one. */
  open(id: string): Annotation | null {
    const row = this.deps.db
      .prepare('SELECT original_id, marks FROM reference_annotations WHERE id = ?')
      .get(id) as { original_id: string; marks: string } | undefined;
    if (!row) return null;
    const original = this.deps.references.get(row.original_id);
    const layer = marksLayerSchema.safeParse(parseJson(row.marks));
    if (!original || !layer.success) {
      this.deps.log.warn('A marked reference has no readable original or marks', { referenceId: id });
      return null;
    }
    return { original, layer: layer.data };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** "photo.png" → "photo-marked.png"; marking a marked copy again does not stack the suffix. */
export function markedName(name: string): string {
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${stem.replace(/-marked$/, '')}-marked${extension}`;
}

/** JPEG and WebP copies are re-encoded at a quality that keeps the picture and its size close. */
const LOSSY_QUALITY = 92;

/**
 * The picture with the marks drawn on it, at its full size and in its own format. The picture is
 * turned upright first (EXIF orientation), as the editor showed it and as the layer's
 * coordinates are; a layer drawn on a picture of another size is refused, never stretched.
 */
export async function flattenMarks(
  bytes: Buffer,
  format: ImageFormat,
  layer: MarksLayer,
  name: string,
): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const meta = await sharp(bytes).metadata();
  const { width, height } = meta.autoOrient;
  if (width !== layer.width || height !== layer.height) {
    throw new AppError(
      'VALIDATION',
      `The marks were drawn on a picture of ${layer.width} × ${layer.height} pixels, but “${name}” is ${width} × ${height}.`,
      // Not width/height: those name a picture too big to read (stagingProblem's 'pixels').
      { problem: 'marksSize', pictureWidth: width, pictureHeight: height },
    );
  }
  const image = sharp(bytes, { failOn: 'truncated', autoOrient: true }).composite([
    { input: Buffer.from(marksSvg(layer)), top: 0, left: 0 },
  ]);
  const encoded =
    format === 'png'
      ? image.png()
      : format === 'jpeg'
        ? image.jpeg({ quality: LOSSY_QUALITY })
        : image.webp({ quality: LOSSY_QUALITY });
  return encoded.toBuffer().catch((error: unknown) => {
    throw new AppError('VALIDATION', `The marks could not be drawn on “${name}”.`, { cause: String(error) });
  });
}
