import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { FaultBook } from './faults';
import { extensionForMime, sameSecret, sendText } from './http';
import type { Lifetime } from './lifetime';

export interface StoredFile {
  id: string;
  bytes: Buffer;
  mimeType: string;
  fileName: string;
  /** `<uploadPath>/<fileName>` for uploads, `generated/<fileName>` for results. */
  filePath: string;
  /** Set for generated results: download faults apply to these only. */
  taskId: string | null;
  createdAt: number;
}

/** What a persisting simulator hears from the store (persist.ts); the store itself stays in memory. */
export interface FileStoreHooks {
  /** Signs download-url links; a persisted one keeps links handed out before a restart valid. */
  secret?: Buffer;
  onPut?(file: StoredFile): void;
  onDrop?(file: StoredFile): void;
}

/** KIE's temporary download links live about 20 minutes (kie-api.md). */
export const DOWNLOAD_URL_TTL_MS = 20 * 60 * 1000;
const FILE_PATH = /^\/files\/([A-Za-z0-9_-]{8,64})(?:\.[A-Za-z0-9]{1,8})?$/;

/**
 * Uploaded and generated files, in memory. Bounded by total size (oldest dropped first), so a
 * long Demo session cannot grow without limit; a dropped file 404s like an expired KIE file.
 */
export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, string>();
  private readonly secret: Buffer;
  private totalBytes = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly maxTotalBytes = 512 * 1024 * 1024,
    private readonly hooks: FileStoreHooks = {},
  ) {
    this.secret = hooks.secret ?? randomBytes(32);
  }

  /** Stores a file; an upload with the same path and name replaces the earlier one, as on KIE. */
  put(file: { bytes: Buffer; mimeType: string; fileName: string; dir: string; taskId?: string }): StoredFile {
    const filePath = `${file.dir.replace(/^\/+|\/+$/g, '')}/${file.fileName}`;
    const existing = this.byPath.get(filePath);
    if (existing) this.delete(existing);
    const stored: StoredFile = {
      id: existing ?? randomBytes(12).toString('hex'),
      bytes: file.bytes,
      mimeType: file.mimeType,
      fileName: file.fileName,
      filePath,
      taskId: file.taskId ?? null,
      createdAt: Date.now(),
    };
    this.add(stored);
    this.hooks.onPut?.(stored);
    return stored;
  }

  /** Puts back a file kept from an earlier run (oldest first), under its old id and path. */
  restore(file: StoredFile): void {
    if (this.files.has(file.id) || this.byPath.has(file.filePath)) return;
    this.add(file);
  }

  private add(stored: StoredFile): void {
    this.files.set(stored.id, stored);
    this.byPath.set(stored.filePath, stored.id);
    this.totalBytes += stored.bytes.byteLength;
    for (const [id] of this.files) {
      if (this.totalBytes <= this.maxTotalBytes || id === stored.id) break;
      this.delete(id);
    }
  }

  /** Drops every uploaded file (generated results stay); returns how many. */
  dropUploads(): number {
    const uploads = [...this.files.values()].filter((file) => file.taskId === null);
    for (const file of uploads) this.delete(file.id);
    return uploads.length;
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  urlFor(file: StoredFile): string {
    return `${this.baseUrl()}/files/${file.id}.${extensionForMime(file.mimeType)}`;
  }

  /** A link that also works when the plain URL is made to expire, until `ttlMs` from now. */
  signedUrlFor(file: StoredFile, ttlMs = DOWNLOAD_URL_TTL_MS): string {
    const expires = String(Date.now() + ttlMs);
    return `${this.urlFor(file)}?expires=${expires}&sig=${this.sign(file.id, expires)}`;
  }

  checkSignature(id: string, query: URLSearchParams): 'none' | 'ok' | 'expired' | 'forged' {
    const expires = query.get('expires');
    const sig = query.get('sig');
    if (expires === null && sig === null) return 'none';
    if (!expires || !sig || !/^\d{1,16}$/.test(expires)) return 'forged';
    if (!sameSecret(sig, this.sign(id, expires))) return 'forged';
    return Number(expires) < Date.now() ? 'expired' : 'ok';
  }

  private sign(id: string, expires: string): string {
    return createHmac('sha256', this.secret).update(`${id}.${expires}`).digest('base64url');
  }

  private delete(id: string): void {
    const file = this.files.get(id);
    if (!file) return;
    this.files.delete(id);
    this.byPath.delete(file.filePath);
    this.totalBytes -= file.bytes.byteLength;
    this.hooks.onDrop?.(file);
  }
}

/** The file id in a /files/ URL of this simulator (any host: the app may rewrite it), else null. */
export function fileIdFromUrl(url: string): string | null {
  try {
    return FILE_PATH.exec(new URL(url).pathname)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Keeps the format's magic bytes, so only a full decode notices the damage. */
export function corruptBytes(bytes: Buffer): Buffer {
  const keep = Math.min(bytes.byteLength, bytes[0] === 0x89 ? 16 : 3);
  return Buffer.concat([bytes.subarray(0, keep), Buffer.alloc(Math.max(64, bytes.byteLength - keep), 0x5a)]);
}

export interface ServeContext {
  store: FileStore;
  faults: FaultBook;
  lifetime: Lifetime;
  /** Reports the fault that shaped the answer, for the request log. */
  onFault(kind: string): void;
  /** Counts one more hit of a per-task fault; true while it still has hits left. */
  useHit(key: string, limit: number): boolean;
}

type FileFaultKind =
  'expiredResultUrl' | 'corruptImage' | 'truncatedBody' | 'slowDownload' | 'droppedDownload' | 'gzipDownload';

/** A `Range: bytes=N-` or `bytes=N-M` header within `size`, else null (then the whole file). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  const match = header ? /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim()) : null;
  if (!match) return null;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  return start <= end ? { start, end } : null;
}

/** GET/HEAD /files/<id>[.ext], with the download faults of the file's task. Honours `Range`. */
export function serveFile(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: ServeContext,
): void {
  const id = FILE_PATH.exec(url.pathname)?.[1];
  const file = id ? context.store.get(id) : undefined;
  if (!file) {
    sendText(response, 404, 'Not Found');
    return;
  }
  const signature = context.store.checkSignature(file.id, url.searchParams);
  if (signature === 'forged') {
    sendText(response, 403, 'Forbidden');
    return;
  }
  if (signature === 'expired') {
    sendText(response, 404, 'Not Found: the link expired');
    return;
  }
  const fault = <K extends FileFaultKind>(kind: K) =>
    file.taskId ? context.faults.forTask(file.taskId, kind) : null;

  const expired = signature !== 'ok' ? fault('expiredResultUrl') : null;
  if (expired) {
    context.onFault('expiredResultUrl');
    if (expired.answer === 'html') {
      // What a CDN in front of an expired object often says: a page, with 200.
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end('<!doctype html><html><body><h1>This link has expired</h1></body></html>');
    } else {
      sendText(response, expired.answer, 'The link expired');
    }
    return;
  }
  let bytes = file.bytes;
  if (fault('corruptImage')) {
    context.onFault('corruptImage');
    bytes = corruptBytes(bytes);
  }
  if (fault('gzipDownload')) {
    context.onFault('gzipDownload');
    const packed = gzipSync(bytes);
    response.writeHead(200, {
      'content-type': file.mimeType,
      'content-encoding': 'gzip',
      'content-length': String(packed.byteLength),
      'cache-control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : packed);
    return;
  }
  const range = parseRange(request.headers.range, bytes.byteLength);
  const body = range ? bytes.subarray(range.start, range.end + 1) : bytes;
  response.writeHead(range ? 206 : 200, {
    'content-type': file.mimeType,
    'content-length': String(body.byteLength),
    'accept-ranges': 'bytes',
    etag: `"${file.id}"`,
    'cache-control': 'no-store',
    ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${bytes.byteLength}` } : {}),
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const dropped = fault('droppedDownload');
  if (fault('truncatedBody') || (dropped && context.useHit(`dropped:${file.id}`, dropped.count))) {
    context.onFault(dropped ? 'droppedDownload' : 'truncatedBody');
    response.write(body.subarray(0, Math.floor(body.byteLength / 2)));
    // Let the first half reach the client before the connection drops.
    context.lifetime.later(30, () => response.destroy());
    return;
  }
  const slow = fault('slowDownload');
  if (slow) {
    context.onFault('slowDownload');
    const chunkBytes = slow.chunks ? Math.ceil(body.byteLength / slow.chunks) : slow.chunkBytes;
    drip(response, body, Math.max(1, chunkBytes), slow.intervalMs, context.lifetime);
    return;
  }
  response.end(body);
}

function drip(
  response: ServerResponse,
  bytes: Buffer,
  chunkBytes: number,
  intervalMs: number,
  lifetime: Lifetime,
) {
  let offset = 0;
  const next = (): void => {
    if (response.destroyed) return;
    const end = Math.min(bytes.byteLength, offset + chunkBytes);
    const chunk = bytes.subarray(offset, end);
    offset = end;
    if (offset >= bytes.byteLength) {
      response.end(chunk);
      return;
    }
    response.write(chunk);
    lifetime.later(intervalMs, next);
  };
  next();
}
