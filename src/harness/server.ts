import { randomBytes } from 'node:crypto';
import { mkdtemp, realpath, rm, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, resolve, isAbsolute } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Core } from '@core/core';
import { createCore, type CoreOptions } from '@core/createCore';
import { openInsideRoots } from '@core/fs/checkedOpen';
import {
  ConsoleSink,
  MemorySink,
  Redactor,
  RotatingFileSink,
  createLogger,
  type LogSink,
} from '@core/log/logger';
import { tokensEqual } from '@core/net/tokens';
import { systemClock, type SecretName } from '@core/ports';
import type { RecordedNotification, ShellAction } from '@core/testing/recordingShell';
import type { OpenedReferences } from '@shared/domain/reference';
import { MAX_INSPECT_BASE64 } from '@shared/ipc/galleryRoutes';
import {
  confStore,
  fakeEncryptedSecrets,
  memorySecrets,
  recordingShell,
  type FakeEncryptionOptions,
} from './ports';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const wsRequestSchema = z.object({
  t: z.literal('req'),
  id: z.number().int().nonnegative(),
  route: z.string().max(100),
  input: z.unknown(),
});

export interface HarnessOptions {
  /** Built renderer (out/renderer). */
  rendererDir: string;
  dataDir?: string;
  libraryDir?: string;
  port?: number;
  /** The port is taken: listen on a free one instead of failing (`npm run web` with a saved port). */
  portFallback?: boolean;
  /** The session token to use (`npm run web` keeps one per data folder); random when absent. */
  token?: string;
  secrets?: Partial<Record<SecretName, string>>;
  /**
   * Secrets through core's secret store over a fake OS encryption (ciphertext in the data
   * folder's secrets.json) instead of memory: e2e plays a Linux without a keyring or a key
   * stored on another computer. `secrets` are then seeded as readable ciphertext.
   */
  osEncryption?: FakeEncryptionOptions;
  /** Settings written before the core starts (e.g. demo mode, KIE base URLs for tests). */
  initialSettings?: Record<string, unknown>;
  demoKie?: { apiBaseUrl: string; uploadBaseUrl: string; apiKey: string };
  core?: CoreOptions;
  quiet?: boolean;
  /** Delete the data folder on close (tests); `npm run web` keeps it, it may hold paid images. */
  removeDataOnClose?: boolean;
}

export interface Harness {
  /** Open this in a browser: includes the session token. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  libraryDir: string;
  core: Core;
  /** OS notifications core asked for; a test clicks one with `click()`. */
  notifications: RecordedNotification[];
  /** Desktop actions the renderer asked for (reveal, open, drag out, OS trash…). */
  shellActions: ShellAction[];
  /** Plays "Open with → Banana Studio" for tests: the paths go to core as the desktop app's do. */
  openFiles(paths: readonly string[]): Promise<OpenedReferences>;
  logs: MemorySink;
  close(): Promise<void>;
}

/**
 * The web harness: the real core with Node ports, the built renderer over HTTP and the Bridge
 * over a WebSocket, on 127.0.0.1 with a random token. Used by the e2e suite and `npm run web`.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const token = options.token || randomBytes(16).toString('hex');
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'banana-harness-')));
  const libraryDir = options.libraryDir ?? join(dataDir, 'Banana Studio');
  const rendererRoot = await realpath(options.rendererDir);
  const redactor = new Redactor();
  // The log file, as in the desktop app: the log view reads it back after a restart.
  const logFile = new RotatingFileSink(join(dataDir, 'logs'));
  const logs = new MemorySink(2000, logFile);
  const sinks: LogSink[] = options.quiet ? [logFile, logs] : [logFile, logs, new ConsoleSink('info')];
  const log = createLogger({ sinks, redactor, scope: 'harness' });
  const store = confStore(dataDir);
  if (options.initialSettings) {
    const current = (store.get('settings') as Record<string, unknown> | undefined) ?? {};
    store.set('settings', { ...current, ...options.initialSettings });
  }
  const shell = recordingShell(dataDir);
  const core = await createCore(
    {
      log,
      logHistory: logs,
      redactor,
      store,
      secrets: options.osEncryption
        ? fakeEncryptedSecrets(dataDir, options.osEncryption, options.secrets ?? {}, log.child('secrets'))
        : memorySecrets(options.secrets),
      paths: { dataDir, defaultLibraryDir: libraryDir },
      shell,
      // /gallery/<image|thumb|ref>/<id>: served by the route below, which asks core.
      imageUrl: (asset, id) => `/gallery/${asset}/${encodeURIComponent(id)}?token=${token}`,
      clock: systemClock,
      hostInfo: {
        host: 'web',
        appVersion: process.env['npm_package_version'] ?? '0.0.0',
        platform: process.platform,
        locale: Intl.DateTimeFormat().resolvedOptions().locale,
      },
      demoKie: options.demoKie ?? null,
    },
    options.core,
  );

  const server = createServer((request, response) => {
    serveHttp(request, response).catch((error: unknown) => {
      log.error('Harness request failed', { error });
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  let origin = '';
  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = parseTarget(request.url, origin);
    if (!url) {
      response.writeHead(400).end();
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    if (url.pathname.startsWith('/gallery/')) {
      if (!tokensEqual(url.searchParams.get('token'), token)) {
        response.writeHead(403).end();
        return;
      }
      const [asset = '', rawId = '', ...rest] = url.pathname.slice('/gallery/'.length).split('/');
      // Core hands back the file already open (one checked open), so nothing can be swapped in.
      const file = rest.length === 0 ? await core.resolveGalleryFile(asset, rawId) : null;
      if (!file) {
        response.writeHead(404).end();
        return;
      }
      sendFile(request, response, file, {
        'Content-Type': file.mimeType,
        'Cache-Control': 'private, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
      });
      return;
    }
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      response.writeHead(400).end();
      return;
    }
    const target = resolve(rendererRoot, `.${normalize(decoded)}`);
    const inside = relative(rendererRoot, target);
    const type = STATIC_TYPES[extname(target)];
    const file =
      inside.startsWith('..') || isAbsolute(inside) || !type
        ? null
        : await openInsideRoots(target, [rendererRoot]);
    if (!file || !type) {
      response.writeHead(404).end();
      return;
    }
    sendFile(request, response, file, {
      'Content-Type': type,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
  }

  /**
   * Streams an open file and closes it. Exactly the size fstat gave is promised and sent; a read
   * that fails or comes up short can only drop the socket, and a client that goes away releases
   * the handle.
   */
  function sendFile(
    request: IncomingMessage,
    response: ServerResponse,
    file: { handle: FileHandle; size: number },
    headers: Record<string, string>,
  ): void {
    response.writeHead(200, { ...headers, 'Content-Length': file.size });
    if (request.method === 'HEAD' || file.size === 0) {
      response.end();
      void file.handle.close().catch(() => undefined);
      return;
    }
    const stream = file.handle.createReadStream({ start: 0, end: file.size - 1 });
    let sent = 0;
    stream.on('data', (chunk) => {
      sent += chunk.length;
    });
    stream.on('end', () => {
      if (sent < file.size) response.destroy();
    });
    stream.on('error', (error) => {
      log.warn('A served file could not be read to the end', { error });
      response.destroy();
    });
    response.on('close', () => stream.destroy());
    stream.pipe(response);
  }

  // A 30 MB reference (Pro, Nano Banana 2) arrives base64 in one request frame: the route's cap
  // on the base64 text, and room for the rest of the message.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INSPECT_BASE64 + 1024 * 1024 });
  const clients = new Set<WebSocket>();
  // A socket that errors is dropped by itself; without a listener its error would end the process.
  wss.on('error', (error) => log.warn('Bridge server error', { error }));
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = parseTarget(request.url, origin);
    // The Origin check stops other web pages in the same browser from driving the core.
    if (
      url?.pathname !== '/bridge' ||
      !tokensEqual(url.searchParams.get('token'), token) ||
      request.headers.origin !== origin
    ) {
      log.warn('Refused a bridge connection', {
        path: url?.pathname ?? null,
        origin: request.headers.origin ?? null,
      });
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      // A malformed frame (unmasked, over the size limit, bad UTF-8…): ws has already sent the
      // close code; only this connection goes.
      ws.on('error', (error) => {
        log.warn('Dropped a bridge connection after a bad frame', {
          code: (error as NodeJS.ErrnoException).code ?? null,
        });
        ws.terminate();
      });
      ws.on('message', (data) => {
        void handleMessage(ws, data.toString());
      });
    });
  });

  async function handleMessage(ws: WebSocket, text: string): Promise<void> {
    let message: z.infer<typeof wsRequestSchema>;
    try {
      message = wsRequestSchema.parse(JSON.parse(text));
    } catch {
      log.warn('Malformed bridge message');
      return;
    }
    const result = await core.dispatch(message.route, message.input, { transport: 'ws' });
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'res', id: message.id, result }));
  }

  const unsubscribe = core.onEvent((event) => {
    const text = JSON.stringify({ t: 'evt', name: event.name, payload: event.payload });
    for (const client of clients) if (client.readyState === client.OPEN) client.send(text);
  });

  const listen = (port: number) =>
    new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  try {
    await listen(options.port ?? 0).catch((error: unknown) => {
      if (!options.portFallback || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      return listen(0);
    });
  } catch (error) {
    // Nothing is served: the core started for it must not run on alone.
    unsubscribe();
    await core.dispose();
    await logFile.flush();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    dataDir,
    libraryDir,
    core,
    notifications: shell.notifications,
    shellActions: shell.actions,
    openFiles: (paths) => core.openFiles(paths),
    logs,
    async close() {
      unsubscribe();
      for (const client of clients) client.terminate();
      wss.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await core.dispose();
      await logFile.flush();
      if (options.removeDataOnClose) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The request target as a URL, or null when it is not one (a 400, not a 500). */
function parseTarget(target: string | undefined, origin: string): URL | null {
  try {
    return new URL(target ?? '/', origin);
  } catch {
    return null;
  }
}
