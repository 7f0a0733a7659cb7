import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, resolve, isAbsolute } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Core } from '@core/core';
import { createCore, type CoreOptions } from '@core/createCore';
import { ConsoleSink, MemorySink, Redactor, createLogger, type LogSink } from '@core/log/logger';
import { systemClock, type SecretName } from '@core/ports';
import type { ShellAction } from '@core/testing/recordingShell';
import type { OpenedReferences } from '@shared/domain/reference';
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
  notifications: { title: string; body: string }[];
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
  const token = randomBytes(16).toString('hex');
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'banana-harness-')));
  const libraryDir = options.libraryDir ?? join(dataDir, 'Banana Studio');
  const rendererRoot = await realpath(options.rendererDir);
  const redactor = new Redactor();
  const logs = new MemorySink(2000);
  const sinks: LogSink[] = options.quiet ? [logs] : [logs, new ConsoleSink('info')];
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
    const url = new URL(request.url ?? '/', origin);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    if (url.pathname.startsWith('/gallery/')) {
      if (url.searchParams.get('token') !== token) {
        response.writeHead(403).end();
        return;
      }
      const [asset = '', rawId = '', ...rest] = url.pathname.slice('/gallery/'.length).split('/');
      const file = rest.length === 0 ? await core.resolveGalleryFile(asset, rawId) : null;
      if (!file) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, {
        'Content-Type': file.mimeType,
        'Content-Length': file.size,
        'Cache-Control': 'private, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
      });
      createReadStream(file.filePath).pipe(response);
      return;
    }
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const target = resolve(rendererRoot, `.${normalize(decodeURIComponent(path))}`);
    const inside = relative(rendererRoot, target);
    const type = STATIC_TYPES[extname(target)];
    if (inside.startsWith('..') || isAbsolute(inside) || !type) {
      response.writeHead(404).end();
      return;
    }
    const info = await stat(target).catch(() => null);
    if (!info?.isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'Content-Type': type,
      'Content-Length': info.size,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(target).pipe(response);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    // The Origin check stops other web pages in the same browser from driving the core.
    if (
      url.pathname !== '/bridge' ||
      url.searchParams.get('token') !== token ||
      request.headers.origin !== origin
    ) {
      log.warn('Refused a bridge connection', { path: url.pathname, origin: request.headers.origin ?? null });
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
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

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
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
      if (options.removeDataOnClose) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
