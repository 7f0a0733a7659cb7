import type { ImageFormat } from '@shared/domain/image';

const EXTENSIONS: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

export function extensionFor(format: ImageFormat): string {
  return EXTENSIONS[format];
}

/**
 * A readable, file-system-safe slug of the prompt. Letters of any script are kept (Chinese
 * prompts give Chinese file names); everything else collapses to single dashes.
 */
export function promptSlug(prompt: string, maxLength = 40): string {
  const slug = prompt
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  const cut = Array.from(slug).slice(0, maxLength).join('').replace(/-+$/g, '');
  return cut === '' ? 'image' : cut;
}

/** `YYYY/MM/<YYYY-MM-DD>_<prompt-slug>_<short-id>.<ext>`, relative to the library root (POSIX separators). */
export function libraryRelativePath(
  createdAt: Date,
  prompt: string,
  imageId: string,
  format: ImageFormat,
): string {
  const iso = createdAt.toISOString();
  const year = iso.slice(0, 4);
  const month = iso.slice(5, 7);
  const day = iso.slice(0, 10);
  const shortId = imageId
    .replace(/[^0-9a-z]/gi, '')
    .slice(0, 8)
    .toLowerCase();
  return `${year}/${month}/${day}_${promptSlug(prompt)}_${shortId}.${extensionFor(format)}`;
}
