import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KieSimulator } from './types';

/** Small HTTP helpers shared by the simulator's own tests (real requests over 127.0.0.1). */

export const FAST = { waitingMs: 30, queuingMs: 30, generatingMs: 60 };

export interface CallResult {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

export async function call(
  sim: KieSimulator,
  method: string,
  path: string,
  body?: unknown,
  options: { key?: string | null; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const key = options.key === undefined ? sim.apiKey : options.key;
  const headers: Record<string, string> = { ...options.headers };
  if (key !== null) headers['authorization'] = `Bearer ${key}`;
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(`${sim.url}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: response.status, headers: response.headers, json };
}

export async function createTask(sim: KieSimulator, body: unknown): Promise<string> {
  const result = await call(sim, 'POST', '/api/v1/jobs/createTask', body);
  const data = result.json['data'] as { taskId?: string } | null;
  if (result.json['code'] !== 200 || !data?.taskId)
    throw new Error(`createTask failed: ${JSON.stringify(result.json)}`);
  return data.taskId;
}

export function textTask(
  prompt: string,
  input: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    model: 'google/nano-banana',
    input: { prompt, output_format: 'png', aspect_ratio: '1:1', ...input },
    ...extra,
  };
}

export async function recordInfo(sim: KieSimulator, taskId: string): Promise<Record<string, unknown>> {
  const result = await call(sim, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`);
  return result.json['data'] as Record<string, unknown>;
}

/** Polls recordInfo until the task ends; returns the final data and every state seen. */
export async function pollUntilDone(
  sim: KieSimulator,
  taskId: string,
  timeoutMs = 5_000,
): Promise<{ data: Record<string, unknown>; seen: string[] }> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const data = await recordInfo(sim, taskId);
    const state = String(data['state']);
    if (seen.at(-1) !== state) seen.push(state);
    if (state === 'success' || state === 'fail') return { data, seen };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`task ${taskId} did not finish; saw ${seen.join(',')}`);
}

export function resultUrls(data: Record<string, unknown>): string[] {
  return (JSON.parse(String(data['resultJson'])) as { resultUrls: string[] }).resultUrls;
}

export interface ReceivedCallback {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  time: number;
}

/** A callback receiver: answers with `status(n)` for the n-th request (default 200). */
export async function startReceiver(status: (index: number) => number = () => 200) {
  const received: ReceivedCallback[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = received.length;
      received.push({
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        time: Date.now(),
      });
      response.writeHead(status(index), { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kie/callback/test`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
