import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_FILE_PATTERN } from '../fs/atomic';

/**
 * Removes half-written downloads (`.<name>.<hex>.part`) that a crash left in the library.
 * Only files older than `olderThanMs` go, so a download running right now is never touched.
 */
export async function sweepTempFiles(
  root: string,
  olderThanMs: number,
  nowMs = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !TEMP_FILE_PATTERN.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path).catch(() => null);
    if (info && nowMs - info.mtimeMs >= olderThanMs) {
      await rm(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}
