import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const JSON_BODY_LIMIT = 1024 * 1024;
/**
 * KIE's upload pages state no hard cap; their largest figure is "≤ 100 MB recommended" (for
 * file-url-upload, https://docs.kie.ai/file-upload-api/quickstart). Well above the 30 MB
 * references Pro and Nano Banana 2 take; each model's own limit is checked at createTask.
 */
export const UPLOAD_FILE_LIMIT = 100 * 1024 * 1024;
/** The largest file, base64-encoded inside JSON, still fits. */
export const UPLOAD_BODY_LIMIT = Math.ceil((UPLOAD_FILE_LIMIT * 4) / 3) + 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than ${limit} bytes.`);
  }
}

/** A problem the client caused; becomes an envelope with that code. */
export class SimError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody(raw: Buffer): unknown {
  if (raw.byteLength === 0) throw new SimError(422, 'Request body is empty; expected JSON.');
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new SimError(422, 'Request body is not valid JSON.');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface Envelope {
  code: number;
  msg: string;
  data: unknown;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const bytes = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(bytes.byteLength),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(bytes);
}

export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain',
): void {
  if (response.headersSent || response.destroyed) return;
  const bytes = Buffer.from(text);
  response.writeHead(status, {
    'content-type': `${contentType}; charset=utf-8`,
    'content-length': String(bytes.byteLength),
  });
  response.end(bytes);
}

/** Equal-length digests, so the comparison takes the same time whatever the key's length. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return match?.[1]?.trim() ?? null;
}

export function mimeFromName(name: string): string | null {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  switch (extension) {
    case 'png':
      return 'image/png';
    case 'jpg':
    case 'jpeg':
      return 'image/jpeg';
    case 'webp':
      return 'image/webp';
    case 'gif':
      return 'image/gif';
    default:
      return null;
  }
}

export function sniffMime(bytes: Uint8Array): string | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return 'image/png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 6 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'GIF8')
    return 'image/gif';
  if (
    bytes.length >= 12 &&
    Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'RIFF' &&
    Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP'
  ) {
    return 'image/webp';
  }
  return null;
}

export function extensionForMime(mime: string): string {
  switch (mime) {
    case 'image/png':
      return 'png';
    case 'image/jpeg':
      return 'jpg';
    case 'image/webp':
      return 'webp';
    case 'image/gif':
      return 'gif';
    default:
      return 'bin';
  }
}

/**
 * GET with a deadline and a size cap; used for reference images and file-url-upload. Throws a
 * SimError(422) whose message says what went wrong, for the envelope.
 */
export async function fetchBounded(
  url: string,
  options: { signal: AbortSignal; maxBytes: number; label: string },
): Promise<{ bytes: Buffer; contentType: string | null }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SimError(422, `${options.label} is not a valid URL.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SimError(422, `${options.label} must be an http(s) URL.`);
  }
  try {
    const response = await fetch(parsed, { signal: options.signal, redirect: 'follow' });
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new SimError(422, `${options.label} could not be fetched (HTTP ${response.status}).`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body.getReader();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new SimError(422, `${options.label} is larger than ${options.maxBytes} bytes.`);
      }
      chunks.push(chunk.value);
    }
    return { bytes: Buffer.concat(chunks), contentType: response.headers.get('content-type') };
  } catch (error) {
    if (error instanceof SimError) throw error;
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'network error';
    throw new SimError(422, `${options.label} could not be fetched (${reason}).`);
  }
}
