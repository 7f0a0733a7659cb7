import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
  private readonly secret = randomBytes(32);
  private totalBytes = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly maxTotalBytes = 512 * 1024 * 1024,
  ) {}

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
    this.files.set(stored.id, stored);
    this.byPath.set(filePath, stored.id);
    this.totalBytes += stored.bytes.byteLength;
    for (const [id] of this.files) {
      if (this.totalBytes <= this.maxTotalBytes || id === stored.id) break;
      this.delete(id);
    }
    return stored;
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
}

/** GET/HEAD /files/<id>[.ext], with the download faults of the file's task. */
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
  const fault = <K extends 'expiredResultUrl' | 'corruptImage' | 'truncatedBody' | 'slowDownload'>(
    kind: K,
  ) => (file.taskId ? context.faults.forTask(file.taskId, kind) : null);

  if (signature !== 'ok' && fault('expiredResultUrl')) {
    context.onFault('expiredResultUrl');
    sendText(response, 404, 'Not Found: the link expired');
    return;
  }
  let bytes = file.bytes;
  if (fault('corruptImage')) {
    context.onFault('corruptImage');
    bytes = corruptBytes(bytes);
  }
  response.writeHead(200, {
    'content-type': file.mimeType,
    'content-length': String(bytes.byteLength),
    'cache-control': 'no-store',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  if (fault('truncatedBody')) {
    context.onFault('truncatedBody');
    response.write(bytes.subarray(0, Math.floor(bytes.byteLength / 2)));
    // Let the first half reach the client before the connection drops.
    context.lifetime.later(30, () => response.destroy());
    return;
  }
  const slow = fault('slowDownload');
  if (slow) {
    context.onFault('slowDownload');
    drip(response, bytes, slow.chunkBytes, slow.intervalMs, context.lifetime);
    return;
  }
  response.end(bytes);
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
