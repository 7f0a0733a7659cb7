import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp path in the same folder as `finalPath`, so the final rename is atomic. */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${randomBytes(6).toString('hex')}.part`);
}

/** Marks files this app left behind half-written; the start-up sweep removes them. */
export const TEMP_FILE_PATTERN = /^\..+\.[0-9a-f]{12}\.part$/;

/** fsyncs a directory so a rename inside it survives a power cut (best effort: not on Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

/** The one atomic-write helper: temp file in the same folder, fsync, rename, fsync the folder. */
export async function writeFileAtomic(finalPath: string, data: Uint8Array | string): Promise<void> {
  const temp = tempPathFor(finalPath);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, finalPath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dirname(finalPath));
}

/** Moves an fsynced temp file into place atomically. */
export async function commitTempFile(tempPath: string, finalPath: string): Promise<void> {
  await rename(tempPath, finalPath);
  await fsyncDir(dirname(finalPath));
}
