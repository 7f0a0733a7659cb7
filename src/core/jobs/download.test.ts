import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/tempDir';
import { detectImageFormat } from '../gallery/metadata';
import { downloadImage } from './download';

let png: Buffer;
let server: Server;
let base = '';
/** Requests seen per path, with their headers, so resumes can be checked. */
const seen = new Map<string, IncomingHttpHeaders[]>();

/** Serves `png` like a CDN that supports ranges, dropping the first `drops` answers midway. */
function rangedAnswer(
  request: { headers: IncomingHttpHeaders },
  response: ServerResponse,
  drops: number,
  count: number,
  honourRange = true,
): void {
  const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = honourRange && range && request.headers['if-range'] === '"v1"' ? Number(range[1]) : 0;
  const body = png.subarray(start);
  const headers = { 'content-type': 'image/png', 'accept-ranges': 'bytes', etag: '"v1"' };
  if (start > 0) {
    response.writeHead(206, {
      ...headers,
      'content-length': body.length,
      'content-range': `bytes ${start}-${png.length - 1}/${png.length}`,
    });
  } else {
    response.writeHead(200, { ...headers, 'content-length': png.length });
  }
  if (count <= drops) {
    response.write(body.subarray(0, Math.ceil(body.length / 3)));
    setTimeout(() => response.destroy(), 20);
    return;
  }
  response.end(body);
}

beforeAll(async () => {
  png = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#f5c542' } })
    .png()
    .toBuffer();
  server = createServer((request, response) => {
    const path = request.url ?? '';
    const list = seen.get(path) ?? [];
    list.push(request.headers);
    seen.set(path, list);
    switch (path) {
      case '/401':
      case '/403':
      case '/410':
        response.writeHead(Number(path.slice(1))).end();
        return;
      case '/html200':
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>Link expired</html>');
        return;
      case '/gzip': {
        const body = gzipSync(png);
        response
          .writeHead(200, {
            'content-type': 'image/png',
            'content-encoding': 'gzip',
            'content-length': body.length,
          })
          .end(body);
        return;
      }
      case '/drop-twice':
        rangedAnswer(request, response, 2, list.length);
        return;
      case '/drop-always':
        rangedAnswer(request, response, Infinity, list.length);
        return;
      case '/drop-no-range':
        rangedAnswer(request, response, 1, list.length, false);
        return;
      case '/slow': {
        // 12 pieces 100 ms apart: longer in total than the idle limit, never idle for that long.
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
        const piece = Math.ceil(png.length / 12);
        let sent = 0;
        const timer = setInterval(() => {
          response.write(png.subarray(sent, sent + piece));
          sent += piece;
          if (sent >= png.length) {
            clearInterval(timer);
            response.end();
          }
        }, 100);
        return;
      }
      case '/ok.png':
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
        return;
      case '/expired':
        response.writeHead(404).end();
        return;
      case '/text':
        response.writeHead(200, { 'content-type': 'image/png' }).end('<html>not an image</html>');
        return;
      case '/corrupt':
        response.writeHead(200).end(Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)]));
        return;
      case '/truncated':
        response.writeHead(200, { 'content-length': png.length });
        response.write(png.subarray(0, 30));
        setTimeout(() => response.destroy(), 20);
        return;
      case '/huge':
        response.writeHead(200, { 'content-length': 10_000_000 }).end();
        return;
      case '/stall':
        response.writeHead(200);
        response.write(png.subarray(0, 10));
        return;
      default:
        response.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const limits = { maxBytes: 1_000_000, idleMs: 300 };

describe('downloadImage', () => {
  const tempDir = useTempDirs();

  it('streams a valid image into an fsynced temp file next to its destination', async () => {
    const dir = await tempDir();
    const result = await downloadImage(`${base}/ok.png`, dir, limits);
    expect(result).toMatchObject({ format: 'png', width: 64, height: 32, bytes: png.length });
    expect(result.tempPath.startsWith(dir)).toBe(true);
    expect(await readFile(result.tempPath)).toEqual(png);
  });

  it.each([
    ['/expired', 'NOT_FOUND'],
    ['/text', 'NOT_FOUND'],
    ['/corrupt', 'UPSTREAM'],
    ['/truncated', /UPSTREAM|OFFLINE/],
    ['/huge', 'UPSTREAM'],
    ['/stall', 'TIMEOUT'],
    ['/error', 'UPSTREAM'],
  ])('%s fails with %s and leaves no temp file', async (path, code) => {
    const dir = await tempDir();
    const error = await downloadImage(`${base}${path}`, dir, limits).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: expect.stringMatching(code) });
    expect(await readdir(dir)).toEqual([]);
  });

  it.each(['/expired', '/401', '/403', '/410', '/html200', '/text'])(
    '%s is reported as an expired link so it can be refreshed',
    async (path) => {
      const error = await downloadImage(`${base}${path}`, await tempDir(), limits).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'NOT_FOUND', details: { expired: true } });
    },
  );

  it('decodes a gzip-encoded answer whose Content-Length counts the compressed bytes', async () => {
    const result = await downloadImage(`${base}/gzip`, await tempDir(), limits);
    expect(await readFile(result.tempPath)).toEqual(png);
  });

  it('resumes a dropped download with Range and If-Range from the byte it stopped at', async () => {
    const result = await downloadImage(`${base}/drop-twice`, await tempDir(), limits);
    expect(await readFile(result.tempPath)).toEqual(png);
    const requests = seen.get('/drop-twice') ?? [];
    expect(requests).toHaveLength(3);
    expect(requests[0]?.range).toBeUndefined();
    expect(requests[1]).toMatchObject({
      range: expect.stringMatching(/^bytes=[1-9]\d*-$/),
      'if-range': '"v1"',
    });
    expect(Number(/\d+/.exec(requests[2]?.range ?? '')?.[0])).toBeGreaterThan(
      Number(/\d+/.exec(requests[1]?.range ?? '')?.[0]),
    );
  });

  it('starts over when the host sends the whole file again instead of the range', async () => {
    const result = await downloadImage(`${base}/drop-no-range`, await tempDir(), limits);
    expect(await readFile(result.tempPath)).toEqual(png);
    expect(seen.get('/drop-no-range')).toHaveLength(2);
  });

  it('gives up on a link that keeps dropping, leaving no temp file', async () => {
    const dir = await tempDir();
    const error = await downloadImage(`${base}/drop-always`, dir, limits).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: expect.stringMatching(/UPSTREAM|OFFLINE/) });
    expect(await readdir(dir)).toEqual([]);
    // Each resume brought new bytes, and the number of tries stays bounded.
    expect((seen.get('/drop-always') ?? []).length).toBeLessThanOrEqual(9);
  });

  it('lets a slow link that keeps sending finish, however long it takes in total', async () => {
    const result = await downloadImage(`${base}/slow`, await tempDir(), limits);
    expect(await readFile(result.tempPath)).toEqual(png);
  });

  it('fails fast when nothing listens', async () => {
    const error = await downloadImage('http://127.0.0.1:9/none.png', await tempDir(), limits).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'OFFLINE' });
  });
});

describe('detectImageFormat', () => {
  it.each([
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'png'],
    [[0xff, 0xd8, 0xff, 0xe0], 'jpeg'],
    [[...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP')], 'webp'],
    [[...Buffer.from('GIF89a')], null],
    [[], null],
  ])('%j → %s', (bytes, format) => expect(detectImageFormat(Uint8Array.from(bytes))).toBe(format));
});
