#!/usr/bin/env node
// Runs before `electron-vite preview` / `electron-vite dev` (npm start, npm run dev).
// Electron 45 no longer downloads its binary at `npm install`, and electron-vite stops with
// "Electron uninstall" until it has, so this fetches it the first time, through Electron's own
// @electron/get (mirror, cache and checksum settings included) and Electron's own installer.
// Once the binary is there it only reads two small files: no network, no extra modules.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const env = process.env;
const retry = env.npm_lifecycle_event === 'dev' ? 'npm run dev' : 'npm start';
const WEB = 'or run `npm run web` to use Banana Studio in your browser without Electron';
const electronDir = electronPackage();
const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const MIRROR_HINT = 'ELECTRON_MIRROR to a mirror such as https://npmmirror.com/mirrors/electron/';

// The same platform, arch and executable path as node_modules/electron/install.js picks, so the
// archive fetched here is the one the installer then finds in the cache.
const platform = env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || process.platform;
const arch = installArch();
const executable = platformPath(platform);
const target = `${platform}-${arch}`;

function electronPackage() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return stop(`The electron package is missing from node_modules: run \`npm install\`, then \`${retry}\`.`);
  }
}

function installArch() {
  const chosen = env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || process.arch;
  if (platform === 'darwin' && process.platform === 'darwin' && chosen === 'x64' && !env.npm_config_arch) {
    try {
      // An x64 Node under Rosetta on Apple silicon: the installer fetches the arm64 build.
      if (execSync('sysctl -in sysctl.proc_translated').toString().trim() === '1') return 'arm64';
    } catch {
      // Not translated, or sysctl unavailable: keep x64.
    }
  }
  return chosen;
}

function platformPath(name) {
  if (name === 'darwin' || name === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (name === 'win32') return 'electron.exe';
  return 'electron';
}

/** What electron-vite will launch: `dist/<path.txt>`, for this very Electron version. */
function installed() {
  try {
    const distVersion = readFileSync(join(electronDir, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '');
    const pathTxt = readFileSync(join(electronDir, 'path.txt'), 'utf8');
    return (
      distVersion === version && pathTxt === executable && existsSync(join(electronDir, 'dist', pathTxt))
    );
  } catch {
    return false;
  }
}

function stop(sentence, detail) {
  process.stderr.write(`${sentence}\n`);
  if (env.DEBUG && detail) console.error(detail);
  process.exit(1);
}

/** The first set spelling of an Electron download setting, as @electron/get reads it. */
function electronSetting(name) {
  return (
    env[`npm_config_electron_${name}`] ||
    env[`NPM_CONFIG_ELECTRON_${name.toUpperCase()}`] ||
    env[`npm_package_config_electron_${name}`] ||
    env[`ELECTRON_${name.toUpperCase()}`]
  );
}

function errorCode(error) {
  for (let cause = error; cause; cause = cause.cause) {
    if (typeof cause.code === 'string') return { code: cause.code, where: cause };
    const inner = Array.isArray(cause.errors) ? cause.errors.find((e) => typeof e?.code === 'string') : null;
    if (inner) return { code: inner.code, where: inner };
  }
  return { code: '', where: error };
}

/** The first line of each message down an error's cause chain. */
function chain(error) {
  const messages = [];
  for (let cause = error; cause && messages.length < 6; cause = cause.cause) {
    messages.push(
      String(cause.message ?? cause)
        .split('\n')[0]
        .replace(/\.$/, ''),
    );
  }
  return messages;
}

/** Why the download failed, in words, and what to do about it. */
function explain(error) {
  const { code, where } = errorCode(error);
  const host = where.hostname || (where.address ? `${where.address}:${where.port}` : 'the download server');
  const network = `check your internet connection (behind a proxy, set HTTPS_PROXY), or set ${MIRROR_HINT}`;
  if (error?.name === 'HTTPError' && error.response) {
    const { status, url } = error.response;
    if (status === 407)
      return [`the proxy asked for credentials (HTTP 407 for ${url})`, 'put them in HTTPS_PROXY'];
    return [
      `the server answered HTTP ${status} for ${url}`,
      `check ELECTRON_MIRROR, or unset it to use GitHub`,
    ];
  }
  const proxied = chain(error).find((message) => /^Proxy response \(\d+\)/.test(message));
  if (proxied) {
    const status = proxied.match(/\d+/)[0];
    return status === '407'
      ? [
          'the proxy asked for credentials (HTTP 407)',
          'put them in HTTPS_PROXY (http://user:password@host:port)',
        ]
      : [`the proxy refused the connection (HTTP ${status})`, 'check HTTPS_PROXY and NO_PROXY'];
  }
  if (/checksum/i.test(error?.message ?? '') || /Checksum/.test(error?.constructor?.name ?? '')) {
    return [
      "the downloaded file did not match Electron's published checksum (a broken download, or a mirror serving another file)",
      'check ELECTRON_MIRROR if you set one',
    ];
  }
  if (code === 'ERR_INVALID_URL') {
    return [`the download address ${where.input ?? ''} is not a valid URL`, 'correct ELECTRON_MIRROR'];
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return [`${host} could not be found (offline?)`, network];
  if (code === 'ECONNREFUSED') return [`the connection to ${host} was refused`, network];
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return [`the connection to ${host} was cut`, network];
  }
  if (/TIMEDOUT|TIMEOUT/.test(code)) return [`the connection to ${host} timed out`, network];
  if (/CERT|SSL|TLS/.test(code)) {
    return [
      `the certificate of ${host} was not trusted (${code})`,
      'if a company proxy inspects HTTPS, point NODE_EXTRA_CA_CERTS at its certificate',
    ];
  }
  if (code === 'ENOSPC') return ['the disk is full', 'free about 400 MB'];
  if (code === 'EACCES' || code === 'EPERM') {
    return [
      `permission was denied for ${where.path ?? 'a file'}`,
      "set electron_config_cache to a folder you can write, or fix the folder's permissions",
    ];
  }
  return [chain(error).slice(0, 3).join(': '), network];
}

function progress() {
  if (!process.stdout.isTTY) return undefined;
  let shown = -1;
  return ({ transferred, total, percent }) => {
    const step = Math.floor(percent * 100);
    if (step === shown) return;
    shown = step;
    const size = total ? ` of ${Math.round(total / 1e6)} MB` : ` (${Math.round(transferred / 1e6)} MB)`;
    process.stdout.write(`\r  ${step}%${size}${step === 100 ? '\n' : ''}`);
  };
}

async function download() {
  // @electron/get tunnels through a proxy only when asked to; a user with HTTPS_PROXY set wants it.
  if (
    !env.ELECTRON_GET_USE_PROXY &&
    (env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy)
  ) {
    env.ELECTRON_GET_USE_PROXY = '1';
  }
  const fromElectron = createRequire(join(electronDir, 'package.json'));
  const { downloadArtifact } = await import(pathToFileURL(fromElectron.resolve('@electron/get')).href);
  const remoteChecksums = env.electron_use_remote_checksums || env.npm_config_electron_use_remote_checksums;
  await downloadArtifact({
    version,
    artifactName: 'electron',
    cacheRoot: env.electron_config_cache,
    checksums: remoteChecksums ? undefined : fromElectron('./checksums.json'),
    platform,
    arch,
    downloadOptions: { quiet: true, getProgressCallback: progress() },
  });
}

if (env.ELECTRON_EXEC_PATH) {
  // electron-vite launches this instead of node_modules/electron; nothing to fetch.
  if (existsSync(env.ELECTRON_EXEC_PATH)) process.exit(0);
  stop(
    `ELECTRON_EXEC_PATH points at ${env.ELECTRON_EXEC_PATH}, which does not exist: fix or unset it, ${WEB}.`,
  );
}
if (installed()) process.exit(0);

const failed = `Banana Studio could not download Electron ${version} for ${target}`;
// Any value skips, as Electron's own installer always read it.
if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  stop(
    `Electron ${version} is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded: ` +
      `unset it and run \`${retry}\` again, or set ELECTRON_EXEC_PATH to an Electron executable — ${WEB}.`,
  );
}

const mirror = electronSetting('mirror') || 'https://github.com/electron/electron/releases/download/';
const source = URL.canParse(mirror) ? new URL(mirror).host : mirror;
const into = relative(process.cwd(), join(electronDir, 'dist')) || join(electronDir, 'dist');
console.log(
  `Downloading Electron ${version} for ${target} from ${source} (about 100 MB, only this once) into ${into}…`,
);
try {
  await download();
} catch (error) {
  const [reason, advice] = explain(error);
  stop(`${failed}: ${reason}; ${advice}, then run \`${retry}\` again — ${WEB}.`, error);
}

// Electron's installer unpacks the archive from the cache just filled and writes path.txt.
const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  env,
  stdio: ['ignore', 'inherit', 'pipe'],
  encoding: 'utf8',
});
if (install.status !== 0 || !installed()) {
  const said = (install.stderr || install.error?.message || '').split('\n').find((line) => line.trim()) ?? '';
  const reason = said
    ? said.trim().replace(/\.$/, '')
    : `${join(electronDir, 'dist', executable)} is missing`;
  stop(
    `Electron ${version} was downloaded but could not be unpacked into ${into} (${reason}): ` +
      `delete node_modules/electron/dist and run \`${retry}\` again — ${WEB}.`,
    install.stderr,
  );
}
console.log(`Electron ${version} is ready.`);
