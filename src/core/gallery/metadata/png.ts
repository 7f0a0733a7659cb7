import { crc32, inflateSync } from 'node:zlib';
import { AppError } from '@shared/ipc/result';
import { creatorTool, EMBEDDED_METADATA_APP, parseEmbeddedMetadata, type EmbeddedMetadata } from './schema';
import { readDescription } from './xmp';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The iTXt keyword holding our JSON. */
export const PNG_METADATA_KEYWORD = EMBEDDED_METADATA_APP;
// Text chunks we own: each is replaced, never duplicated, on every embed.
const OWN_KEYWORDS = new Set([PNG_METADATA_KEYWORD, 'Description', 'Software']);
const TEXT_CHUNK_TYPES = new Set(['tEXt', 'zTXt', 'iTXt']);
// A compressed text chunk may not inflate past this (a zip bomb in a file must not exhaust memory).
const MAX_INFLATED_TEXT = 8 * 1024 * 1024;

export interface PngChunk {
  type: string;
  /** Offset of the length field. */
  start: number;
  dataStart: number;
  dataEnd: number;
  /** Offset just past the CRC. */
  end: number;
}

/** The chunk list, after checking the signature, every length and CRC, IHDR first and IEND last. */
export function readPngChunks(bytes: Buffer): PngChunk[] {
  if (bytes.length < PNG_SIGNATURE.length || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw damaged('it does not start with the PNG signature');
  }
  const chunks: PngChunk[] = [];
  let pos = PNG_SIGNATURE.length;
  while (chunks.at(-1)?.type !== 'IEND') {
    const chunk = readChunkAt(bytes, pos);
    chunks.push(chunk);
    pos = chunk.end;
  }
  if (chunks[0]?.type !== 'IHDR') throw damaged('the first chunk is not IHDR');
  if (!chunks.some((chunk) => chunk.type === 'IDAT')) throw damaged('it has no image data');
  return chunks;
}

function readChunkAt(bytes: Buffer, start: number): PngChunk {
  if (start + 12 > bytes.length) throw damaged(`it ends at byte ${bytes.length} before the IEND chunk`);
  const length = bytes.readUInt32BE(start);
  const type = bytes.toString('latin1', start + 4, start + 8);
  if (!/^[A-Za-z]{4}$/.test(type)) throw damaged(`byte ${start} does not start a chunk`);
  const dataStart = start + 8;
  const dataEnd = dataStart + length;
  if (length > 0x7fffffff || dataEnd + 4 > bytes.length) throw damaged(`chunk ${type} runs past the end`);
  if (bytes.readUInt32BE(dataEnd) !== crc32(bytes.subarray(start + 4, dataEnd))) {
    throw damaged(`chunk ${type} at byte ${start} has a wrong checksum`);
  }
  return { type, start, dataStart, dataEnd, end: dataEnd + 4 };
}

/** Adds our text chunks before the image data; pixel data and every other chunk stay byte-identical. */
export function embedPngMetadata(bytes: Buffer, meta: EmbeddedMetadata): Buffer {
  const chunks = readPngChunks(bytes);
  const ownChunks = new Set(
    chunks.filter((chunk) => OWN_KEYWORDS.has(readPngText(bytes, chunk)?.keyword ?? '')),
  );
  // Before the first frame control of an APNG as well, so frame 0's fcTL stays next to its IDAT.
  const insertBefore = chunks.find((chunk) => chunk.type === 'IDAT' || chunk.type === 'fcTL');
  const added = metadataChunks(meta);
  const parts = [bytes.subarray(0, PNG_SIGNATURE.length)];
  for (const chunk of chunks) {
    if (chunk === insertBefore) parts.push(...added);
    if (!ownChunks.has(chunk)) parts.push(bytes.subarray(chunk.start, chunk.end));
  }
  // Bytes after IEND are not PNG, but they are not ours to drop either.
  parts.push(bytes.subarray(chunks.at(-1)?.end));
  return Buffer.concat(parts);
}

/** Our three text chunks (iTXt metadata, Description, Software), ready to go into a PNG. */
export function metadataChunks(meta: EmbeddedMetadata): Buffer[] {
  return [
    internationalTextChunk(PNG_METADATA_KEYWORD, JSON.stringify(meta)),
    ...(meta.prompt === '' ? [] : [textChunk('Description', meta.prompt)]),
    textChunk('Software', creatorTool(meta)),
  ];
}

/** The 12 bytes every PNG ends with: an empty IEND chunk and its CRC. */
export const PNG_IEND = Buffer.from('0000000049454e44ae426082', 'hex');

export function readPngMetadata(bytes: Buffer): EmbeddedMetadata | null {
  for (const text of readPngTexts(bytes)) {
    if (text.keyword !== PNG_METADATA_KEYWORD || text.type !== 'iTXt') continue;
    const meta = parseEmbeddedMetadata(text.text);
    if (meta) return meta;
  }
  return null;
}

/** The `Description` text, else the XMP caption some tools write instead. */
export function readPngDescription(bytes: Buffer): string | null {
  const texts = readPngTexts(bytes);
  const description = texts.find((text) => text.keyword === 'Description')?.text;
  if (description) return description;
  const xmp = texts.find((text) => text.keyword === 'XML:com.adobe.xmp')?.text;
  return xmp ? readDescription(xmp) : null;
}

interface PngText {
  type: string;
  keyword: string;
  text: string;
}

function readPngTexts(bytes: Buffer): PngText[] {
  let chunks: PngChunk[];
  try {
    chunks = readPngChunks(bytes);
  } catch {
    return [];
  }
  return chunks.flatMap((chunk) => readPngText(bytes, chunk) ?? []);
}

/** A tEXt, zTXt or iTXt chunk's keyword and text; null for other chunks and damaged text chunks. */
function readPngText(bytes: Buffer, chunk: PngChunk): PngText | null {
  if (!TEXT_CHUNK_TYPES.has(chunk.type)) return null;
  const data = bytes.subarray(chunk.dataStart, chunk.dataEnd);
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 1 || keywordEnd > 79) return null;
  const keyword = data.toString('latin1', 0, keywordEnd);
  try {
    const text = decodeTextBody(chunk.type, data.subarray(keywordEnd + 1));
    return text === null ? null : { type: chunk.type, keyword, text };
  } catch {
    return null;
  }
}

function decodeTextBody(type: string, body: Buffer): string | null {
  if (type === 'tEXt') return body.toString('latin1');
  if (type === 'zTXt') return body[0] === 0 ? inflate(body.subarray(1)).toString('latin1') : null;
  // iTXt: compression flag, method, language tag\0, translated keyword\0, text.
  const [compressed, method] = [body[0], body[1]];
  const languageEnd = body.indexOf(0, 2);
  const translatedEnd = languageEnd < 0 ? -1 : body.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0 || (compressed === 1 && method !== 0)) return null;
  const text = body.subarray(translatedEnd + 1);
  return (compressed === 1 ? inflate(text) : text).toString('utf8');
}

function inflate(data: Buffer): Buffer {
  return inflateSync(data, { maxOutputLength: MAX_INFLATED_TEXT });
}

/** tEXt is Latin-1 only; anything else (Chinese, emoji, tabs…) goes in an iTXt chunk. */
function textChunk(keyword: string, text: string): Buffer {
  const clean = text.replaceAll('\0', '');
  return /^[\n\x20-\x7e\xa1-\xff]*$/.test(clean)
    ? makeChunk('tEXt', Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Buffer.from(clean, 'latin1')]))
    : internationalTextChunk(keyword, clean);
}

/** Uncompressed iTXt with no language tag: keyword\0, flag 0, method 0, ""\0, ""\0, UTF-8 text. */
function internationalTextChunk(keyword: string, text: string): Buffer {
  const header = Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Buffer.from([0, 0, 0, 0])]);
  return makeChunk('iTXt', Buffer.concat([header, Buffer.from(text, 'utf8')]));
}

function makeChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const chunk = Buffer.alloc(8 + data.length + 4);
  chunk.writeUInt32BE(data.length, 0);
  typeAndData.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return chunk;
}

function damaged(detail: string): AppError {
  return new AppError('VALIDATION', `This PNG file is damaged or truncated: ${detail}.`);
}
