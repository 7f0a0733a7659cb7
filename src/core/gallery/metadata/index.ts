import { readFile, stat } from 'node:fs/promises';
import type { ImageFormat } from '@shared/domain/image';
import { AppError } from '@shared/ipc/result';
import { embedJpegMetadata, readJpegMetadata, readJpegXmp } from './jpeg';
import { embedPngMetadata, PNG_SIGNATURE, readPngDescription, readPngMetadata } from './png';
import { embeddedMetadataSchema, type EmbeddedMetadata } from './schema';
import { embedWebpMetadata, readWebpMetadata, readWebpXmp } from './webp';
import { readDescription } from './xmp';

export {
  EMBEDDED_METADATA_APP,
  EMBEDDED_METADATA_VERSION,
  embeddedMetadataSchema,
  parseEmbeddedMetadata,
  type EmbeddedMetadata,
} from './schema';

/** Library images are at most 30 MB; a bigger file in the folder is not one of ours. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

interface FormatCodec {
  embed(bytes: Buffer, meta: EmbeddedMetadata): Buffer;
  read(bytes: Buffer): EmbeddedMetadata | null;
  description(bytes: Buffer): string | null;
}

const CODECS: Record<ImageFormat, FormatCodec> = {
  png: { embed: embedPngMetadata, read: readPngMetadata, description: readPngDescription },
  jpeg: { embed: embedJpegMetadata, read: readJpegMetadata, description: xmpDescription(readJpegXmp) },
  webp: { embed: embedWebpMetadata, read: readWebpMetadata, description: xmpDescription(readWebpXmp) },
};

/** The format from the magic bytes; the file name's extension is not trusted. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && PNG_SIGNATURE.equals(bytes.subarray(0, 8))) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return null;
}

/**
 * A copy of the image with our metadata embedded (replacing any from an earlier embed). Only
 * metadata chunks/segments change; the pixel data is never re-encoded. Throws a VALIDATION
 * AppError for an unsupported or damaged file, or metadata that would not read back.
 */
export function embedMetadata(bytes: Buffer, meta: EmbeddedMetadata): Buffer {
  const format = detectImageFormat(bytes);
  if (!format) throw new AppError('VALIDATION', 'Metadata can only be embedded in PNG, JPEG or WebP images.');
  const checked = embeddedMetadataSchema.safeParse(meta);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new AppError(
      'VALIDATION',
      `The image metadata is invalid (${issue?.path.join('.')}: ${issue?.message}).`,
    );
  }
  return CODECS[format].embed(bytes, checked.data);
}

/** Our metadata, or null for any file that does not carry valid metadata of ours. Never throws. */
export function readMetadata(bytes: Buffer): EmbeddedMetadata | null {
  const format = detectImageFormat(bytes);
  try {
    return format ? CODECS[format].read(bytes) : null;
  } catch {
    return null;
  }
}

/** The image's caption (ours or another app's): PNG `Description`, else XMP `dc:description`. */
export function readImageDescription(bytes: Buffer): string | null {
  const format = detectImageFormat(bytes);
  try {
    return format ? CODECS[format].description(bytes) : null;
  } catch {
    return null;
  }
}

/** As `readMetadata`, for a file on disk. I/O errors (missing file, no permission) are thrown. */
export async function readMetadataFromFile(path: string): Promise<EmbeddedMetadata | null> {
  const { size } = await stat(path);
  if (size > MAX_FILE_BYTES) return null;
  return readMetadata(await readFile(path));
}

function xmpDescription(readXmp: (bytes: Buffer) => string | null): (bytes: Buffer) => string | null {
  return (bytes) => {
    const xmp = readXmp(bytes);
    return xmp === null ? null : readDescription(xmp);
  };
}
