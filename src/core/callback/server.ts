import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractTaskId } from '../kie/parse';
import type { Logger } from '../log/logger';
import { verifyCallbackSignature } from './signature';

export const CALLBACK_PATH_PREFIX = '/kie/callback/';
const MAX_BODY_BYTES = 64 * 1024;

export interface CallbackServerOptions {
  /** Random 128-bit token (hex) that makes the callback path unguessable. */
  token: string;
  port?: number;
  log: Logger;
  /** The webhook HMAC key that must sign callbacks for this task, or null when none is required. */
  hmacKey(taskId: string): Promise<string | null>;
  /** Called after the 200 went out; the body is only a hint. */
  onCallback(taskId: string): void;
  now?: () => number;
}

export interface CallbackServer {
  /** http://127.0.0.1:<port> */
  localUrl: string;
  /** /kie/callback/<token> */
  path: string;
  close(): Promise<void>;
}

/**
 * The local endpoint KIE's callbacks reach through a tunnel. It answers fast and never trusts
 * the body: it extracts the task id and hands it to the engine, which asks recordInfo.
 */
export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  const path = `${CALLBACK_PATH_PREFIX}${options.token}`;
  const now = options.now ?? Date.now;
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log.error('Callback handler failed', { error });
      if (!response.headersSent) send(response, 500, { error: 'internal' });
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== path) {
      send(response, 404, { error: 'not found' });
      return;
    }
    if (request.method === 'GET') {
      send(response, 200, {
        status: 'ok',
        message: 'Nano Banana webhook endpoint is ready',
        timestamp: new Date(now()).toISOString(),
      });
      return;
    }
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'GET, POST');
      send(response, 405, { error: 'method not allowed' });
      return;
    }
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      send(response, 415, { error: 'expected application/json' });
      return;
    }
    const body = await readLimited(request, MAX_BODY_BYTES);
    if (body === 'too-large') {
      send(response, 413, { error: 'body too large' }, true);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      send(response, 400, { error: 'invalid JSON' });
      return;
    }
    const taskId = extractTaskId(json);
    if (!taskId) {
      options.log.warn('Callback without a task id');
      send(response, 400, { error: 'no task id' });
      return;
    }
    const key = await options.hmacKey(taskId);
    if (key) {
      const check = verifyCallbackSignature({
        taskId,
        timestamp: header(request, 'x-webhook-timestamp'),
        signature: header(request, 'x-webhook-signature'),
        key,
        nowMs: now(),
      });
      if (check !== 'ok') {
        options.log.warn('Callback signature refused', { taskId, check });
        send(response, 401, { error: 'invalid signature' });
        return;
      }
    }
    send(response, 200, { received: true });
    options.log.info('Callback received', { taskId });
    options.onCallback(taskId);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    localUrl: `http://127.0.0.1:${port}`,
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(response: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...(close ? { Connection: 'close' } : {}),
  });
  response.end(text);
}

/** Reads the body, refusing as soon as it passes the limit (without buffering the rest). */
function readLimited(request: IncomingMessage, limit: number): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      request.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
