import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_JOB_PARAM } from '../jobs/recover';
import { extractTaskId } from '../kie/parse';
import type { Logger } from '../log/logger';
import { verifyCallbackSignature } from './signature';

export const CALLBACK_PATH_PREFIX = '/kie/callback/';
const MAX_BODY_BYTES = 64 * 1024;

/**
 * What one client may take of the endpoint the tunnel exposes to the internet: the whole request
 * head within `headersMs`, the whole request within `requestMs`, and no more than
 * `maxConnections` sockets at once (beyond that a new one is closed unanswered; callbacks are
 * only hints, polling still finds every result).
 */
export const CALLBACK_LIMITS = { headersMs: 10_000, requestMs: 15_000, maxConnections: 64 } as const;
/** How often Node checks the two time limits; its default of 30 s made a 10 s limit hold 30 s. */
const LIMIT_CHECK_MS = 500;

export interface CallbackServerOptions {
  /** Random 128-bit token (hex) that makes the callback path unguessable. */
  token: string;
  port?: number;
  log: Logger;
  /** The webhook HMAC key that must sign callbacks for this task, or null when none is required. */
  hmacKey(taskId: string): Promise<string | null>;
  /**
   * Called after the 200 went out; the body is only a hint. `jobId` is the local job the
   * callback URL names (its `job` query parameter), if any.
   */
  onCallback(taskId: string, jobId: string | null): void;
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
  const server: Server = createServer(
    {
      headersTimeout: CALLBACK_LIMITS.headersMs,
      requestTimeout: CALLBACK_LIMITS.requestMs,
      connectionsCheckingInterval: LIMIT_CHECK_MS,
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        // A client cut off mid-body by the request limit lands here too: nothing to answer.
        if (request.destroyed) return;
        options.log.error('Callback handler failed', { error });
        if (!response.headersSent) send(response, 500, { error: 'internal' });
      });
    },
  );
  server.maxConnections = CALLBACK_LIMITS.maxConnections;

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
    options.onCallback(taskId, jobIdOf(url));
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
    // Cut off before the end (the request limit, a client gone): never left pending.
    request.on('close', () => {
      if (!request.complete) reject(new Error('The callback request was cut off before its end'));
    });
  });
}

/** The job a callback URL names: a UUID in `?job=`, anything else is ignored. */
function jobIdOf(url: URL): string | null {
  const jobId = url.searchParams.get(CALLBACK_JOB_PARAM);
  return jobId !== null && /^[0-9a-f-]{36}$/i.test(jobId) ? jobId : null;
}
