import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { Core } from '@core/core';
import { CALLBACK_PATH_PREFIX } from '@core/callback/server';
import { createCore } from '@core/createCore';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
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
  const token = ports.store.get('callbackToken');
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
    'a file over 10 MB',
    'references.add',
    { base64: 'A'.repeat(14_000_000), name: 'huge.png' },
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
