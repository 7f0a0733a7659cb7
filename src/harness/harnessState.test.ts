import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '@core/testing/tempDir';
import {
  HARNESS_STATE_FILE,
  defaultWebDataDir,
  readHarnessState,
  startRememberedHarness,
  writeHarnessState,
} from './harnessState';
import type { Harness } from './server';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(dataDir: string, port?: number) {
  const rendererDir = await tempDir();
  const started = await startRememberedHarness({ rendererDir, dataDir, quiet: true, port });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await started.harness.close();
  };
  cleanups.push(close);
  return { ...started, close };
}

const portOf = (harness: Harness) => Number(new URL(harness.origin).port);

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return server;
}

describe('the web data folder', () => {
  it('is a fixed folder in the OS application data, like the desktop app’s', () => {
    expect(defaultWebDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Banana Studio (web)');
    expect(defaultWebDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ana')).toBe(
      '/cfg/Banana Studio (web)',
    );
    expect(defaultWebDataDir('darwin', {}, '/Users/ana')).toBe(
      '/Users/ana/Library/Application Support/Banana Studio (web)',
    );
    expect(
      defaultWebDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana'),
    ).toContain('Banana Studio (web)');
    // The same answer every time: a restart finds the same folder (it used to be a new temp dir).
    expect(defaultWebDataDir()).toBe(defaultWebDataDir());
  });
});

describe('harness.json', () => {
  it('round-trips, readable by this user only', async () => {
    const dir = await tempDir();
    const state = { version: 1 as const, port: 41_234, token: 'a'.repeat(32) };
    await writeHarnessState(dir, state);
    await expect(readHarnessState(dir)).resolves.toEqual(state);
    expect((await stat(join(dir, HARNESS_STATE_FILE))).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['missing', null],
    ['not JSON', '{"port": 4'],
    ['a wrong shape', JSON.stringify({ version: 1, port: 'x', token: 'a'.repeat(32) })],
    ['a short token', JSON.stringify({ version: 1, port: 4000, token: 'abc' })],
    ['an impossible port', JSON.stringify({ version: 1, port: 70_000, token: 'a'.repeat(32) })],
  ])('is ignored when it is %s', async (_name, text) => {
    const dir = await tempDir();
    if (text !== null) await writeFile(join(dir, HARNESS_STATE_FILE), text);
    await expect(readHarnessState(dir)).resolves.toBeNull();
  });
});

describe('startRememberedHarness', () => {
  it('comes back on the same port with the same token for the same data folder', async () => {
    const dataDir = await tempDir();
    const first = await start(dataDir);
    const { port, token } = { port: portOf(first.harness), token: first.harness.token };
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    await first.close();

    const second = await start(dataDir);
    expect(second.movedFrom).toBeNull();
    expect(portOf(second.harness)).toBe(port);
    expect(second.harness.token).toBe(token);
    expect(second.harness.url).toBe(first.harness.url);
    // The old link works: the page is served with the saved token.
    const response = await fetch(`${second.harness.origin}/gallery/image/x?token=${token}`);
    expect(response.status).toBe(404);
    const refused = await fetch(`${second.harness.origin}/gallery/image/x?token=${'0'.repeat(32)}`);
    expect(refused.status).toBe(403);
  });

  it('falls back to a free port when the saved one is taken, says so, and saves the new one', async () => {
    const dataDir = await tempDir();
    const first = await start(dataDir);
    const saved = portOf(first.harness);
    await first.close();
    await occupy(saved);

    const second = await start(dataDir);
    expect(second.movedFrom).toBe(saved);
    expect(portOf(second.harness)).not.toBe(saved);
    expect(second.harness.token).toBe(first.harness.token);
    const state = JSON.parse(await readFile(join(dataDir, HARNESS_STATE_FILE), 'utf8')) as { port: number };
    expect(state.port).toBe(portOf(second.harness));
  });

  it('an explicit port that is taken is an error, not a silent move', async () => {
    const dataDir = await tempDir();
    const taken = await occupy(0);
    const port = (taken.address() as { port: number }).port;
    await expect(start(dataDir, port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
