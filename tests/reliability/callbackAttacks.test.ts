import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { Core } from '@core/core';
import { CALLBACK_LIMITS, CALLBACK_PATH_PREFIX } from '@core/callback/server';
import { createCore } from '@core/createCore';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import { createSecretStore } from '@core/settings/secretStore';
import { fakeOsEncryption } from '@core/testing/fakeOsEncryption';
import { memorySecretStore, memoryStore, testPorts } from '@core/testing/memoryPorts';
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
  path = `${CALLBACK_PATH_PREFIX}${String(await ports.secrets.get('callbackToken'))}`;
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

interface Cut {
  /** Time from the first byte sent to the server closing the socket. */
  elapsedMs: number;
  /** The status line the server sent before closing, if any. */
  status: string | null;
}

/**
 * A real slow client: writes `head` at once, then one byte of `drip` every `everyMs`, until the
 * server closes the socket (or `giveUpMs` passes, which fails the case).
 */
function slowClient(head: string, drip: string, everyMs = 500, giveUpMs = 40_000): Promise<Cut> {
  return new Promise((resolve, reject) => {
    const url = new URL(origin);
    const started = Date.now();
    let status: string | null = null;
    const socket = connect(Number(url.port), url.hostname, () => socket.write(head));
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(drip);
    }, everyMs);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held a slow client after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('data', (chunk: Buffer) => {
      status ??= chunk.toString('latin1').split('\r\n')[0] ?? null;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ elapsedMs: Date.now() - started, status });
    });
  });
}

/** Opens a connection that has sent part of a request head, and waits until it is connected. */
function heldConnection(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const url = new URL(origin);
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\n`);
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** Whether the server closes this fresh connection within `ms` without answering it. */
function refusedWithin(ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const url = new URL(origin);
    let answered = false;
    const socket = connect(Number(url.port), url.hostname, () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, ms);
    socket.on('data', (chunk: Buffer) => {
      answered ||= chunk.toString('latin1').startsWith('HTTP/1.1 200');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(!answered);
    });
  });
}

describe.concurrent('callback attack table: slow clients are cut at the stated limits', () => {
  // Node checks these limits only every connectionsCheckingInterval (30 s by default), so a
  // limit "of 10 s" used to hold a socket for 30 s. Allow the limit plus a generous 3 s.
  it('a request head dripped a byte at a time (slowloris) is cut near the header limit', async () => {
    const cut = await slowClient(`POST ${path} HTTP/1.1\r\nHost: x\r\nX-Drip: `, 'a');
    expect(cut.elapsedMs).toBeGreaterThanOrEqual(CALLBACK_LIMITS.headersMs - 500);
    expect(cut.elapsedMs).toBeLessThan(CALLBACK_LIMITS.headersMs + 3_000);
    expect(cut.status).toMatch(/^HTTP\/1\.1 408/);
  }, 40_000);

  it('a body dripped a byte at a time is cut near the request limit', async () => {
    const cut = await slowClient(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{`,
      ' ',
    );
    expect(cut.elapsedMs).toBeGreaterThanOrEqual(CALLBACK_LIMITS.requestMs - 500);
    expect(cut.elapsedMs).toBeLessThan(CALLBACK_LIMITS.requestMs + 3_000);
    expect(cut.status).toMatch(/^HTTP\/1\.1 408/);
  }, 40_000);

  it('a connection that never sends a byte is cut near the header limit', async () => {
    const cut = await slowClient('', '', 60_000);
    expect(cut.elapsedMs).toBeLessThan(CALLBACK_LIMITS.headersMs + 3_000);
  }, 40_000);

  it('meanwhile a normal callback is answered at once', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const started = Date.now();
    expect((await raw({ headers: signed(doneTask()), chunks: [callbackBody(doneTask())] })).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('callback attack table: a pile of connections', () => {
  it('refuses connections over the cap, and answers callbacks again once they are gone', async () => {
    const held: Socket[] = [];
    try {
      for (let index = 0; index < CALLBACK_LIMITS.maxConnections; index += 1)
        held.push(await heldConnection());
      expect(await refusedWithin(2_000)).toBe(true);
      // Under the cap, while the rest are still held, a callback goes through.
      held.pop()?.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await raw({ headers: signed(doneTask()), chunks: [callbackBody(doneTask())] })).status).toBe(
        200,
      );
    } finally {
      for (const socket of held) socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await raw({ method: 'GET' })).status).toBe(200);
  });
});

describe('callback attack table: the callback token stays secret', () => {
  /** A secret store that persists (an OS keychain stand-in), over `persisted`. */
  const keychainSecrets = (persisted = memoryStore(), initial: Record<string, string> = {}) => {
    const logs = testPorts('').log;
    const secrets = createSecretStore({
      encryption: fakeOsEncryption({ backend: 'keyring' }),
      persisted,
      log: logs,
    });
    return {
      secrets,
      persisted,
      ready: Promise.all(Object.entries(initial).map(([k, v]) => secrets.set(k as never, v))),
    };
  };

  async function demoCore(dir: string, overrides: Parameters<typeof testPorts>[1] = {}) {
    const ports = testPorts(dir, {
      demoKie: { apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey },
      settings: { demoMode: true },
      ...overrides,
    });
    const started = await createCore(ports, {
      poll: { initialMs: 30, maxMs: 100, lateCallbackMs: 200, perSecond: 200, burst: 50 },
      libraryScanDelayMs: 60_000,
    });
    const view = await started.dispatch('settings.get', {}, { transport: 'test' });
    const localUrl = (view.ok && (view.value as { callbackLocalUrl: string }).callbackLocalUrl) || '';
    return { ports, core: started, localUrl };
  }

  /** The token the callback server answers on: found from the path a demo task was sent. */
  const tokenOf = (callBackUrl: string | null | undefined): string =>
    new URL(callBackUrl ?? 'http://x/').pathname.slice(CALLBACK_PATH_PREFIX.length);

  it('is kept in the secret store, not the settings store, and is never logged or in diagnostics', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'banana-callback-token-'));
    const { secrets, persisted } = keychainSecrets();
    const rig = await demoCore(dir, { secrets });
    try {
      const job = await submitPrompt(rig.core, 'a job with a callback');
      for (const deadline = Date.now() + 15_000; ;) {
        const listed = await rig.core.dispatch('jobs.list', { limit: 10 }, { transport: 'test' });
        const found = listed.ok ? (listed.value as Job[]).find((item) => item.id === job.id) : undefined;
        if (found?.state === 'done') break;
        if (Date.now() > deadline) throw new Error(`the demo job did not finish (${String(found?.state)})`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const sent = [...sim.tasks.values()].find((task) => task.input['prompt'] === 'a job with a callback');
      const token = tokenOf(sent?.callBackUrl);
      expect(token).toMatch(/^[0-9a-f]{32}$/);
      // The callback server answers on it, and the token lives behind the secret port only.
      expect((await fetch(`${rig.localUrl}${CALLBACK_PATH_PREFIX}${token}`)).status).toBe(200);
      expect(await secrets.get('callbackToken' as never)).toBe(token);
      const settingsStore = rig.ports.store as ReturnType<typeof memoryStore>;
      expect(JSON.stringify([...settingsStore.data.entries()])).not.toContain(token);
      expect(JSON.stringify([...persisted.data.values()])).not.toContain(token);
      // Logs: the "KIE request" line names the callback URL's origin only.
      const logText = JSON.stringify(rig.ports.logs.entries);
      expect(logText).not.toContain(token);
      const request = rig.ports.logs.entries.find(
        (entry) => entry.message === 'KIE request' && entry.fields?.['body'],
      );
      expect(JSON.stringify(request?.fields)).toContain(new URL(rig.localUrl).origin);
      expect(rig.ports.redactor?.redact(`see ${token}`)).toBe('see [redacted]');
      const diagnostics = await rig.core.dispatch('app.diagnostics', {}, { transport: 'test' });
      expect(diagnostics.ok).toBe(true);
      expect(JSON.stringify(diagnostics)).not.toContain(token);
      // No file in the data folder holds it either (the jobs table, the logs, the library).
      await rig.core.dispose();
      for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const text = (await readFile(join(entry.parentPath, entry.name))).toString('latin1');
        expect(text.includes(token), `${entry.name} holds the callback token`).toBe(false);
      }
    } finally {
      await rig.core.dispose();
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    }
  });

  it('a token stored by an older version moves to the secret store and stays the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'banana-callback-token-'));
    const legacy = 'ab'.repeat(16);
    const { secrets, persisted } = keychainSecrets();
    const store = memoryStore({ callbackToken: legacy });
    try {
      const first = await demoCore(dir, { secrets, store });
      expect((await fetch(`${first.localUrl}${CALLBACK_PATH_PREFIX}${legacy}`)).status).toBe(200);
      expect(store.get('callbackToken')).toBeUndefined();
      expect(await secrets.get('callbackToken' as never)).toBe(legacy);
      await first.core.dispose();
      // The next start (a new session reading the same ciphertext) keeps the same URL.
      const again = keychainSecrets(persisted).secrets;
      const second = await demoCore(dir, { secrets: again, store });
      expect((await fetch(`${second.localUrl}${CALLBACK_PATH_PREFIX}${legacy}`)).status).toBe(200);
      await second.core.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    }
  });

  it('where secrets last only a session, the token stays stable but is still never logged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'banana-callback-token-'));
    const store = memoryStore();
    try {
      const first = await demoCore(dir, { secrets: memorySecretStore(), store });
      const firstToken = String(store.get('callbackToken'));
      await first.core.dispose();
      const second = await demoCore(dir, { secrets: memorySecretStore(), store });
      const token = String(store.get('callbackToken'));
      expect(token).toMatch(/^[0-9a-f]{32}$/);
      expect((await fetch(`${second.localUrl}${CALLBACK_PATH_PREFIX}${token}`)).status).toBe(200);
      expect(token).toBe(firstToken);
      expect(JSON.stringify([first.ports.logs.entries, second.ports.logs.entries])).not.toContain(token);
      expect(second.ports.redactor?.redact(token)).toBe('[redacted]');
      await second.core.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    }
  });
});
