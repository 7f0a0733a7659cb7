import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { Core } from '@core/core';
import { CALLBACK_PATH_PREFIX } from '@core/callback/server';
import { createCore } from '@core/createCore';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import { memorySecretStore, testPorts } from '@core/testing/memoryPorts';
import { submitPrompt } from '@core/testing/submitPrompt';

/**
 * The callback attack table: hostile requests to the local callback server of a real core (the
 * one a tunnel exposes to the internet), with a webhook HMAC key set. Each is refused with the
 * expected status or acknowledged and ignored, and afterwards nothing changed: the same jobs in
 * the same states, the same images and files. A correctly signed callback is still only a hint:
 * the engine asks KIE, so a forged result URL is never fetched and a replay never duplicates.
 */
const HMAC_KEY = 'whsec-callback-attack-table';
let sim: KieSimulator;
let core: Core;
let dataDir: string;
let origin: string;
let path: string;
let doneJob: Job;
/** Stands in for an attacker's file host: counts every request it gets. */
let attacker: Server;
let attackerHits = 0;
let attackerUrl: string;

const call = (route: string, input: unknown) => core.dispatch(route, input, { transport: 'test' });

async function jobs(): Promise<Job[]> {
  const listed = await call('jobs.list', { limit: 100 });
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value as Job[];
}

async function waitForState(id: string, states: readonly string[], timeoutMs = 15_000): Promise<Job> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const job = (await jobs()).find((item) => item.id === id);
    if (job && states.includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} is ${String(job?.state)}, not ${states.join('/')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const submit = (prompt: string): Promise<Job> => submitPrompt(core, prompt);

/** What must be unchanged after every attack. */
async function snapshot(): Promise<string> {
  const images = await call('gallery.query', { query: {}, cursor: null, limit: 500 });
  const files = (await readdir(join(dataDir, 'library'), { recursive: true })).sort();
  return JSON.stringify({
    jobs: (await jobs()).map((job) => [job.id, job.state]),
    images: images.ok ? (images.value as { items: { id: string }[] }).items.map((item) => item.id) : 'error',
    files,
  });
}

const now = () => Math.floor(Date.now() / 1000);
const sign = (taskId: string, ts: number, key = HMAC_KEY) =>
  createHmac('sha256', key).update(`${taskId}.${ts}`).digest('base64');
const signed = (taskId: string, ts = now(), key = HMAC_KEY) => ({
  'x-webhook-timestamp': String(ts),
  'x-webhook-signature': sign(taskId, ts, key),
});
const callbackBody = (taskId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ code: 200, msg: 'ok', data: { taskId, state: 'success', ...extra } });

interface RawResponse {
  status: number;
}

/** A request exactly as written: no URL normalisation, any header, a body in chunks. */
function raw(options: {
  method?: string;
  target?: string;
  headers?: Record<string, string>;
  chunks?: (string | Buffer)[];
}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(origin);
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'POST',
        path: options.target ?? path,
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    request.on('error', reject);
    for (const chunk of options.chunks ?? []) request.write(chunk);
    request.end();
  });
}

beforeAll(async () => {
  attacker = createServer((_request, response) => {
    attackerHits += 1;
    response.writeHead(200, { 'content-type': 'image/png' }).end('not really a png');
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/evil.png`;

  sim = await startKieSimulator({
    timings: { waitingMs: 20, queuingMs: 20, generatingMs: 40 },
    maxImageSide: 96,
  });
  dataDir = await mkdtemp(join(tmpdir(), 'banana-callback-attacks-'));
  const ports = testPorts(dataDir, {
    secrets: memorySecretStore({ kieApiKey: sim.apiKey, webhookHmacKey: HMAC_KEY }),
    settings: { kieApiBaseUrl: sim.apiBaseUrl, kieUploadBaseUrl: sim.uploadBaseUrl },
  });
  core = await createCore(ports, {
    poll: { initialMs: 30, maxMs: 100, lateCallbackMs: 200, perSecond: 200, burst: 50 },
    libraryScanDelayMs: 60_000,
  });
  const view = await call('settings.get', {});
  origin = (view.ok && (view.value as { callbackLocalUrl: string | null }).callbackLocalUrl) || '';
  path = `${CALLBACK_PATH_PREFIX}${String(ports.store.get('callbackToken'))}`;
  expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  doneJob = await waitForState((await submit('the finished job')).id, ['done']);
}, 30_000);

afterAll(async () => {
  await core?.dispose();
  await sim?.close();
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
});

type Attack = [name: string, send: () => Promise<RawResponse>, status: number];

const doneTask = () => doneJob.kieTaskId ?? '';
const attacks: Attack[] = [
  ['a guessed token', () => raw({ target: `${CALLBACK_PATH_PREFIX}${'0'.repeat(32)}`, chunks: ['{}'] }), 404],
  ['the bare prefix', () => raw({ target: CALLBACK_PATH_PREFIX, chunks: ['{}'] }), 404],
  ['the path with a trailing slash', () => raw({ target: `${path}/`, chunks: ['{}'] }), 404],
  [
    'an encoded traversal after the path',
    () => raw({ target: `${path}/..%2f..%2fetc%2fpasswd`, chunks: ['{}'] }),
    404,
  ],
  ['the token in upper case', () => raw({ target: path.toUpperCase(), chunks: ['{}'] }), 404],
  ['a PUT', () => raw({ method: 'PUT', chunks: [callbackBody(doneTask())] }), 405],
  ['a DELETE', () => raw({ method: 'DELETE' }), 405],
  ['a text/plain body', () => raw({ headers: { 'content-type': 'text/plain' }, chunks: ['taskId=1'] }), 415],
  ['no content type', () => raw({ headers: { 'content-type': '' }, chunks: [callbackBody('x')] }), 415],
  ['broken JSON', () => raw({ chunks: ['{"code":200,"data":'] }), 400],
  ['a JSON array', () => raw({ chunks: ['[1,2,3]'] }), 400],
  ['JSON null', () => raw({ chunks: ['null'] }), 400],
  ['no task id', () => raw({ chunks: ['{"code":200,"data":{"state":"success"}}'] }), 400],
  ['a task id that is an object', () => raw({ chunks: ['{"data":{"taskId":{"$ne":null}}}'] }), 400],
  ['a task id of 5,000 characters', () => raw({ chunks: [callbackBody('t'.repeat(5_000))] }), 400],
  ['binary garbage', () => raw({ chunks: [Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x80])] }), 400],
  [
    'a declared 1 GB body',
    () =>
      raw({ headers: { 'content-length': String(1024 ** 3) }, chunks: [] }).catch(() => ({ status: 413 })),
    413,
  ],
  [
    'a chunked 200 KiB body without a length',
    () => raw({ headers: { 'transfer-encoding': 'chunked' }, chunks: Array(50).fill('x'.repeat(4096)) }),
    413,
  ],
  ['a 20 KB header', () => raw({ headers: { 'x-padding': 'p'.repeat(20_000) }, chunks: ['{}'] }), 431],
  ['no signature', () => raw({ chunks: [callbackBody(doneTask())] }), 401],
  [
    'a signature made with another key',
    () => raw({ headers: signed(doneTask(), now(), 'not-the-key'), chunks: [callbackBody(doneTask())] }),
    401,
  ],
  [
    'a signature for another task',
    () => raw({ headers: signed('another-task'), chunks: [callbackBody(doneTask())] }),
    401,
  ],
  [
    'a signature ten minutes old',
    () => raw({ headers: signed(doneTask(), now() - 600), chunks: [callbackBody(doneTask())] }),
    401,
  ],
  [
    'a signature ten minutes in the future',
    () => raw({ headers: signed(doneTask(), now() + 600), chunks: [callbackBody(doneTask())] }),
    401,
  ],
  [
    'a signature that is not base64',
    () =>
      raw({
        headers: { 'x-webhook-timestamp': String(now()), 'x-webhook-signature': '%%%not-base64%%%' },
        chunks: [callbackBody(doneTask())],
      }),
    401,
  ],
  [
    'a task nobody knows (acknowledged, ignored)',
    () => raw({ headers: signed('unknown-task'), chunks: [callbackBody('unknown-task')] }),
    200,
  ],
  [
    'a signed replay of a finished task with a forged result URL',
    () =>
      raw({
        headers: signed(doneTask()),
        chunks: [callbackBody(doneTask(), { info: { resultUrls: [attackerUrl] }, resultJson: attackerUrl })],
      }),
    200,
  ],
];

describe('callback attack table: refused or ignored, nothing changed', () => {
  it.each(attacks)('%s', async (_name, send, status) => {
    const before = await snapshot();
    expect((await send()).status).toBe(status);
    // A callback only ever makes the engine ask KIE; give a poll the time to run.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await snapshot()).toBe(before);
    expect(attackerHits).toBe(0);
  });

  it('a signed forged "success" for a task still generating: no image until KIE has one', async () => {
    sim.setFault({ kind: 'lostCallback' }, 'next');
    const pending = await submit('the pending job');
    const submitted = await waitForState(pending.id, ['submitted', 'queued', 'generating', 'done']);
    const taskId = submitted.kieTaskId ?? '';
    expect(taskId).not.toBe('');
    const forged = await raw({
      headers: signed(taskId),
      chunks: [callbackBody(taskId, { info: { resultUrls: [attackerUrl] } })],
    });
    expect(forged.status).toBe(200);
    const done = await waitForState(pending.id, ['done', 'failed']);
    expect(done.state).toBe('done');
    expect(attackerHits).toBe(0);
    const images = await call('gallery.query', {
      query: { text: 'the pending job' },
      cursor: null,
      limit: 10,
    });
    expect(images.ok && (images.value as { items: unknown[] }).items).toHaveLength(1);
  });

  it('30 signed replays of a finished task at once: still exactly one image', async () => {
    const before = await snapshot();
    const replies = await Promise.all(
      Array.from({ length: 30 }, () =>
        raw({ headers: signed(doneTask()), chunks: [callbackBody(doneTask())] }),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(30).fill(200));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await snapshot()).toBe(before);
  });

  it('after all of it the endpoint still answers its health check', async () => {
    expect((await raw({ method: 'GET' })).status).toBe(200);
    expect(attacks.length).toBeGreaterThanOrEqual(25);
  });
});
