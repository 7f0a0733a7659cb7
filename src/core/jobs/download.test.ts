import { createServer, type Server } from 'node:http';
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

beforeAll(async () => {
  png = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#f5c542' } })
    .png()
    .toBuffer();
  server = createServer((request, response) => {
    switch (request.url) {
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

const limits = { maxBytes: 1_000_000, deadlineMs: 5_000, idleMs: 300 };

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
    ['/text', 'UPSTREAM'],
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

  it('reports an expired link so it can be refreshed', async () => {
    const error = await downloadImage(`${base}/expired`, await tempDir(), limits).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ details: { expired: true } });
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
