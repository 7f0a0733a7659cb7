import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  access,
  constants,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { storedZip } from '../support/storedZip';

/**
 * `npm install && npm start` on a fresh machine: Electron 45 downloads its binary only when asked,
 * and electron-vite refuses to start without the `path.txt` that download writes. Each test
 * builds a throwaway project whose `start` script is the real one from package.json, whose
 * `electron` and `electron-vite` are copies of the installed packages (everything else is
 * symlinked), and whose mirror is a real HTTP server on 127.0.0.1 serving a stand-in Electron
 * archive, so the real installer and the real `electron-vite preview` run without the network
 * and without touching this checkout's node_modules.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const MODULES = join(ROOT, 'node_modules');
const COPIED = ['electron', 'electron-vite'];

const rootPackage = z
  .object({ scripts: z.object({ start: z.string(), dev: z.string() }) })
  .parse(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')));
const { version } = z
  .object({ version: z.string() })
  .parse(JSON.parse(await readFile(join(MODULES, 'electron', 'package.json'), 'utf8')));
const ARCHIVE = `electron-v${version}-linux-x64.zip`;

/** Records every start (its arguments) so a test can tell the app was launched. */
const STANDIN = '#!/bin/sh\nprintf "ran %s\\n" "$*" >> "$STANDIN_RECORD"\n';
const archive = storedZip([
  { name: 'electron', data: Buffer.from(STANDIN), mode: 0o755 },
  { name: 'version', data: Buffer.from(version), mode: 0o644 },
  { name: 'LICENSE', data: Buffer.from('stand-in'), mode: 0o644 },
]);
const sha256 = createHash('sha256').update(archive).digest('hex');

let work = '';
let mirror: Server;
let mirrorUrl = '';
const requests: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'banana-electron-install-'));
  mirror = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    // The layout @electron/get asks a mirror for: <mirror><dir>/<file>, dir defaulting to v<version>.
    const [, dir, file] = path.split('/');
    if (file === ARCHIVE && (dir === `v${version}` || dir === 'badsum')) {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': archive.length });
      res.end(archive);
    } else if (file === 'SHASUMS256.txt' && (dir === `v${version}` || dir === 'badsum')) {
      res.end(`${dir === 'badsum' ? '0'.repeat(64) : sha256} *${ARCHIVE}\n`);
    } else {
      res.writeHead(404).end('not here');
    }
  });
  await new Promise<void>((done) => mirror.listen(0, '127.0.0.1', done));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((done) => (mirror ? mirror.close(() => done()) : done()));
  if (work) await rm(work, { recursive: true, force: true });
});

interface Project {
  dir: string;
  electron: string;
  record: string;
  cache: string;
}

async function makeProject(name: string): Promise<Project> {
  const dir = join(work, name);
  await mkdir(join(dir, 'out', 'main'), { recursive: true });
  await mkdir(join(dir, 'tmp'));
  await writeFile(join(dir, 'out', 'main', 'index.js'), '');
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `standin-${name}`,
      private: true,
      type: 'module',
      main: 'out/main/index.js',
      scripts: rootPackage.scripts,
    }),
  );
  await cp(join(ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true });
  const modules = join(dir, 'node_modules');
  await mkdir(join(modules, '.bin'), { recursive: true });
  const entries = (await readdir(MODULES)).filter(
    (entry) => !entry.startsWith('.') && !COPIED.includes(entry),
  );
  await Promise.all(entries.map((entry) => symlink(join(MODULES, entry), join(modules, entry))));
  // Copies, not links: each resolves its neighbours from this project, and the installer
  // writes into its own folder. A binary this checkout may have is left behind.
  const skip = new Set([join(MODULES, 'electron', 'dist'), join(MODULES, 'electron', 'path.txt')]);
  for (const pkg of COPIED) {
    await cp(join(MODULES, pkg), join(modules, pkg), { recursive: true, filter: (src) => !skip.has(src) });
  }
  await symlink('../electron-vite/bin/electron-vite.js', join(modules, '.bin', 'electron-vite'));
  return {
    dir,
    electron: join(modules, 'electron'),
    record: join(dir, 'ran.log'),
    cache: join(dir, 'cache'),
  };
}

/** The environment of a fresh shell: nothing Electron-, proxy- or npm-specific from the runner. */
function freshEnv(project: Project, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/electron|proxy|^npm_/i.test(key)) env[key] = value;
  }
  return {
    ...env,
    electron_config_cache: project.cache,
    // The installer's scratch folders land inside the throwaway project, whatever happens.
    TMPDIR: join(project.dir, 'tmp'),
    ELECTRON_INSTALL_PLATFORM: 'linux',
    ELECTRON_INSTALL_ARCH: 'x64',
    ELECTRON_GET_NO_PROGRESS: '1',
    STANDIN_RECORD: project.record,
    // npm would otherwise ask the registry for a newer npm: this suite stays on 127.0.0.1.
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(guard);
      done({ code, stdout, stderr });
    });
  });
}

/** `npm start`, minus the build (covered by the build step of `npm test`): the app entry is a stub. */
const npmStart = (project: Project, env: NodeJS.ProcessEnv) =>
  run('npm', ['start', '--', '--skipBuild'], project.dir, env);
const ensure = (project: Project, env: NodeJS.ProcessEnv) =>
  run(process.execPath, ['scripts/ensure-electron.mjs'], project.dir, env);

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

/** What a user must see when the download cannot happen: one sentence, a way out, no trace. */
function expectOneClearSentence(outcome: Outcome, reason: RegExp): void {
  expect(outcome.code).not.toBe(0);
  const all = outcome.stdout + outcome.stderr;
  expect(all).not.toMatch(/^\s+at /m);
  expect(all).not.toContain('Electron uninstall');
  const lines = outcome.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(reason);
  expect(lines[0]).toContain(`Electron ${version}`);
  expect(lines[0]).toContain('npm run web');
}

describe('a fresh install opens with `npm start` (stand-in Electron from a 127.0.0.1 mirror)', () => {
  it('npm start downloads the binary, writes path.txt, and electron-vite launches it; the next start needs no network', async () => {
    const project = await makeProject('fresh');
    const env = freshEnv(project, { ELECTRON_MIRROR: mirrorUrl, electron_use_remote_checksums: '1' });
    expect(await exists(join(project.electron, 'path.txt'))).toBe(false);

    const first = await npmStart(project, env);
    expect(first.stderr).not.toContain('Electron uninstall');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(await readFile(join(project.electron, 'path.txt'), 'utf8')).toBe('electron');
    await access(join(project.electron, 'dist', 'electron'), constants.X_OK);
    expect(await readFile(project.record, 'utf8')).toBe('ran .\n');
    expect(requests).toContain(`/v${version}/${ARCHIVE}`);
    expect(requests).toContain(`/v${version}/SHASUMS256.txt`);

    const asked = requests.length;
    const again = await npmStart(project, env);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(requests.length).toBe(asked);
    expect(await readFile(project.record, 'utf8')).toBe('ran .\nran .\n');
  });

  it('npm run dev ensures the binary before electron-vite, like npm start', () => {
    expect(rootPackage.scripts.dev).toMatch(/^node scripts\/ensure-electron\.mjs && electron-vite dev\b/);
    expect(rootPackage.scripts.start).toMatch(
      /^node scripts\/ensure-electron\.mjs && electron-vite preview\b/,
    );
  });

  it('mirror down: npm start stops with one clear sentence naming the way out, not a stack trace', async () => {
    const project = await makeProject('down');
    const env = freshEnv(project, { ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` });

    const started = await npmStart(project, env);
    expect(started.code).not.toBe(0);
    expect(started.stdout + started.stderr).not.toMatch(/^\s+at /m);
    expect(started.stdout + started.stderr).not.toContain('Electron uninstall');
    expect(started.stderr).toContain('npm run web');
    expect(await exists(project.record)).toBe(false);

    const direct = await ensure(project, env);
    expectOneClearSentence(direct, /refused/);
    expect(direct.stderr).toContain('ELECTRON_MIRROR');
    expect(direct.stderr).toContain('HTTPS_PROXY');
    expect(await exists(join(project.electron, 'path.txt'))).toBe(false);
  });

  it('a mirror without the file (HTTP 404) and a file that fails its checksum: one sentence each', async () => {
    const project = await makeProject('bad');
    const missing = await ensure(
      project,
      freshEnv(project, {
        ELECTRON_MIRROR: mirrorUrl,
        ELECTRON_CUSTOM_DIR: 'nothing-here',
        electron_use_remote_checksums: '1',
      }),
    );
    expectOneClearSentence(missing, /HTTP 404/);
    expect(missing.stderr).toContain(`${mirrorUrl}nothing-here/${ARCHIVE}`);

    const corrupt = await ensure(
      project,
      freshEnv(project, {
        ELECTRON_MIRROR: mirrorUrl,
        ELECTRON_CUSTOM_DIR: 'badsum',
        electron_use_remote_checksums: '1',
      }),
    );
    expectOneClearSentence(corrupt, /checksum/);
    expect(await exists(join(project.electron, 'path.txt'))).toBe(false);
  });

  it('behind a proxy (HTTP_PROXY set), the download goes through the proxy', async () => {
    const project = await makeProject('proxied');
    const proxied: string[] = [];
    // A tunnelling proxy (HTTP CONNECT, as undici uses for every target). The mirror's host name
    // resolves nowhere, so only the proxy can reach it.
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: IncomingMessage, client: Duplex) => {
      proxied.push(req.url ?? '');
      if (req.url !== 'electron-mirror.invalid:80')
        return void client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      const upstream = connect((mirror.address() as AddressInfo).port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    const asked = requests.length;
    try {
      const outcome = await ensure(
        project,
        freshEnv(project, {
          ELECTRON_MIRROR: 'http://electron-mirror.invalid/',
          electron_use_remote_checksums: '1',
          HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        }),
      );
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(proxied).toContain('electron-mirror.invalid:80');
      expect(requests.slice(asked)).toContain(`/v${version}/${ARCHIVE}`);
      expect(await readFile(join(project.electron, 'path.txt'), 'utf8')).toBe('electron');
    } finally {
      await new Promise<void>((done) => proxy.close(() => done()));
    }
  });

  it('ELECTRON_SKIP_BINARY_DOWNLOAD=1 (as CI sets it) downloads nothing and says how to get the binary', async () => {
    const project = await makeProject('skip');
    const asked = requests.length;
    const outcome = await ensure(
      project,
      freshEnv(project, { ELECTRON_MIRROR: mirrorUrl, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }),
    );
    expectOneClearSentence(outcome, /ELECTRON_SKIP_BINARY_DOWNLOAD/);
    expect(requests.length).toBe(asked);
  });
});
