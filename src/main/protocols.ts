import { open, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep, win32 } from 'node:path';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { Core } from '@core/core';
import type { Logger } from '@core/log/logger';

export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;
export const GALLERY_SCHEME = 'gallery';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' gallery: data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The origin we compare against. Node's URL gives "null" for custom schemes, so app:// is
 * rebuilt from its host the way Chromium serialises a standard scheme's origin.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host !== '')
    return `${APP_SCHEME}://${parsed.host.toLowerCase()}`;
  return null;
}

/**
 * Must run before `app.ready`, and only once: Electron keeps just the last call, so both schemes
 * go in together. `standard` gives the renderer a real origin (module scripts, storage) instead
 * of file://'s opaque one. No `bypassCSP`, and no `corsEnabled`, so other origins cannot read
 * these responses.
 */
export function registerPrivilegedSchemes(): void {
  const privileges = { standard: true, secure: true, supportFetchAPI: true };
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges },
    { scheme: GALLERY_SCHEME, privileges },
  ]);
}

/**
 * Maps a URL path (still percent-encoded) to a file inside `root`, or null when it could
 * escape it. Chromium already normalises standard-scheme URLs; this is the second line.
 * Decodes exactly once, so `%252e` stays a literal name rather than becoming `..`.
 */
export function resolveInsideRoot(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  // Backslashes and drive colons are separators or roots on Windows; no bundle file needs them.
  if (/[\0\\:]/.test(decoded)) return null;
  const relativePath = decoded.replace(/^\/+/, '') || 'index.html';
  if (isAbsolute(relativePath) || win32.isAbsolute(relativePath)) return null;
  const base = resolve(root);
  const target = resolve(base, relativePath);
  const inside = relative(base, target);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
  return target;
}

export function contentTypeFor(filePath: string): string | null {
  return STATIC_TYPES[extname(filePath).toLowerCase()] ?? null;
}

/**
 * Serves the built renderer at app://bundle/, and library images and staged reference images at
 * gallery://image|thumb|ref/<id>.
 */
export function registerProtocols(deps: { core: Core; rendererDir: string; log: Logger }): void {
  const log = deps.log.child('protocol');
  protocol.handle(APP_SCHEME, (request) =>
    serveBundle(request, deps.rendererDir).catch((error: unknown) => {
      log.error('app:// request failed', { url: request.url, error });
      return new Response(null, { status: 500 });
    }),
  );
  protocol.handle(GALLERY_SCHEME, (request) =>
    serveGalleryImage(request, deps.core).catch((error: unknown) => {
      log.error('gallery:// request failed', { url: request.url, error });
      return new Response(null, { status: 500 });
    }),
  );
}

async function serveBundle(request: Request, rendererDir: string): Promise<Response> {
  const url = new URL(request.url);
  if (!isReadMethod(request) || url.host !== APP_HOST) return notFound();
  const target = resolveInsideRoot(rendererDir, url.pathname);
  const type = target && contentTypeFor(target);
  if (!target || !type) return notFound();
  const info = await stat(target).catch(() => null);
  if (!info?.isFile()) return notFound();
  return fileResponse(request, target, {
    'Content-Type': type,
    'Content-Length': String(info.size),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
}

async function serveGalleryImage(request: Request, core: Core): Promise<Response> {
  const url = new URL(request.url);
  if (!isReadMethod(request)) return notFound();
  // gallery://<image|thumb|ref>/<id>: core owns the whole check (id shape, index lookup, the real
  // path staying inside its root, allowed types); the raw, undecoded path goes in.
  const file = await core.resolveGalleryFile(url.host, url.pathname.slice(1));
  if (!file) return notFound();
  const headers = {
    'Content-Type': file.mimeType,
    'Content-Length': String(file.size),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, max-age=31536000, immutable',
  };
  // Core's checked open is what is served: reopening the path could read a symlink or FIFO
  // swapped in since.
  if (request.method === 'HEAD' || file.size === 0) {
    await file.handle.close();
    return new Response(null, { status: 200, headers });
  }
  const stream = file.handle.createReadStream({ start: 0, end: file.size - 1 });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status: 200, headers });
}

async function fileResponse(
  request: Request,
  filePath: string,
  headers: Record<string, string>,
): Promise<Response> {
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
  // Opening first turns a file deleted since the lookup into a 404 rather than a broken stream.
  const handle = await open(filePath, 'r').catch(() => null);
  if (!handle) return notFound();
  const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}

function isReadMethod(request: Request): boolean {
  return request.method === 'GET' || request.method === 'HEAD';
}

function notFound(): Response {
  return new Response(null, { status: 404 });
}
