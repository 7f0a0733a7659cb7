import { AppError } from '@shared/ipc/result';
import type { EmbeddedMetadata } from './schema';
import {
  buildLimitedMetadataXmp,
  extendedXmpGuid,
  readEmbeddedMetadataFromXmp,
  readXmpProperty,
  XMP_NAMESPACES,
} from './xmp';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
export const XMP_SIGNATURE = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
export const EXTENDED_XMP_SIGNATURE = Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1');
const EXIF_SIGNATURE = Buffer.from('Exif\0\0', 'latin1');
/** A segment's length field is 16 bits and counts itself. */
export const MAX_SEGMENT_PAYLOAD = 0xffff - 2;
const MAX_STANDARD_XMP = MAX_SEGMENT_PAYLOAD - XMP_SIGNATURE.length;
// Extended XMP chunk header: signature, 32-char GUID, full length, offset.
const EXTENDED_HEADER = EXTENDED_XMP_SIGNATURE.length + 32 + 4 + 4;
const MAX_EXTENDED_CHUNK = MAX_SEGMENT_PAYLOAD - EXTENDED_HEADER;

export interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF that starts the marker. */
  start: number;
  payloadStart: number;
  /** End of the marker segment; a scan's entropy-coded data that follows is not part of it. */
  end: number;
}

/**
 * The marker segments from SOI to EOI. Walks the scans' entropy-coded data too, so a file cut
 * short anywhere (not just in its headers) is reported as damaged.
 */
export function readJpegSegments(bytes: Buffer): JpegSegment[] {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) throw damaged('it does not start with SOI');
  const segments: JpegSegment[] = [{ marker: SOI, start: 0, payloadStart: 2, end: 2 }];
  let pos = 2;
  while (segments.at(-1)?.marker !== EOI) {
    const segment = readSegmentAt(bytes, pos);
    segments.push(segment);
    pos = segment.marker === SOS ? skipEntropyCodedData(bytes, segment.end) : segment.end;
  }
  if (!segments.some((segment) => segment.marker === SOS)) throw damaged('it has no image data');
  return segments;
}

function readSegmentAt(bytes: Buffer, start: number): JpegSegment {
  if (bytes[start] !== 0xff) throw damaged(`byte ${start} is not a marker`);
  let pos = start;
  while (bytes[pos] === 0xff) pos++; // fill bytes may precede a marker
  if (pos >= bytes.length) throw damaged('it ends before the end-of-image marker');
  const marker = bytes[pos] ?? 0;
  const markerStart = pos - 1;
  if (marker === 0x00) throw damaged(`byte ${start} is not a marker`);
  if (marker === SOI || marker === EOI || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
    return { marker, start: markerStart, payloadStart: pos + 1, end: pos + 1 };
  }
  if (pos + 3 > bytes.length) throw damaged('it ends inside a segment header');
  const length = bytes.readUInt16BE(pos + 1);
  const end = pos + 1 + length;
  if (length < 2 || end > bytes.length) throw damaged(`the segment at byte ${markerStart} runs past the end`);
  return { marker, start: markerStart, payloadStart: pos + 3, end };
}

/** Where the next marker after a scan starts: the first 0xFF not followed by 0x00 (stuffing) or RSTn. */
function skipEntropyCodedData(bytes: Buffer, from: number): number {
  let pos = from;
  for (;;) {
    const ff = bytes.indexOf(0xff, pos);
    if (ff < 0 || ff + 1 >= bytes.length) throw damaged('it ends inside the image data');
    const next = bytes[ff + 1] ?? 0;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) pos = ff + 2;
    else if (next === 0xff) pos = ff + 1;
    else return ff;
  }
}

/**
 * Writes our XMP in APP1, after SOI and the JFIF/Exif segments that conventionally come first,
 * replacing any XMP (and Extended XMP) already there. Everything else is copied verbatim.
 */
export function embedJpegMetadata(bytes: Buffer, meta: EmbeddedMetadata): Buffer {
  const segments = readJpegSegments(bytes);
  const replaced = segments.filter((segment) => isXmp(bytes, segment) || isExtendedXmp(bytes, segment));
  let insertAt = 2;
  for (const segment of segments.slice(1)) {
    if (!(segment.marker === APP0 || isExif(bytes, segment) || replaced.includes(segment))) break;
    insertAt = segment.end;
  }
  return spliceBytes(bytes, replaced, insertAt, xmpSegments(meta));
}

function xmpSegments(meta: EmbeddedMetadata): Buffer[] {
  const { standard, extended } = buildLimitedMetadataXmp(meta, MAX_STANDARD_XMP);
  const segments = [app1Segment(Buffer.concat([XMP_SIGNATURE, Buffer.from(standard, 'utf8')]))];
  if (!extended) return segments;
  const packet = Buffer.from(extended.packet, 'utf8');
  for (let offset = 0; offset < packet.length; offset += MAX_EXTENDED_CHUNK) {
    const header = Buffer.alloc(EXTENDED_HEADER);
    EXTENDED_XMP_SIGNATURE.copy(header, 0);
    header.write(extended.guid, EXTENDED_XMP_SIGNATURE.length, 'latin1');
    header.writeUInt32BE(packet.length, EXTENDED_HEADER - 8);
    header.writeUInt32BE(offset, EXTENDED_HEADER - 4);
    segments.push(app1Segment(Buffer.concat([header, packet.subarray(offset, offset + MAX_EXTENDED_CHUNK)])));
  }
  return segments;
}

function app1Segment(payload: Buffer): Buffer {
  if (payload.length > MAX_SEGMENT_PAYLOAD) {
    throw new AppError('VALIDATION', `A JPEG segment cannot hold ${payload.length} bytes.`);
  }
  const header = Buffer.from([0xff, APP1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

/** `bytes` without the `removed` ranges (sorted, disjoint) and with `insertion` at `insertAt`. */
function spliceBytes(bytes: Buffer, removed: JpegSegment[], insertAt: number, insertion: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  let cursor = 0;
  let inserted = false;
  const insertIfDue = (limit: number): void => {
    if (inserted || insertAt > limit) return;
    parts.push(bytes.subarray(cursor, insertAt), ...insertion);
    cursor = insertAt;
    inserted = true;
  };
  for (const range of removed) {
    insertIfDue(range.start);
    parts.push(bytes.subarray(cursor, range.start));
    cursor = range.end;
  }
  insertIfDue(bytes.length);
  parts.push(bytes.subarray(cursor));
  return Buffer.concat(parts);
}

export function readJpegMetadata(bytes: Buffer): EmbeddedMetadata | null {
  const segments = tryReadSegments(bytes);
  for (const xmp of standardXmpPackets(bytes, segments)) {
    const meta = readEmbeddedMetadataFromXmp(xmp);
    if (meta) return meta;
    const guid = readXmpProperty(xmp, XMP_NAMESPACES.xmpNote, 'HasExtendedXMP');
    const extended = guid === null ? null : assembleExtendedXmp(bytes, segments, guid);
    const extendedMeta = extended === null ? null : readEmbeddedMetadataFromXmp(extended);
    if (extendedMeta) return extendedMeta;
  }
  return null;
}

/** The first standard XMP packet, as text (what other tools show). */
export function readJpegXmp(bytes: Buffer): string | null {
  return standardXmpPackets(bytes, tryReadSegments(bytes))[0] ?? null;
}

function tryReadSegments(bytes: Buffer): JpegSegment[] {
  try {
    return readJpegSegments(bytes);
  } catch {
    return [];
  }
}

function standardXmpPackets(bytes: Buffer, segments: JpegSegment[]): string[] {
  return segments
    .filter((segment) => isXmp(bytes, segment))
    .map((segment) => bytes.toString('utf8', segment.payloadStart + XMP_SIGNATURE.length, segment.end));
}

/** Reassembles the Extended XMP packet with this GUID; null if a chunk is missing or the MD5 differs. */
function assembleExtendedXmp(bytes: Buffer, segments: JpegSegment[], guid: string): string | null {
  const chunks = segments
    .filter((segment) => isExtendedXmp(bytes, segment))
    .map((segment) => bytes.subarray(segment.payloadStart + EXTENDED_XMP_SIGNATURE.length, segment.end))
    .filter((chunk) => chunk.length >= 40 && chunk.toString('latin1', 0, 32) === guid);
  const fullLength = chunks[0]?.readUInt32BE(32) ?? 0;
  if (fullLength === 0 || fullLength > bytes.length) return null;
  const packet = Buffer.alloc(fullLength);
  let filled = 0;
  for (const chunk of chunks) {
    const data = chunk.subarray(40);
    const offset = chunk.readUInt32BE(36);
    if (chunk.readUInt32BE(32) !== fullLength || offset + data.length > fullLength) return null;
    data.copy(packet, offset);
    filled += data.length;
  }
  if (filled !== fullLength || extendedXmpGuid(packet) !== guid) return null;
  return packet.toString('utf8');
}

function isXmp(bytes: Buffer, segment: JpegSegment): boolean {
  return segment.marker === APP1 && payloadStartsWith(bytes, segment, XMP_SIGNATURE);
}

function isExtendedXmp(bytes: Buffer, segment: JpegSegment): boolean {
  return segment.marker === APP1 && payloadStartsWith(bytes, segment, EXTENDED_XMP_SIGNATURE);
}

function isExif(bytes: Buffer, segment: JpegSegment): boolean {
  return segment.marker === APP1 && payloadStartsWith(bytes, segment, EXIF_SIGNATURE);
}

function payloadStartsWith(bytes: Buffer, segment: JpegSegment, prefix: Buffer): boolean {
  const end = segment.payloadStart + prefix.length;
  return end <= segment.end && bytes.subarray(segment.payloadStart, end).equals(prefix);
}

function damaged(detail: string): AppError {
  return new AppError('VALIDATION', `This JPEG file is damaged or truncated: ${detail}.`);
}
