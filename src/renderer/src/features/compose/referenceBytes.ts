import type { ImageFormat } from '@shared/domain/image';

/** Enough of a file's start to tell PNG, JPEG and WebP apart. */
export const SNIFF_BYTES = 12;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function asciiAt(bytes: Uint8Array, offset: number, text: string): boolean {
  if (bytes.length < offset + text.length) return false;
  for (let index = 0; index < text.length; index += 1) {
    if (bytes[offset + index] !== text.charCodeAt(index)) return false;
  }
  return true;
}

/**
 * The image format from a file's first bytes, the same test core makes: the name and the type
 * the OS guessed from it are not trusted, so a text file renamed .png is caught before it is sent.
 */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  if (head.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((byte, index) => head[index] === byte))
    return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (asciiAt(head, 0, 'RIFF') && asciiAt(head, 8, 'WEBP')) return 'webp';
  return null;
}

/**
 * Bytes per `btoa` call: a multiple of 3, so each piece encodes without padding and the pieces
 * join into one valid base64 string; small enough for `String.fromCharCode.apply`'s argument limit.
 */
export const BASE64_CHUNK_BYTES = 3 * 8 * 1024;

/**
 * Base64 of `bytes`, encoded piece by piece: no spread of millions of arguments and no binary
 * string the size of the whole file, so a 10 MB image does not stall or overflow the stack.
 */
export function bytesToBase64(bytes: Uint8Array, chunkBytes = BASE64_CHUNK_BYTES): string {
  if (chunkBytes <= 0 || chunkBytes % 3 !== 0)
    throw new RangeError('chunkBytes must be a positive multiple of 3.');
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += chunkBytes) {
    const piece = bytes.subarray(start, start + chunkBytes);
    parts.push(btoa(String.fromCharCode.apply(null, piece as unknown as number[])));
  }
  return parts.join('');
}

/**
 * Whether `needle` (ASCII) occurs in `bytes`. Our images carry their settings under the
 * `banana-studio` key in clear text (PNG iTXt keyword, XMP); only files that have it are worth
 * sending a second time to be inspected.
 */
export function containsAscii(bytes: Uint8Array, needle: string): boolean {
  if (needle === '') return true;
  const first = needle.charCodeAt(0);
  const last = bytes.length - needle.length;
  for (
    let index = bytes.indexOf(first);
    index !== -1 && index <= last;
    index = bytes.indexOf(first, index + 1)
  ) {
    if (asciiAt(bytes, index, needle)) return true;
  }
  return false;
}
