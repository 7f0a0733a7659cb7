import { mkdir, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core, ResolvedImageFile } from '@core/core';
import { createLogger, MemorySink } from '@core/log/logger';

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  registerSchemesAsPrivileged: vi.fn(),
}));

vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: electron.registerSchemesAsPrivileged,
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
      electron.handlers.set(scheme, handler),
  },
}));

const {
  CONTENT_SECURITY_POLICY,
  contentTypeFor,
  originOf,
  registerPrivilegedSchemes,
  registerProtocols,
  resolveInsideRoot,
} = await import('./protocols');

describe('resolveInsideRoot', () => {
  const root = resolve('/srv/renderer');

  it.each([
    ['/', 'index.html'],
    ['', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/index-abc.js', 'assets/index-abc.js'],
    ['//assets//a.css', 'assets/a.css'],
    ['/assets/./a.css', 'assets/a.css'],
    ['/assets/../index.html', 'index.html'],
    ['/assets/my%20font.woff2', 'assets/my font.woff2'],
    ['/%252e%252e/secret', '%2e%2e/secret'],
    ['/..foo.js', '..foo.js'],
  ])('keeps %j inside the root', (path, expected) => {
    expect(resolveInsideRoot(root, path)).toBe(join(root, expected));
  });

  it.each([
    ['/../etc/passwd'],
    ['/assets/../../etc/passwd'],
    ['..'],
    ['/..'],
    ['/%2e%2e/etc/passwd'],
    ['/%2E%2E%2Fetc%2Fpasswd'],
    ['/assets%2f..%2f..%2fetc%2fpasswd'],
    ['/..%5c..%5cwindows%5cwin.ini'],
    ['/assets\\..\\..\\secret'],
    ['\\\\server\\share\\x'],
    ['/C:/Windows/win.ini'],
    ['C:\\Windows\\win.ini'],
    ['/index.html%00.png'],
    ['/index.html\0'],
    ['/%E0%A4%A'],
    ['/%'],
  ])('refuses %j', (path) => {
    expect(resolveInsideRoot(root, path)).toBeNull();
  });

  it('treats a leading slash as the bundle root, never the filesystem root', () => {
    expect(resolveInsideRoot(root, '/etc/passwd')).toBe(join(root, 'etc/passwd'));
    expect(resolveInsideRoot(root, `/${root}/x`)).toBe(join(root, root, 'x'));
  });

  it('refuses the root folder itself', () => {
    expect(resolveInsideRoot(root, '/.')).toBeNull();
    expect(resolveInsideRoot(root, '/assets/..')).toBeNull();
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.CSS', 'text/css; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['f.woff2', 'font/woff2'],
    ['a.js.map', null],
    ['Makefile', null],
  ])('%s → %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });
});

describe('originOf', () => {
  it.each([
    ['app://bundle/index.html', 'app://bundle'],
    ['app://BUNDLE/x', 'app://bundle'],
    ['app://bundle.evil/x', 'app://bundle.evil'],
    ['http://localhost:5173/', 'http://localhost:5173'],
    ['https://evil.example/app://bundle', 'https://evil.example'],
    ['file:///tmp/index.html', null],
    ['gallery://image/abc', null],
    ['about:blank', null],
    ['data:text/html,hi', null],
    ['not a url', null],
  ])('%s → %s', (url, origin) => {
    expect(originOf(url)).toBe(origin);
  });
});

describe('registerPrivilegedSchemes', () => {
  it('registers app and gallery in one call, secure and standard, never bypassing CSP', () => {
    registerPrivilegedSchemes();
    expect(electron.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    const schemes = electron.registerSchemesAsPrivileged.mock.calls[0]?.[0] as {
      scheme: string;
      privileges: Record<string, boolean>;
    }[];
    expect(schemes.map((s) => s.scheme)).toEqual(['app', 'gallery']);
    for (const { privileges } of schemes) {
      expect(privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
      expect(privileges['bypassCSP']).toBeFalsy();
      expect(privileges['corsEnabled']).toBeFalsy();
    }
  });
});

describe('protocol handlers', () => {
  let dir: string;
  let rendererDir: string;
  let imagePath: string;
  /** What core knows: each id's file, opened (as core does) when it is asked for. */
  const images = new Map<string, Omit<ResolvedImageFile, 'handle'>>();
  const core = {
    resolveGalleryFile: vi.fn(async (asset: string, rawId: string): Promise<ResolvedImageFile | null> => {
      const known = images.get(`${asset}/${rawId}`);
      const handle = known ? await open(known.filePath, 'r').catch(() => null) : null;
      return known && handle ? { ...known, handle } : null;
    }),
  } as unknown as Core;
  const request = (url: string, method = 'GET') => ({ url, method }) as Request;
  const app = (url: string, method?: string) => electron.handlers.get('app')!(request(url, method));
  const gallery = (url: string, method?: string) => electron.handlers.get('gallery')!(request(url, method));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'banana-protocols-'));
    rendererDir = join(dir, 'renderer');
    await mkdir(join(rendererDir, 'assets'), { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Banana</title>');
    await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(rendererDir, 'assets', 'app.js.map'), '{}');
    await writeFile(join(dir, 'secret.txt'), 'top secret');
    imagePath = join(dir, 'library', 'a.png');
    await mkdir(join(dir, 'library'));
    await writeFile(imagePath, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    images.set('image/abc123', { filePath: imagePath, mimeType: 'image/png', size: 4 });
    images.set('image/gone', { filePath: join(dir, 'library', 'gone.png'), mimeType: 'image/png', size: 9 });
    registerProtocols({ core, rendererDir, log: createLogger({ sinks: [new MemorySink()] }) });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => vi.mocked(core.resolveGalleryFile).mockClear());

  it('serves index.html at the root with the CSP and its type', async () => {
    const response = await app('app://bundle/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Banana</title>');
  });

  it('serves scripts as JavaScript', async () => {
    const response = await app('app://bundle/assets/app.js');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-length')).toBe('14');
    expect(await response.text()).toBe('console.log(1)');
  });

  it.each([
    'app://bundle/..%2fsecret.txt',
    'app://bundle/%2e%2e%2fsecret.txt',
    'app://bundle/assets/..%5c..%5csecret.txt',
    'app://bundle/missing.html',
    'app://bundle/assets/',
    'app://bundle/assets/app.js.map',
    'app://other/index.html',
  ])('404s %s', async (url) => {
    const response = await app(url);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('refuses writes', async () => {
    expect((await app('app://bundle/index.html', 'POST')).status).toBe(404);
  });

  it('streams a gallery image with its type and length, handing core the raw asset and id', async () => {
    const response = await gallery('gallery://image/abc123');
    expect(core.resolveGalleryFile).toHaveBeenCalledWith('image', 'abc123');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe('4');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  it('streams from the handle core checked, never opening the path again', async () => {
    const swapPath = join(dir, 'library', 'swap.png');
    await writeFile(swapPath, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    vi.mocked(core.resolveGalleryFile).mockImplementationOnce(async () => {
      const handle = await open(swapPath, 'r');
      // Something else is put at the path right after core's checked open.
      await writeFile(`${swapPath}.next`, 'swapped in');
      await rename(`${swapPath}.next`, swapPath);
      return { filePath: swapPath, mimeType: 'image/png', size: 4, handle };
    });
    const response = await gallery('gallery://image/swap');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  it('answers HEAD without a body', async () => {
    const response = await gallery('gallery://image/abc123', 'HEAD');
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
  });

  it.each([
    'gallery://image/unknown',
    'gallery://image/',
    'gallery://image/%E0%A4%A',
    'gallery://gone/x',
    'gallery://image/gone',
  ])('404s %s', async (url) => {
    expect((await gallery(url)).status).toBe(404);
  });

  it('passes encoded ids through undecoded, so core can refuse them', async () => {
    await gallery('gallery://image/..%2f..%2fsecret.txt');
    expect(core.resolveGalleryFile).toHaveBeenCalledWith('image', '..%2f..%2fsecret.txt');
  });

  it('turns a core failure into a 500, not a crash', async () => {
    vi.mocked(core.resolveGalleryFile).mockRejectedValueOnce(new Error('db closed'));
    expect((await gallery('gallery://image/x')).status).toBe(500);
  });
});
