import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The pack smoke test: electron-builder --dir over the built app, with a stand-in Electron
 * (no Electron binary can be downloaded here). The stand-in carries a real fuse wire, so
 * electron-builder's fuse flipping runs for real and the packed binary can be read back.
 * Runs in the e2e project because it needs `out/` from the build.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse wire v1 with Electron's defaults for the nine fuses it has (1 = on, 0 = off). */
const DEFAULT_WIRE = '101100001';

let work = '';
let app = '';

async function standInElectron(dir: string): Promise<void> {
  await mkdir(join(dir, 'resources'), { recursive: true });
  const binary = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in for Electron"\n'),
    Buffer.from(SENTINEL),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(DEFAULT_WIRE),
    Buffer.alloc(16),
  ]);
  await writeFile(join(dir, 'electron'), binary);
  await chmod(join(dir, 'electron'), 0o755);
  await writeFile(join(dir, 'version'), '45.4.1');
  await writeFile(join(dir, 'LICENSE'), 'stand-in');
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise(output) : reject(new Error(`exit ${code}\n${output}`)),
    );
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'banana-pack-'));
  await standInElectron(join(work, 'electron-dist'));
  await run(join(ROOT, 'node_modules/.bin/electron-builder'), [
    '--dir',
    '--linux',
    `-c.electronDist=${join(work, 'electron-dist')}`,
    `-c.directories.output=${join(work, 'out')}`,
  ]);
  app = join(work, 'out', 'linux-unpacked');
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('packaged app (electron-builder --dir, stand-in Electron)', () => {
  it('sets every fuse the security policy asks for, read back from the packed binary', async () => {
    const wire = await getCurrentFuseWire(join(app, 'banana-studio'));
    const state = (fuse: FuseV1Options) => String.fromCharCode(wire[fuse] ?? 0);
    expect(state(FuseV1Options.RunAsNode)).toBe('0');
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe('1');
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0');
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0');
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1');
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe('0');
  });

  it('packs only the built app into the ASAR: no sources, tests or source maps', () => {
    const files = listPackage(join(app, 'resources', 'app.asar'), { isPack: false }).map((path) =>
      path.replaceAll('\\', '/'),
    );
    for (const needed of [
      '/package.json',
      '/out/main/index.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/out/renderer/icon.svg',
      '/resources/icon.png',
    ]) {
      expect(files, needed).toContain(needed);
    }
    expect(files.filter((path) => path.startsWith('/src/') || path.startsWith('/tests/'))).toEqual([]);
    expect(files.filter((path) => path.startsWith('/out/') && path.endsWith('.map'))).toEqual([]);
  });

  it('keeps the native modules (sharp, libvips, ngrok) unpacked next to the ASAR', async () => {
    const unpacked = join(app, 'resources', 'app.asar.unpacked', 'node_modules');
    const sharpNode = join(unpacked, '@img', 'sharp-linux-x64', 'lib');
    const ngrokNode = join(unpacked, '@ngrok', 'ngrok-linux-x64-gnu', 'ngrok.linux-x64-gnu.node');
    expect((await readdir(sharpNode)).filter((name) => name.endsWith('.node'))).toHaveLength(1);
    expect((await stat(ngrokNode)).isFile()).toBe(true);
    expect((await stat(join(unpacked, '@img', 'sharp-libvips-linux-x64'))).isDirectory()).toBe(true);
  });
});
