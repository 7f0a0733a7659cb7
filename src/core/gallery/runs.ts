import type { RunTag } from '@shared/domain/run';
import type { Database } from '../db/database';
import type { ImageIndex, ImageRecord } from './index';

/** A run's image, with the variant it shows (its params' run tag). */
export interface RunImageRecord {
  record: ImageRecord;
  run: RunTag;
}

/**
 * "The images of run X" and "the jobs of run X", each served by its own partial index
 * (migration 6: images_run, jobs_run) on the run id inside params. Kept out of ImageIndex, which
 * is big enough; the rows are read back through it, so they are parsed the one way.
 */
export class RunIndex {
  private readonly imageIds;
  private readonly jobRows;

  constructor(
    db: Database,
    private readonly images: ImageIndex,
  ) {
    this.imageIds = db.prepare(
      `SELECT id FROM images
       WHERE json_extract(params, '$.run.id') = ? AND trashed = 0
       ORDER BY created_at, id`,
    );
    this.jobRows = db.prepare(
      `SELECT state, json_extract(params, '$.run.size') AS size FROM jobs
       WHERE json_extract(params, '$.run.id') = ?
       ORDER BY created_at, id`,
    );
  }

  /** The run's images outside the trash, oldest first, each with its run tag. */
  imagesOf(runId: string): RunImageRecord[] {
    const rows = this.imageIds.all(runId) as unknown as { id: string }[];
    return rows.flatMap(({ id }) => {
      const record = this.images.get(id);
      const run = record?.params.run;
      return record && run && !record.trashed ? [{ record, run }] : [];
    });
  }

  /**
   * The run's jobs (a retried variant has more than one), oldest first: each one's state, and the
   * run's size as that job was tagged.
   */
  jobsOf(runId: string): { state: string; size: number | null }[] {
    return (this.jobRows.all(runId) as unknown as { state: string; size: unknown }[]).map((row) => ({
      state: row.state,
      size: typeof row.size === 'number' ? row.size : null,
    }));
  }
}

/**
 * The picture to show for each variant of a run: the newest image of each place in the run (a
 * variant retried after a failure has a later image), in run order.
 */
export function latestPerVariant(images: readonly RunImageRecord[]): RunImageRecord[] {
  const byIndex = new Map<number, RunImageRecord>();
  for (const image of images) {
    const seen = byIndex.get(image.run.index);
    if (!seen || seen.record.createdAt <= image.record.createdAt) byIndex.set(image.run.index, image);
  }
  return [...byIndex.values()].sort((a, b) => a.run.index - b.run.index);
}
