import { constants as fsConstants } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { LibraryMoveProblem } from '@shared/ipc/galleryRoutes';
import { AppError } from '@shared/ipc/result';
import { fsyncDir, TEMP_FILE_PATTERN } from '../fs/atomic';

export interface MoveReport {
  files: number;
  bytes: number;
  /** True when the whole folder could be renamed in one step (same drive). */
  renamed: boolean;
}

/** `details.problem` lets the UI explain it in the user's language. */
const problem = (kind: LibraryMoveProblem, message: string): AppError =>
  new AppError('VALIDATION', message, { problem: kind });

const isInside = (parent: string, child: string): boolean => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Moves the library folder's contents to `to` without ever having only half a library: on the
 * same drive one rename does it; otherwise every file is copied (no overwrite), flushed and
 * size-checked first, and the originals are removed only after all copies are safe. Throws a
 * VALIDATION AppError for a target that cannot work, leaving everything where it was.
 */
export async function moveLibrary(from: string, to: string): Promise<MoveReport> {
  const source = resolve(from);
  const target = resolve(to);
  if (!isAbsolute(to)) throw problem('relative', 'Choose a full folder path for the library.');
  if (isInside(source, target) || isInside(target, source)) {
    throw problem('nested', 'The new library folder cannot be inside the current one, or contain it.');
  }
  const targetEntries = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw problem('unusable', `The folder ${target} cannot be used: ${error.code ?? error.message}.`);
  });
  if (targetEntries.some((name) => !name.startsWith('.'))) {
    throw problem(
      'not-empty',
      'Choose an empty folder for the library, so no file gets mixed up or replaced.',
    );
  }
  const sourceExists = await stat(source).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!sourceExists) {
    await mkdir(target, { recursive: true });
    return { files: 0, bytes: 0, renamed: false };
  }

  if (targetEntries.length === 0) {
    // Same drive: one atomic rename, nothing copied. EXDEV means another drive.
    await mkdir(dirname(target), { recursive: true });
    await rmdir(target).catch(() => undefined);
    try {
      await rename(source, target);
      await fsyncDir(dirname(target));
      const { files, bytes } = await tally(target);
      return { files, bytes, renamed: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    }
  }

  const files = (await readdir(source, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && !TEMP_FILE_PATTERN.test(entry.name))
    .map((entry) => relative(source, join(entry.parentPath, entry.name)));
  let bytes = 0;
  const copied: string[] = [];
  try {
    for (const rel of files) {
      const destination = join(target, rel);
      await mkdir(dirname(destination), { recursive: true });
      await copyFile(join(source, rel), destination, fsConstants.COPYFILE_EXCL);
      copied.push(destination);
      const handle = await open(destination, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const [a, b] = await Promise.all([stat(join(source, rel)), stat(destination)]);
      if (a.size !== b.size) throw new AppError('INTERNAL', `Copying ${rel} went wrong (size differs).`);
      bytes += b.size;
    }
  } catch (error) {
    // Back out: the originals were never touched.
    await Promise.all(copied.map((path) => rm(path, { force: true })));
    throw error;
  }
  for (const rel of files) await rm(join(source, rel), { force: true });
  await removeEmptyFolders(source);
  return { files: files.length, bytes, renamed: false };
}

async function tally(root: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files += 1;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

/** Deepest first; a folder that still holds something (a user's own file) stays. */
async function removeEmptyFolders(root: string): Promise<void> {
  const folders = (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort((a, b) => b.split(sep).length - a.split(sep).length);
  for (const folder of [...folders, root]) await rmdir(folder).catch(() => undefined);
}
