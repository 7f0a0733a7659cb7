import { AppError } from '@shared/ipc/result';
import type { EmbeddedMetadata } from './schema';
import { buildMetadataXmp, readEmbeddedMetadataFromXmp } from './xmp';

const XMP_FOURCC = 'XMP ';
// VP8X feature flags (first byte of its payload).
const FLAG_ICC = 0x20;
const FLAG_ALPHA = 0x10;
const FLAG_EXIF = 0x08;
const FLAG_XMP = 0x04;
const VP8X_PAYLOAD = 10;
const MAX_CANVAS = 1 << 24;

export interface WebpChunk {
  fourcc: string;
  start: number;
  dataStart: number;
  dataEnd: number;
}

export interface WebpFile {
  chunks: WebpChunk[];
  /** Where the RIFF payload ends; anything after it is kept as it is. */
  riffEnd: number;
}

/** The RIFF chunk list, after checking the header, every chunk size, and the image chunk's presence. */
export function readWebpChunks(bytes: Buffer): WebpFile {
  if (
    bytes.length < 12 ||
    bytes.toString('latin1', 0, 4) !== 'RIFF' ||
    bytes.toString('latin1', 8, 12) !== 'WEBP'
  ) {
    throw damaged('it does not start with a RIFF/WEBP header');
  }
  const riffEnd = 8 + bytes.readUInt32LE(4);
  if (riffEnd > bytes.length) throw damaged(`it is ${bytes.length} bytes long but declares ${riffEnd}`);
  const chunks: WebpChunk[] = [];
  let pos = 12;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) throw damaged(`a chunk header at byte ${pos} is cut short`);
    const size = bytes.readUInt32LE(pos + 4);
    const dataEnd = pos + 8 + size;
    if (dataEnd > riffEnd) throw damaged(`chunk ${bytes.toString('latin1', pos, pos + 4)} runs past the end`);
    chunks.push({ fourcc: bytes.toString('latin1', pos, pos + 4), start: pos, dataStart: pos + 8, dataEnd });
    // Odd-sized chunks are padded to even; some writers omit the pad after the last chunk.
    pos = Math.min(dataEnd + (size & 1), riffEnd);
  }
  if (!['VP8 ', 'VP8L', 'VP8X'].includes(chunks[0]?.fourcc ?? ''))
    throw damaged('it has no image chunk first');
  return { chunks, riffEnd };
}

/**
 * Adds an `XMP ` chunk (replacing any) and sets the XMP flag in VP8X, creating VP8X for a
 * simple-format file. Image chunks are copied byte for byte; only the RIFF size changes.
 */
export function embedWebpMetadata(bytes: Buffer, meta: EmbeddedMetadata): Buffer {
  const { chunks, riffEnd } = readWebpChunks(bytes);
  const kept = chunks.filter((chunk) => chunk.fourcc !== XMP_FOURCC && chunk.fourcc !== 'VP8X');
  const existingVp8x = chunks.find((chunk) => chunk.fourcc === 'VP8X');
  const vp8x = existingVp8x
    ? withXmpFlag(bytes.subarray(existingVp8x.dataStart, existingVp8x.dataEnd))
    : newVp8x(bytes, kept);
  const body = [
    makeChunk('VP8X', vp8x),
    ...kept.map((chunk) => makeChunk(chunk.fourcc, bytes.subarray(chunk.dataStart, chunk.dataEnd))),
    makeChunk(XMP_FOURCC, Buffer.from(buildMetadataXmp(meta), 'utf8')),
  ];
  const header = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1');
  header.writeUInt32LE(4 + body.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([header, ...body, bytes.subarray(riffEnd)]);
}

export function readWebpMetadata(bytes: Buffer): EmbeddedMetadata | null {
  for (const xmp of readWebpXmpPackets(bytes)) {
    const meta = readEmbeddedMetadataFromXmp(xmp);
    if (meta) return meta;
  }
  return null;
}

/** The first `XMP ` chunk as text (what other tools show). */
export function readWebpXmp(bytes: Buffer): string | null {
  return readWebpXmpPackets(bytes)[0] ?? null;
}

function readWebpXmpPackets(bytes: Buffer): string[] {
  let file: WebpFile;
  try {
    file = readWebpChunks(bytes);
  } catch {
    return [];
  }
  return file.chunks
    .filter((chunk) => chunk.fourcc === XMP_FOURCC)
    .map((chunk) => bytes.toString('utf8', chunk.dataStart, chunk.dataEnd));
}

function withXmpFlag(vp8x: Buffer): Buffer {
  if (vp8x.length < VP8X_PAYLOAD) throw damaged('its VP8X chunk is too short');
  const copy = Buffer.from(vp8x);
  copy[0] = (copy[0] ?? 0) | FLAG_XMP;
  return copy;
}

/** VP8X for a simple-format file: the canvas is the bitstream's frame size; flags say what is present. */
function newVp8x(bytes: Buffer, chunks: WebpChunk[]): Buffer {
  const image = chunks.find((chunk) => chunk.fourcc === 'VP8 ' || chunk.fourcc === 'VP8L');
  if (!image) throw damaged('it has no VP8 or VP8L image chunk');
  const frame = bytes.subarray(image.dataStart, image.dataEnd);
  const { width, height, alpha } = image.fourcc === 'VP8L' ? losslessFrameInfo(frame) : lossyFrameInfo(frame);
  const present = (fourcc: string): boolean => chunks.some((chunk) => chunk.fourcc === fourcc);
  let flags = FLAG_XMP;
  if (alpha || present('ALPH')) flags |= FLAG_ALPHA;
  if (present('ICCP')) flags |= FLAG_ICC;
  if (present('EXIF')) flags |= FLAG_EXIF;
  const vp8x = Buffer.alloc(VP8X_PAYLOAD);
  vp8x[0] = flags;
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  return vp8x;
}

interface FrameInfo {
  width: number;
  height: number;
  alpha: boolean;
}

/** VP8 key frame header: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height. */
function lossyFrameInfo(frame: Buffer): FrameInfo {
  if (
    frame.length < 10 ||
    (frame[0] ?? 1) & 1 ||
    frame[3] !== 0x9d ||
    frame[4] !== 0x01 ||
    frame[5] !== 0x2a
  ) {
    throw damaged('its VP8 frame header is invalid');
  }
  return checkedSize(frame.readUInt16LE(6) & 0x3fff, frame.readUInt16LE(8) & 0x3fff, false);
}

/** VP8L header: signature 0x2F, then width-1 and height-1 (14 bits each), the alpha hint, version 0. */
function losslessFrameInfo(frame: Buffer): FrameInfo {
  if (frame.length < 5 || frame[0] !== 0x2f) throw damaged('its VP8L header is invalid');
  const bits = frame.readUInt32LE(1);
  if (bits >>> 29 !== 0) throw damaged('its VP8L version is unknown');
  return checkedSize((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, ((bits >>> 28) & 1) === 1);
}

function checkedSize(width: number, height: number, alpha: boolean): FrameInfo {
  if (width < 1 || height < 1 || width > MAX_CANVAS || height > MAX_CANVAS) {
    throw damaged(`its frame size ${width}×${height} is invalid`);
  }
  return { width, height, alpha };
}

/** A RIFF chunk, padded to an even length as RIFF requires. */
function makeChunk(fourcc: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(8 + data.length + (data.length & 1));
  chunk.write(fourcc, 0, 'latin1');
  chunk.writeUInt32LE(data.length, 4);
  data.copy(chunk, 8);
  return chunk;
}

function damaged(detail: string): AppError {
  return new AppError('VALIDATION', `This WebP file is damaged or truncated: ${detail}.`);
}
