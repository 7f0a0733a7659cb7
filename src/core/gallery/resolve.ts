import { extname, isAbsolute, join } from 'node:path';
import type { ResolvedImageFile } from '../core';
import { openInsideRoots } from '../fs/checkedOpen';

/** `ref`: a staged reference image (core/references), served from the staging folder. */
export const GALLERY_ASSETS = ['image', 'thumb', 'ref'] as const;
export type GalleryAsset = (typeof GALLERY_ASSETS)[number];

const MIME: Record<string, ResolvedImageFile['mimeType']> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/** Image ids are 32 lowercase hex characters; nothing else ever reaches the file system. */
const IMAGE_ID = /^[0-9a-f]{32}$/;
/** Reference ids are a SHA-256 prefix: 32 to 64 lowercase hex characters. */
const REFERENCE_ID = /^[0-9a-f]{32,64}$/;

export interface GalleryResolverDeps {
  /** The library-relative path of an image id, or null when the index does not know it. */
  relPathOf(imageId: string): string | null;
  libraryRoot(): string;
  /** The cached thumbnail of an image, creating it first if needed; null when it cannot be made. */
  thumbPathOf(imageId: string): Promise<string | null>;
  thumbsRoot(): string;
}

/**
 * The one place a gallery URL turns into a file, shared by Electron's `gallery://<asset>/<id>`
 * protocol and the harness's `/gallery/<asset>/<id>`. `rawId` is the id exactly as it appeared
 * in the URL (still percent-encoded): it must be a plain hex id before any decoding, so encoded,
 * double-encoded or Windows-style tricks never get as far as a path. The file the index points
 * at is then opened once (openInsideRoots): it must really lie inside its root, be a regular file
 * and have an image extension, checked on the open handle the host streams from. Anything else:
 * null, which hosts answer with 404. Staged references (`ref`) are not library files:
 * resolveStagedFile serves them.
 */
export async function resolveGalleryFile(
  asset: string,
  rawId: string,
  deps: GalleryResolverDeps,
): Promise<ResolvedImageFile | null> {
  if (!IMAGE_ID.test(rawId)) return null;
  try {
    if (asset === 'image') {
      const relPath = deps.relPathOf(rawId);
      if (relPath === null || !isPlainRelativePath(relPath)) return null;
      return await fileInside(deps.libraryRoot(), join(deps.libraryRoot(), relPath));
    }
    if (asset === 'thumb') {
      if (deps.relPathOf(rawId) === null) return null;
      const thumb = await deps.thumbPathOf(rawId);
      return thumb === null ? null : await fileInside(deps.thumbsRoot(), thumb);
    }
  } catch {
    return null;
  }
  return null;
}

export interface StagedFileResolverDeps {
  /** The staged file's name (`<sha256>.<ext>`) for a reference id, or null when none is staged. */
  fileNameOf(referenceId: string): string | null;
  stagingRoot(): string;
}

/**
 * The `ref` asset: `gallery://ref/<id>` (`/gallery/ref/<id>` in the harness) to a staged
 * reference file, with the same hardening as library images: a plain hex id before any decoding,
 * a bare file name from the index, and the real file inside the staging folder.
 */
export async function resolveStagedFile(
  rawId: string,
  deps: StagedFileResolverDeps,
): Promise<ResolvedImageFile | null> {
  if (!REFERENCE_ID.test(rawId)) return null;
  try {
    const fileName = deps.fileNameOf(rawId);
    if (fileName === null || !isPlainRelativePath(fileName) || fileName.includes('/')) return null;
    return await fileInside(deps.stagingRoot(), join(deps.stagingRoot(), fileName));
  } catch {
    return null;
  }
}

/** A stored path must be relative, forward-slashed and free of `..`, NUL and drive letters. */
function isPlainRelativePath(relPath: string): boolean {
  if (relPath === '' || relPath.includes('\0') || relPath.includes('\\') || isAbsolute(relPath)) return false;
  if (/^[A-Za-z]:/.test(relPath)) return false;
  return relPath.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

async function fileInside(root: string, candidate: string): Promise<ResolvedImageFile | null> {
  const mimeType = MIME[extname(candidate).toLowerCase()];
  if (!mimeType) return null;
  const file = await openInsideRoots(candidate, [root]);
  if (!file) return null;
  // The real target's extension counts too: a .png symlink to a .txt inside the root is refused.
  if (MIME[extname(file.realPath).toLowerCase()] !== mimeType) {
    await file.handle.close();
    return null;
  }
  return { filePath: file.realPath, mimeType, size: file.size, handle: file.handle };
}
