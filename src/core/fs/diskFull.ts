import { statfs } from 'node:fs/promises';
import { AppError, isAppError } from '@shared/ipc/result';

/** SQLite's result code for "database or disk is full". */
const SQLITE_FULL = 13;

/**
 * Whether an error means the disk is full: a file write (ENOSPC, EDQUOT for a quota) or a
 * SQLite write (SQLITE_FULL), however deep it was wrapped.
 */
export function isDiskFull(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    if (isAppError(current) && current.code === 'DISK_FULL') return true;
    if (typeof current !== 'object') return false;
    const record = current as { code?: unknown; errcode?: unknown; message?: unknown; cause?: unknown };
    if (record.code === 'ENOSPC' || record.code === 'EDQUOT') return true;
    if (record.errcode === SQLITE_FULL) return true;
    if (
      typeof record.message === 'string' &&
      /database or disk is full|ENOSPC|no space left/i.test(record.message)
    )
      return true;
    current = record.cause;
  }
  return false;
}

export function diskFullError(where: string): AppError {
  return new AppError(
    'DISK_FULL',
    `The disk is full (${where}). Free some space; Banana Studio goes on by itself.`,
    {
      where,
    },
  );
}

/** Free space below which a full disk is taken to be still full. */
const HEADROOM_BYTES = 32 * 1024 * 1024;

/** Whether the disk holding `dir` has room again (a disk-full pause may end). */
export async function hasRoom(dir: string): Promise<boolean> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize > HEADROOM_BYTES;
}
