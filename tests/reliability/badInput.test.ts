import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { Core } from '@core/core';
import { CALLBACK_PATH_PREFIX } from '@core/callback/server';
import { createCore } from '@core/createCore';
import { KieClient } from '@core/kie/client';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import { testApiKey } from '@core/settings/testApiKey';
import { createLogger, MemorySink, Redactor, RotatingFileSink } from '@core/log/logger';
import { memorySecretStore, testPorts } from '@core/testing/memoryPorts';

/**
 * Bad input, collected in one table so `npm test` reports each case by name: malformed IPC
 * requests, hostile callback requests and bad files. Each gets a clear refusal (the expected
 * code and words), and afterwards nothing was lost: the job, the image and the prompt history
 * are as they were.
 */
let sim: KieSimulator;
let core: Core;
let dataDir: string;
let callbackUrl: string;
let goodJob: Job;
let png: Buffer;

const call = (route: string, input: unknown) => core.dispatch(route, input, { transport: 'test' });
const submit = (overrides: Record<string, unknown> = {}) => ({
  model: 'google/nano-banana',
  prompt: 'a lighthouse',
  aspectRatio: '1:1',
  outputFormat: 'png',
  resolution: null,
  ...overrides,
});
const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');

beforeAll(async () => {
  sim = await startKieSimulator({
    timings: { waitingMs: 20, queuingMs: 20, generatingMs: 40 },
    maxImageSide: 128,
  });
  dataDir = await mkdtemp(join(tmpdir(), 'banana-bad-input-'));
  const ports = testPorts(dataDir, {
    secrets: memorySecretStore({ kieApiKey: sim.apiKey }),
    demoKie: { apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey },
    settings: { demoMode: true },
  });
  core = await createCore(ports, {
    poll: { initialMs: 30, maxMs: 100, lateCallbackMs: 200, perSecond: 200, burst: 50 },
    libraryScanDelayMs: 60_000,
  });
  const view = await call('settings.get', {});
  const token = await ports.secrets.get('callbackToken');
  callbackUrl = `${(view.ok && (view.value as { callbackLocalUrl: string }).callbackLocalUrl) || ''}${CALLBACK_PATH_PREFIX}${String(token)}`;
  png = await sharp({ create: { width: 24, height: 24, channels: 3, background: '#fc0' } })
    .png()
    .toBuffer();
  const submitted = await call('jobs.submit', submit({ prompt: 'the one good job' }));
  if (!submitted.ok) throw new Error(submitted.error.message);
  goodJob = submitted.value as Job;
  for (const deadline = Date.now() + 10_000; ;) {
    const listed = await call('jobs.list', { limit: 10 });
    const state = listed.ok ? (listed.value as Job[]).find((job) => job.id === goodJob.id)?.state : null;
    if (state === 'done') break;
    if (Date.now() > deadline) throw new Error(`the good job did not finish (${String(state)})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}, 30_000);

afterAll(async () => {
  await core?.dispose();
  await sim?.close();
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
});

/** What must be unchanged after every bad input. */
async function snapshot(): Promise<string> {
  const jobs = await call('jobs.list', { limit: 500 });
  const images = await call('gallery.query', { query: {}, cursor: null, limit: 500 });
  const history = await call('prompts.history', { limit: 200 });
  const files = (await readdir(join(dataDir, 'library'), { recursive: true })).sort();
  const ids = (value: unknown) =>
    Array.isArray(value) ? value.map((item: { id: string }) => item.id) : value;
  return JSON.stringify({
    jobs: jobs.ok ? (jobs.value as Job[]).map((job) => [job.id, job.state]) : 'error',
    images: images.ok ? ids((images.value as { items: unknown }).items) : 'error',
    history: history.ok ? history.value : 'error',
    files,
  });
}

type IpcCase = [name: string, route: string, input: unknown, code: string, words: RegExp];

const ipcCases: IpcCase[] = [
  ['an unknown route', 'jobs.explode', {}, 'NOT_FOUND', /./],
  ['a request that is not an object', 'jobs.submit', 'hello', 'VALIDATION', /./],
  ['an empty prompt', 'jobs.submit', submit({ prompt: '   ' }), 'VALIDATION', /prompt is empty/i],
  [
    'a prompt over the model limit',
    'jobs.submit',
    submit({ prompt: 'x'.repeat(20_001) }),
    'VALIDATION',
    /longer than|prompt/i,
  ],
  ['an unknown model', 'jobs.submit', submit({ model: 'dall-e' }), 'VALIDATION', /./],
  [
    'an aspect ratio the model does not take',
    'jobs.submit',
    submit({ aspectRatio: '7:1' }),
    'VALIDATION',
    /./,
  ],
  ['an extra field', 'jobs.submit', { ...submit(), sneaky: true }, 'VALIDATION', /./],
  [
    'a reference that was never staged',
    'jobs.submit',
    submit({ references: ['ab'.repeat(16)] }),
    'VALIDATION',
    /no longer staged|staged/i,
  ],
  ['a job id that does not exist', 'jobs.cancel', { id: 'nope' }, 'NOT_FOUND', /./],
  ['a too-large page', 'jobs.list', { limit: 100_000 }, 'VALIDATION', /./],
  ['a hostile image id', 'gallery.detail', { id: '../../etc/passwd' }, 'NOT_FOUND', /not in the library/i],
  ['an image id that is far too long', 'gallery.get', { id: 'a'.repeat(5_000) }, 'VALIDATION', /./],
  ['a rating of 9', 'gallery.setRating', { ids: ['x'], rating: 9 }, 'VALIDATION', /./],
  ['an empty bulk selection', 'gallery.setFavourite', { ids: [], favourite: true }, 'VALIDATION', /./],
  [
    'a tag of 500 characters',
    'gallery.tag',
    { ids: ['x'], add: ['t'.repeat(500)], remove: [] },
    'VALIDATION',
    /./,
  ],
  ['an empty album name', 'albums.create', { name: '   ' }, 'VALIDATION', /./],
  ['an album that does not exist', 'albums.add', { albumId: 'nope', ids: ['x'] }, 'NOT_FOUND', /album/i],
  [
    'a library folder given as a relative path',
    'library.move',
    { to: 'relative/dir' },
    'VALIDATION',
    /full folder path/i,
  ],
  ['a library folder inside the library', 'library.move', { to: '/' }, 'VALIDATION', /inside|contain/i],
  ['a settings patch with a bad URL', 'settings.update', { kieApiBaseUrl: 'not a url' }, 'VALIDATION', /./],
  ['a settings patch with concurrency 0', 'settings.update', { concurrency: 0 }, 'VALIDATION', /./],
  [
    'a KIE API base URL on another host (the saved key would go there)',
    'settings.update',
    { kieApiBaseUrl: 'https://collector.example.com' },
    'VALIDATION',
    /only to KIE/,
  ],
  [
    'a KIE upload URL on another host',
    'settings.update',
    { kieUploadBaseUrl: 'https://uploads.example.net' },
    'VALIDATION',
    /only to KIE/,
  ],
  [
    "a host that only starts like KIE's",
    'settings.update',
    { kieApiBaseUrl: 'https://api.kie.ai.example.com' },
    'VALIDATION',
    /only to KIE/,
  ],
  [
    "KIE's host over plain http",
    'settings.update',
    { kieApiBaseUrl: 'http://api.kie.ai' },
    'VALIDATION',
    /only to KIE/,
  ],
  [
    "KIE's host with user info in the URL",
    'settings.update',
    { kieApiBaseUrl: 'https://me:pw@api.kie.ai' },
    'VALIDATION',
    /only to KIE/,
  ],
  [
    "a loopback address other than the simulator's",
    'settings.update',
    { kieApiBaseUrl: 'http://127.0.0.2:8080' },
    'VALIDATION',
    /only to KIE/,
  ],
  ['an API key that is too short', 'settings.setApiKey', { apiKey: 'abc' }, 'VALIDATION', /./],
  ['an empty reference file', 'references.add', { base64: b64(''), name: 'empty.png' }, 'VALIDATION', /./],
  [
    'a text file named .png',
    'references.add',
    { base64: b64('just some notes'), name: 'notes.png' },
    'VALIDATION',
    /not a PNG, JPEG or WebP/,
  ],
  [
    'a GIF',
    'references.add',
    { base64: b64('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;'), name: 'anim.gif' },
    'VALIDATION',
    /not a PNG, JPEG or WebP/,
  ],
  [
    'a PNG cut in half',
    'references.add',
    { base64: b64(Buffer.alloc(0)), name: 'half.png' },
    'VALIDATION',
    /./,
  ],
  [
    // 31.5 MB: over the 30 MB that Pro and Nano Banana 2 take, under the transfer cap.
    'a file over 30 MB',
    'references.add',
    { base64: 'A'.repeat(42_000_000), name: 'huge.png' },
    'VALIDATION',
    /MB/,
  ],
  [
    'a file over the transfer cap',
    'references.add',
    { base64: 'A'.repeat(45 * 1024 * 1024), name: 'x.png' },
    'VALIDATION',
    /./,
  ],
  [
    'a dropped file that is not an image',
    'images.inspect',
    { base64: b64('%PDF-1.7'), name: 'doc.pdf' },
    'VALIDATION',
    /not a PNG, JPEG or WebP/,
  ],
];

describe('bad input over IPC: a clear refusal, nothing lost', () => {
  it.each(ipcCases)('%s', async (_name, route, input, code, words) => {
    const before = await snapshot();
    // The half PNG is made here, once the fixture exists.
    const payload =
      _name === 'a PNG cut in half'
        ? { base64: b64(png.subarray(0, png.length >> 1)), name: 'half.png' }
        : input;
    const result = await call(route, payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toMatch(words);
    expect(await snapshot()).toBe(before);
  });
});

type CallbackCase = [name: string, request: () => Promise<Response>, status: number];

const post = (
  url: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => fetch(url, { method: 'POST', headers, body });

const callbackCases: CallbackCase[] = [
  ['a callback to a guessed path', () => post(callbackUrl.replace(/[0-9a-f]{8}$/, '00000000'), '{}'), 404],
  ['a callback with the wrong method', () => fetch(callbackUrl, { method: 'PUT', body: '{}' }), 405],
  ['a callback that is not JSON', () => post(callbackUrl, 'taskId=1', { 'content-type': 'text/plain' }), 415],
  ['a callback with broken JSON', () => post(callbackUrl, '{"code": 200, "data": '), 400],
  ['a callback body over 64 KiB', () => post(callbackUrl, JSON.stringify({ pad: 'x'.repeat(70_000) })), 413],
  [
    'a callback for a task nobody knows (acknowledged, ignored)',
    () =>
      post(callbackUrl, JSON.stringify({ code: 200, data: { taskId: 'unknown-task', state: 'success' } })),
    200,
  ],
];

describe('bad callbacks: refused or ignored, nothing lost', () => {
  it.each(callbackCases)('%s', async (_name, request, status) => {
    const before = await snapshot();
    const response = await request();
    expect(response.status).toBe(status);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await snapshot()).toBe(before);
  });

  it('has at least 30 bad-input cases in all', () => {
    expect(ipcCases.length + callbackCases.length).toBeGreaterThanOrEqual(30);
  });
});

const SECRET = 'kie-live-SECRET-0123456789';

/** `value` wrapped `levels` deep in objects and arrays. */
function nest(levels: number, value: unknown): unknown {
  let out = value;
  for (let level = 0; level < levels; level += 1) out = level % 2 === 0 ? { level: out } : [out];
  return out;
}

const circular = (): Record<string, unknown> => {
  const node: Record<string, unknown> = { note: `key ${SECRET}` };
  node['self'] = { again: node };
  return node;
};

type LogCase = [name: string, fields: () => Record<string, unknown>];

const logCases: LogCase[] = [
  ['a registered secret seven levels deep', () => ({ detail: nest(7, `sent ${SECRET}`) })],
  ['a registered secret forty levels deep', () => ({ detail: nest(40, SECRET) })],
  [
    'a secret-named field ten levels deep',
    () => ({ detail: nest(10, { apiKey: 'unregistered-key-value' }) }),
  ],
  ['a Bearer header twelve levels deep', () => ({ detail: nest(12, 'Authorization: Bearer abc.def-ghi') })],
  ['an object that contains itself', circular],
  ['a value with its own toJSON', () => ({ detail: nest(3, { toJSON: () => SECRET }) })],
];

describe('hostile log fields: no secret reaches a log sink, at any depth', () => {
  it.each(logCases)('%s', async (_name, fields) => {
    const dir = await mkdtemp(join(tmpdir(), 'banana-log-depth-'));
    try {
      const redactor = new Redactor();
      redactor.addSecret(SECRET);
      const memory = new MemorySink();
      const file = new RotatingFileSink(dir);
      const log = createLogger({ sinks: [memory, file], redactor });
      expect(() => log.warn('Something deep happened', fields())).not.toThrow();
      await file.flush();
      const written = [JSON.stringify(memory.entries), await readFile(join(dir, 'main.log'), 'utf8')];
      for (const text of written) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain('unregistered-key-value');
        expect(text).not.toContain('abc.def-ghi');
      }
      // Each line is still one JSON entry a log viewer can read back.
      const lines = written[1]?.trim().split('\n') ?? [];
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ message: 'Something deep happened' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the saved KIE key goes only to KIE', () => {
  /** Another host: 127.0.0.2 is loopback on Linux but not the simulator's address. */
  let collector: Server;
  let collectorUrl = '';
  const seenKeys: string[] = [];
  const sink = new MemorySink();
  const log = createLogger({ sinks: [sink] });

  beforeAll(async () => {
    collector = createServer((request, response) => {
      if (request.headers.authorization) seenKeys.push(request.headers.authorization);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"code":200,"data":100}');
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.2', resolve));
    collectorUrl = `http://127.0.0.2:${(collector.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (collector ? collector.close(() => resolve()) : resolve()));
  });

  it('"Test key" with a base URL on another host sends nothing there', async () => {
    const result = await testApiKey('kie-live-saved-key-0123', {
      apiBaseUrl: collectorUrl,
      uploadBaseUrl: collectorUrl,
      log,
      timeoutMs: 2_000,
    });
    expect(result.ok).toBe(false);
    expect(seenKeys).toEqual([]);
  });

  it('the KIE client refuses to attach the key for another host, for every call', async () => {
    const client = new KieClient({
      apiBaseUrl: collectorUrl,
      uploadBaseUrl: collectorUrl,
      getApiKey: async () => 'kie-live-saved-key-0123',
      log,
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    });
    await expect(client.credits()).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(client.recordInfo('task-1')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      client.createTask({ model: 'google/nano-banana', input: { prompt: 'x' } } as never),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(seenKeys).toEqual([]);
  });

  it('the simulator on 127.0.0.1 still gets the key (Demo mode and tests)', async () => {
    const result = await testApiKey(sim.apiKey, {
      apiBaseUrl: sim.apiBaseUrl,
      uploadBaseUrl: sim.uploadBaseUrl,
      log,
      timeoutMs: 5_000,
    });
    expect(result.ok).toBe(true);
  });

  it('a settings file edited to point at another host is reset to KIE on start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'banana-key-host-'));
    try {
      const ports = testPorts(dir, {
        secrets: memorySecretStore({ kieApiKey: 'kie-live-saved-key-0123' }),
        settings: { kieApiBaseUrl: collectorUrl, kieUploadBaseUrl: collectorUrl },
      });
      const other = await createCore(ports, { libraryScanDelayMs: 60_000 });
      try {
        const view = await other.dispatch('settings.get', {}, { transport: 'test' });
        expect(view.ok && view.value).toMatchObject({
          kieApiBaseUrl: 'https://api.kie.ai',
          kieUploadBaseUrl: 'https://kieai.redpandaai.co',
        });
      } finally {
        await other.dispose();
      }
      expect(seenKeys).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    }
  });
});
