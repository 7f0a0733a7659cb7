import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';

/** A regular file opened inside an allowed root; the caller owns (and must close) the handle. */
export interface CheckedFile {
  handle: FileHandle;
  /** The file's real path (symlinks resolved) at the time of the open. */
  realPath: string;
  size: number;
}

// Windows has neither flag; there a symlink needs admin rights and a FIFO is no file path.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCK = constants.O_NONBLOCK ?? 0;
const OPEN_FLAGS = constants.O_RDONLY | NO_FOLLOW | NON_BLOCK;

/**
 * Opens `candidate` for reading only if it is a regular file whose real path lies inside one of
 * `roots`, and returns the open handle so the bytes come from exactly the file that was checked.
 *
 * Checking a path and then opening it again leaves a window in which a symlink or a FIFO can be
 * swapped in (an outside audit served /etc/passwd through it). So the last component is opened
 * with O_NOFOLLOW (a symlink there now fails), O_NONBLOCK (a FIFO cannot hang the open), and the
 * checks that matter run on the open handle: fstat says a regular file, and the handle's own path
 * (Linux: /proc/self/fd) is inside a root. Where the kernel does not tell a handle's path, the
 * path must still resolve to itself and name the same inode after the open. Null for anything
 * else, never an exception.
 */
export async function openInsideRoots(
  candidate: string,
  roots: readonly string[],
): Promise<CheckedFile | null> {
  if (candidate.includes('\0')) return null;
  const realRoots = (await Promise.all(roots.map((root) => realpath(root).catch(() => null)))).filter(
    (root): root is string => root !== null,
  );
  const real = await realpath(candidate).catch(() => null);
  if (real === null || !isInsideAny(real, realRoots)) return null;
  const handle = await open(real, OPEN_FLAGS).catch(() => null);
  if (handle === null) return null;
  try {
    const info = await handle.stat();
    if (info.isFile() && (await handleIsInside(handle, info, real, realRoots))) {
      return { handle, realPath: real, size: info.size };
    }
  } catch {
    // A file that went away or cannot be read between the calls is simply not served.
  }
  await handle.close().catch(() => undefined);
  return null;
}

/** Whether `path` lies strictly inside one of `roots` (all real paths). */
export function isInsideAny(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const inside = relative(root, path);
    return inside !== '' && !isAbsolute(inside) && inside !== '..' && !inside.startsWith(`..${sep}`);
  });
}

async function handleIsInside(
  handle: FileHandle,
  info: Stats,
  real: string,
  roots: readonly string[],
): Promise<boolean> {
  if (process.platform === 'linux') {
    const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => null);
    if (opened !== null) return isInsideAny(opened, roots);
  }
  // No kernel answer: a folder swapped for a symlink during the open shows as a path that no
  // longer resolves to itself, or as another inode behind it.
  const again = await realpath(real).catch(() => null);
  if (again !== real) return false;
  const now = await lstat(real).catch(() => null);
  return now !== null && now.isFile() && now.ino === info.ino && now.dev === info.dev;
}
