import { open, readFile, stat, writeFile } from 'node:fs/promises';
import type { ImageFormat } from '@shared/domain/image';
import { AppError } from '@shared/ipc/result';
import { embedJpegMetadata, readJpegMetadata, readJpegXmp } from './jpeg';
import {
  embedPngMetadata,
  metadataChunks,
  PNG_IEND,
  PNG_SIGNATURE,
  readPngDescription,
  readPngMetadata,
} from './png';
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

/**
 * Embeds metadata into a file that is not yet in the library (a verified download), fsynced.
 * A fresh PNG only has chunks appended before its IEND — text chunks may stand anywhere after
 * IHDR — so a multi-megabyte result is not read and written again; anything else is rewritten
 * in place through embedMetadata. Returns the file's new size.
 */
export async function embedMetadataInFile(path: string, meta: EmbeddedMetadata): Promise<number> {
  const checked = embeddedMetadataSchema.parse(meta);
  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(8);
    const tail = Buffer.alloc(PNG_IEND.length);
    await handle.read(head, 0, head.length, 0);
    await handle.read(tail, 0, tail.length, Math.max(0, size - tail.length));
    if (size > 8 + PNG_IEND.length && head.equals(PNG_SIGNATURE) && tail.equals(PNG_IEND)) {
      const appended = Buffer.concat([...metadataChunks(checked), PNG_IEND]);
      await handle.write(appended, 0, appended.length, size - PNG_IEND.length);
      await handle.sync();
      return size - PNG_IEND.length + appended.length;
    }
  } finally {
    await handle.close();
  }
  const embedded = embedMetadata(await readFile(path), checked);
  await writeFile(path, embedded);
  const rewritten = await open(path, 'r');
  try {
    await rewritten.sync();
  } finally {
    await rewritten.close();
  }
  return embedded.length;
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
