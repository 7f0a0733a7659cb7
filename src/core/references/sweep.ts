import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_FILE_PATTERN } from '../fs/atomic';
import { transaction, type Database } from '../db/database';
import type { Logger } from '../log/logger';
import { stagedFileName, type StagedRecord } from './staging';

/** A staged reference nobody used is kept this long: the tray of a session a day ago is gone. */
export const UNUSED_REFERENCE_TTL_MS = 24 * 60 * 60 * 1000;

export interface StagingSweepDeps {
  db: Database;
  /** `<dataDir>/staging`. */
  stagingDir: string;
  now(): Date;
  log: Logger;
  /** Default UNUSED_REFERENCE_TTL_MS. */
  unusedTtlMs?: number;
}

export interface StagingSweepReport {
  /** Staged references no job or image uses, older than the TTL: row and file removed. */
  unused: number;
  /** Files in the staging folder that no row describes (a crash between the write and the row). */
  orphans: number;
  bytesFreed: number;
}

/**
 * Frees the staging folder of references nobody will ask for again. A staged file stays while
 * any job (queued, failed and retryable, or done) or any image (also in Recently deleted, which
 * can be restored) lists it in its params: it is that image's "Made from". A reference with a
 * marked copy stays as long as the copy does: it is the copy's original, opened to edit the
 * marks again (a copy that goes takes its annotation row with it). What goes: files
 * dropped or pasted and never sent, once they are older than the TTL, and files without a row.
 * Run at start-up, when no tray holds anything yet. Never throws; a file that cannot be removed
 * keeps its row, so the next sweep tries again.
 */
export async function sweepStagedReferences(deps: StagingSweepDeps): Promise<StagingSweepReport> {
  const report: StagingSweepReport = { unused: 0, orphans: 0, bytesFreed: 0 };
  const cutoff = new Date(deps.now().getTime() - (deps.unusedTtlMs ?? UNUSED_REFERENCE_TTL_MS)).toISOString();
  const unused = deps.db
    .prepare(
      `SELECT id, sha256, format, bytes FROM references_staged AS s
       WHERE s.created_at < ?
         AND NOT EXISTS (SELECT 1 FROM jobs AS j, json_each(j.params, '$.references') AS r WHERE r.value = s.id)
         AND NOT EXISTS (SELECT 1 FROM images AS i, json_each(i.params, '$.references') AS r WHERE r.value = s.id)
         AND NOT EXISTS (SELECT 1 FROM reference_annotations AS a WHERE a.original_id = s.id)`,
    )
    .all(cutoff) as unknown as Pick<StagedRecord, 'id' | 'sha256' | 'format' | 'bytes'>[];

  const removed: string[] = [];
  for (const record of unused) {
    try {
      await rm(join(deps.stagingDir, stagedFileName(record)), { force: true });
      removed.push(record.id);
      report.bytesFreed += record.bytes;
    } catch (error) {
      deps.log.warn('Could not remove an unused staged reference', { id: record.id, error });
    }
  }
  if (removed.length > 0) {
    const drop = deps.db.prepare('DELETE FROM references_staged WHERE id = ?');
    transaction(deps.db, () => {
      for (const id of removed) drop.run(id);
    });
  }
  report.unused = removed.length;

  // Files no row describes. Only ones older than the cutoff: a file being staged right now is
  // written before its row.
  const known = new Set(
    (deps.db.prepare('SELECT sha256, format FROM references_staged').all() as unknown as StagedRecord[]).map(
      (record) => stagedFileName(record),
    ),
  );
  const entries = await readdir(deps.stagingDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || known.has(entry.name) || TEMP_FILE_PATTERN.test(entry.name)) continue;
    const path = join(deps.stagingDir, entry.name);
    const info = await stat(path).catch(() => null);
    if (!info || info.mtime.toISOString() >= cutoff) continue;
    await rm(path, { force: true }).then(
      () => {
        report.orphans += 1;
        report.bytesFreed += info.size;
      },
      (error: unknown) => deps.log.warn('Could not remove a stray staging file', { name: entry.name, error }),
    );
  }
  if (report.unused + report.orphans > 0) {
    deps.log.info('Staging folder swept', { ...report });
  }
  return report;
}
