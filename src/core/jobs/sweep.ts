import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_FILE_PATTERN } from '../fs/atomic';

/**
 * Removes half-written files (`.<name>.<hex>.part`) that a crash left under `root`. Only files
 * last written before `staleBeforeMs` (this process's start) go: a download this process is
 * writing right now has a newer mtime and is never touched, whatever its age.
 */
export async function sweepTempFiles(root: string, staleBeforeMs: number): Promise<string[]> {
  const removed: string[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !TEMP_FILE_PATTERN.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs < staleBeforeMs) {
      await rm(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}
