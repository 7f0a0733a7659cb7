import * as crypto from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { Job } from '@shared/domain/job';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import { submitPrompt } from '@core/testing/submitPrompt';
import { confStore, fakeEncryptedSecrets } from '../../src/harness/ports';
import { startHarness, type Harness } from '../../src/harness/server';
import { createLogger, MemorySink } from '@core/log/logger';

// The real comparison, watched: a token must be compared in constant time.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof crypto>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

// Electron cannot run here. electron-store is `conf` with Electron's userData as its folder and
// `name` as the file name, so that is its stand-in: the options main passes reach a real file.
const electron = vi.hoisted(() => ({ userData: '' }));
vi.mock('electron', () => ({ app: {}, safeStorage: {} }));
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  return {
    default: class extends Conf<Record<string, unknown>> {
      constructor({ name, ...options }: { name: string } & Record<string, unknown>) {
        super({ ...options, configName: name, cwd: electron.userData, projectName: 'banana-studio' });
      }
    },
  };
});
const { electronStore } = await import('../../src/main/ports');

/**
 * The harness attack table: hostile input to the web harness over real HTTP and real WebSocket
 * frames on 127.0.0.1 (a browser tab, or anything else on this computer, can send these). None
 * may take the process down or leave a request hanging: a bad frame drops that socket, a file
 * that goes away is a 404 or a complete answer, a malformed URL is a 400. After each, the harness
 * still serves its page and the bridge still answers.
 */
let sim: KieSimulator;
let harness: Harness;
let base = '';
let imageId = '';
let imageBytes: Buffer = Buffer.alloc(0);
/** Errors nobody handled: in `npm run web` each of these ends the process. */
let uncaught = 0;
const countUncaught = (): void => {
  uncaught += 1;
};

beforeAll(async () => {
  process.prependListener('uncaughtException', countUncaught);
  base = await mkdtemp(join(tmpdir(), 'banana-harness-attacks-'));
  const rendererDir = join(base, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(rendererDir, 'app.js'), 'console.log("app");');
  sim = await startKieSimulator({
    timings: { waitingMs: 20, queuingMs: 20, generatingMs: 40 },
    maxImageSide: 64,
  });
  harness = await startHarness({
    rendererDir,
    dataDir: join(base, 'data'),
    quiet: true,
    demoKie: { apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey },
    initialSettings: { demoMode: true },
    core: { poll: { initialMs: 30, maxMs: 100 }, libraryScanDelayMs: 60_000 },
  });
  const job = await submitPrompt(harness.core, 'a served image');
  for (const deadline = Date.now() + 15_000; ;) {
    const listed = await harness.core.dispatch('jobs.list', { limit: 10 }, { transport: 'test' });
    const found = listed.ok ? (listed.value as Job[]).find((item) => item.id === job.id) : undefined;
    if (found?.state === 'done' && found.imageIds[0]) {
      imageId = found.imageIds[0];
      break;
    }
    if (Date.now() > deadline) throw new Error(`the job did not finish (${String(found?.state)})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const file = await harness.core.resolveGalleryFile('image', imageId);
  if (!file) throw new Error('the finished image is not served');
  imageBytes = await readFile(file.filePath);
  await closeHandle(file);
}, 30_000);

afterAll(async () => {
  process.off('uncaughtException', countUncaught);
  await harness?.close();
  await sim?.close();
  await rm(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
});

/** Resolved files carry an open handle once serving goes through one checked open. */
async function closeHandle(file: object): Promise<void> {
  const handle = (file as { handle?: { close(): Promise<void> } }).handle;
  await handle?.close().catch(() => undefined);
}

interface Reply {
  status: number;
  body: Buffer;
}

/** GET exactly this request target; a request that hangs fails after `timeoutMs`. */
function get(target: string, timeoutMs = 5_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(harness.origin);
    const request = httpRequest(
      { host: url.hostname, port: url.port, path: target, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`GET ${target} hung`)));
    request.on('error', reject);
    request.end();
  });
}

/** A WebSocket handshake by hand: the socket afterwards speaks raw frames. */
function upgrade(token = harness.token): Promise<{ socket: Socket; status: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(harness.origin);
    const socket = connect(Number(url.port), url.hostname);
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      resolve({ socket, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0) });
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.write(
      [
        `GET /bridge?token=${token} HTTP/1.1`,
        `Host: ${url.host}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `Origin: ${harness.origin}`,
        '',
        '',
      ].join('\r\n'),
    );
  });
}

/** Resolves when the server has closed the socket; fails if it is still open after `ms`. */
function closedWithin(socket: Socket, ms = 3_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return resolve();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept a socket open after a bad frame'));
    }, ms);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.resume();
  });
}

/** A client frame with a mask, as RFC 6455 requires of clients. */
function maskedFrame(first: number, payload: Buffer): Buffer {
  const mask = crypto.randomBytes(4);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] ?? 0)));
  if (payload.length > 125) throw new Error('short frames only');
  return Buffer.concat([Buffer.from([first, 0x80 | payload.length]), mask, masked]);
}

/** The harness still works: its page loads and a fresh bridge connection answers a request. */
async function stillServing(uncaughtBefore: number): Promise<void> {
  expect(uncaught - uncaughtBefore).toBe(0);
  expect((await get('/')).status).toBe(200);
  const ws = new WebSocket(`${harness.origin.replace('http', 'ws')}/bridge?token=${harness.token}`, {
    origin: harness.origin,
  });
  const reply = await new Promise<{ id: number; result: { ok: boolean } }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bridge did not answer')), 5_000);
    ws.on('open', () => ws.send(JSON.stringify({ t: 'req', id: 7, route: 'settings.get', input: {} })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { t?: string; id: number; result: { ok: boolean } };
      // Events (a job or tunnel update) may come first: the answer is the message with our id.
      if (message.t === 'evt') return;
      clearTimeout(timer);
      resolve(message);
    });
    ws.on('error', reject);
  });
  ws.close();
  expect(reply).toMatchObject({ id: 7, result: { ok: true } });
}

type FrameAttack = [name: string, frame: () => Buffer];

const frameAttacks: FrameAttack[] = [
  ['an unmasked text frame', () => Buffer.concat([Buffer.from([0x81, 0x05]), Buffer.from('hello')])],
  [
    'a frame that declares a terabyte (over the size limit)',
    () => {
      const header = Buffer.alloc(14);
      header[0] = 0x82;
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(2n ** 40n, 2);
      crypto.randomBytes(4).copy(header, 10);
      return header;
    },
  ],
  ['a frame with a reserved bit set', () => maskedFrame(0xc1, Buffer.from('{}'))],
  ['a frame with an unknown opcode', () => maskedFrame(0x83, Buffer.from('{}'))],
  ['a text frame that is not UTF-8', () => maskedFrame(0x81, Buffer.from([0xc3, 0x28, 0xff]))],
  ['a fragmented control frame', () => maskedFrame(0x09, Buffer.from('ping'))],
  ['a close frame with a forbidden code', () => maskedFrame(0x88, Buffer.from([0x03, 0xed]))],
];

describe('harness attack table: bad WebSocket frames drop that socket, the harness keeps serving', () => {
  it.each(frameAttacks)('%s', async (_name, frame) => {
    const before = uncaught;
    const { socket, status } = await upgrade();
    expect(status).toBe(101);
    socket.write(frame());
    await closedWithin(socket);
    await stillServing(before);
  });

  it('a client that vanishes in the middle of a frame', async () => {
    const before = uncaught;
    const { socket } = await upgrade();
    socket.write(
      maskedFrame(0x81, Buffer.from('{"t":"req","id":1,"route":"settings.get","input":{}}')).subarray(0, 9),
    );
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await stillServing(before);
  });
});

type HttpAttack = [name: string, target: () => string, status: number];

const httpAttacks: HttpAttack[] = [
  ['malformed percent-encoding in an image URL', () => '/icon%E0%A4%A.png', 400],
  ['a truncated escape in a script URL', () => '/app%.js', 400],
  ['an overlong UTF-8 escape', () => '/%c0%af.svg', 400],
  [
    'malformed percent-encoding in a gallery URL',
    () => `/gallery/image/%zz${imageId}?token=${harness.token}`,
    404,
  ],
  ['a request target that is not a URL', () => 'http://[::1', 400],
];

describe('harness attack table: malformed URLs are refused, not errors', () => {
  it.each(httpAttacks)('%s', async (_name, target, status) => {
    const before = uncaught;
    expect((await get(target())).status).toBe(status);
    await stillServing(before);
  });
});

describe('harness attack table: files that go away while they are served', () => {
  it('a gallery image deleted between the check and the read: a full answer or a 404, never a crash or a hang', async () => {
    const before = uncaught;
    const core = harness.core;
    const original = core.resolveGalleryFile.bind(core);
    const path = join(base, 'vanishing.png');
    core.resolveGalleryFile = async (asset, rawId) => {
      const file = await original(asset, rawId);
      if (file) {
        // Play the file going away after the lookup said it is there.
        const backup = await readFile(file.filePath);
        await writeFile(path, backup);
        await rm(file.filePath);
      }
      return file;
    };
    try {
      const reply = await get(`/gallery/image/${imageId}?token=${harness.token}`);
      expect([200, 404]).toContain(reply.status);
      if (reply.status === 200) expect(reply.body.equals(imageBytes)).toBe(true);
    } finally {
      core.resolveGalleryFile = original;
      const file = await core.resolveGalleryFile('image', imageId);
      if (file) await closeHandle(file);
      const detail = await core.dispatch('gallery.detail', { id: imageId }, { transport: 'test' });
      const filePath = detail.ok ? (detail.value as { filePath: string }).filePath : '';
      if ((await stat(filePath).catch(() => null)) === null) await writeFile(filePath, await readFile(path));
    }
    await stillServing(before);
  });

  it('a page file deleted and written again while it is requested (300 tries): 200 or 404, never a hang', async () => {
    const before = uncaught;
    const target = join(base, 'renderer', 'flicker.js');
    const content = 'x'.repeat(64 * 1024);
    await writeFile(target, content);
    let stop = false;
    // Gone, then back whole (written aside and renamed in, as an update would).
    const flicker = (async () => {
      while (!stop) {
        await rm(target, { force: true });
        await writeFile(`${target}.next`, content);
        await rename(`${target}.next`, target);
      }
    })();
    const statuses = new Map<number, number>();
    try {
      for (let attempt = 0; attempt < 300; attempt += 1) {
        const reply = await get('/flicker.js');
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status === 200) expect(reply.body.length).toBe(content.length);
      }
    } finally {
      stop = true;
      await flicker;
    }
    expect([...statuses.keys()].every((status) => status === 200 || status === 404)).toBe(true);
    await stillServing(before);
  });
});

describe('harness attack table: session tokens', () => {
  it('compares the bridge and gallery tokens in constant time', async () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    const wrong = harness.token.replace(/^./, (first) => (first === '0' ? '1' : '0'));
    const bridge = await upgrade(wrong);
    expect(bridge.status).toBe(403);
    bridge.socket.destroy();
    expect(compare).toHaveBeenCalled();
    compare.mockClear();
    expect((await get(`/gallery/image/${imageId}?token=${wrong}`)).status).toBe(403);
    expect(compare).toHaveBeenCalled();
  });

  it.each([
    ['a token one character short', () => harness.token.slice(1)],
    ['a token twice as long', () => harness.token.repeat(2)],
    ['a token in another script', () => '令牌'.repeat(16)],
    ['an empty token', () => ''],
  ])('refuses %s without an error', async (_name, token) => {
    const before = uncaught;
    const bridge = await upgrade(encodeURIComponent(token()));
    expect(bridge.status).toBe(403);
    bridge.socket.destroy();
    expect((await get(`/gallery/image/${imageId}?token=${encodeURIComponent(token())}`)).status).toBe(403);
    await stillServing(before);
  });
});

/** Permission bits of a file (POSIX only: Windows has no such mode). */
async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe.skipIf(process.platform === 'win32')('harness attack table: files other users could read', () => {
  it('the harness creates settings.json and secrets.json for its user only (0600)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'banana-modes-'));
    try {
      const settings = confStore(dir);
      settings.set('settings', { language: 'en' });
      const secrets = fakeEncryptedSecrets(
        dir,
        { backend: 'keyring' },
        { kieApiKey: 'kie-live-secret-0123' },
        createLogger({ sinks: [new MemorySink()] }),
      );
      await secrets.set('webhookHmacKey', 'whsec-0123456789');
      expect((await modeOf(join(dir, 'settings.json'))).toString(8)).toBe('600');
      expect((await modeOf(join(dir, 'secrets.json'))).toString(8)).toBe('600');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the desktop app creates settings.json and secrets.json for its user only (0600), and tightens old ones', async () => {
    electron.userData = await mkdtemp(join(tmpdir(), 'banana-modes-electron-'));
    try {
      // A file left by an older version with the default mode.
      await writeFile(join(electron.userData, 'secrets.json'), '{}', { mode: 0o644 });
      electronStore('settings').set('settings', { language: 'en' });
      electronStore('secrets').set('kieApiKey', 'Y2lwaGVydGV4dA==');
      expect((await modeOf(join(electron.userData, 'settings.json'))).toString(8)).toBe('600');
      expect((await modeOf(join(electron.userData, 'secrets.json'))).toString(8)).toBe('600');
    } finally {
      await rm(electron.userData, { recursive: true, force: true });
    }
  });
});
