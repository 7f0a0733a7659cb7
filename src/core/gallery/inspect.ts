import type { ImageInspection } from '@shared/ipc/galleryRoutes';
import { AppError } from '@shared/ipc/result';
import { detectImageFormat, readImageDescription, readMetadata } from './metadata';

/**
 * What a file the user dropped or pasted is: checked by its content (not its name), decoded far
 * enough to know its size, and read for our embedded metadata. A file that is not a PNG, JPEG
 * or WebP image, or is damaged, is refused with a message that names the file.
 */
export async function inspectImage(bytes: Buffer, name: string): Promise<ImageInspection> {
  const label = name.trim() === '' ? 'The file' : `“${name}”`;
  if (bytes.length === 0) throw new AppError('VALIDATION', `${label} is empty.`);
  const format = detectImageFormat(bytes);
  if (!format) throw new AppError('VALIDATION', `${label} is not a PNG, JPEG or WebP image.`);
  const { default: sharp } = await import('sharp');
  const meta = await sharp(bytes, { failOn: 'truncated' })
    .metadata()
    .catch(() => null);
  if (!meta?.width || !meta.height) {
    throw new AppError('VALIDATION', `${label} looks like a ${format.toUpperCase()} image but is damaged.`);
  }
  return {
    format,
    width: meta.width,
    height: meta.height,
    metadata: readMetadata(bytes),
    description: readImageDescription(bytes),
  };
}
