import { jobParamsSchema, type JobParams } from '@shared/domain/job';
import { imageFormatSchema, type GalleryCursor, type ImageFormat } from '@shared/domain/image';
import type { Database } from '../db/database';

export interface ImageRecord {
  id: string;
  jobId: string | null;
  kieTaskId: string | null;
  resultIndex: number;
  params: JobParams;
  relPath: string;
  width: number;
  height: number;
  format: ImageFormat;
  bytes: number;
  demo: boolean;
  createdAt: string;
}

interface ImageRow {
  id: string;
  job_id: string | null;
  kie_task_id: string | null;
  result_index: number;
  params: string;
  rel_path: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  demo: number;
  created_at: string;
}

const COLUMNS =
  'id, job_id, kie_task_id, result_index, params, rel_path, width, height, format, bytes, demo, created_at';

/** The images table: the gallery index. Rows are parsed on the way out (the file is a boundary). */
export class ImageIndex {
  constructor(private readonly db: Database) {}

  /** Inserts unless this KIE result is already in the library; returns the stored record either way. */
  insert(record: ImageRecord): { record: ImageRecord; inserted: boolean } {
    if (record.kieTaskId !== null) {
      const existing = this.byTaskResult(record.kieTaskId, record.resultIndex);
      if (existing) return { record: existing, inserted: false };
    }
    this.db
      .prepare(`INSERT INTO images (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        record.id,
        record.jobId,
        record.kieTaskId,
        record.resultIndex,
        JSON.stringify(record.params),
        record.relPath,
        record.width,
        record.height,
        record.format,
        record.bytes,
        record.demo ? 1 : 0,
        record.createdAt,
      );
    return { record, inserted: true };
  }

  get(id: string): ImageRecord | null {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM images WHERE id = ?`).get(id) as ImageRow | undefined;
    return row ? fromRow(row) : null;
  }

  byTaskResult(kieTaskId: string, resultIndex: number): ImageRecord | null {
    const row = this.db
      .prepare(`SELECT ${COLUMNS} FROM images WHERE kie_task_id = ? AND result_index = ?`)
      .get(kieTaskId, resultIndex) as ImageRow | undefined;
    return row ? fromRow(row) : null;
  }

  idsForJob(jobId: string): string[] {
    const rows = this.db
      .prepare('SELECT id FROM images WHERE job_id = ? ORDER BY result_index')
      .all(jobId) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /** Newest first, keyset-paged by (created_at, id). */
  page(
    cursor: GalleryCursor | null,
    limit: number,
  ): { items: ImageRecord[]; nextCursor: GalleryCursor | null } {
    const rows = (cursor === null
      ? this.db
          .prepare(`SELECT ${COLUMNS} FROM images ORDER BY created_at DESC, id DESC LIMIT ?`)
          .all(limit + 1)
      : this.db
          .prepare(
            `SELECT ${COLUMNS} FROM images WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`,
          )
          .all(cursor.createdAt, cursor.id, limit + 1)) as unknown as ImageRow[];
    const items = rows.slice(0, limit).map(fromRow);
    const last = items[items.length - 1];
    const nextCursor = rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null;
    return { items, nextCursor };
  }
}

function fromRow(row: ImageRow): ImageRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    kieTaskId: row.kie_task_id,
    resultIndex: row.result_index,
    params: jobParamsSchema.parse(JSON.parse(row.params)),
    relPath: row.rel_path,
    width: row.width,
    height: row.height,
    format: imageFormatSchema.parse(row.format),
    bytes: row.bytes,
    demo: row.demo === 1,
    createdAt: row.created_at,
  };
}
