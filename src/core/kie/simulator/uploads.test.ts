import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKieSimulator, type KieSimulator } from './index';
import { call } from './testHelpers';
import { decodeBase64Data } from './uploads';

let sim: KieSimulator;
let png: Buffer;
beforeAll(async () => {
  sim = await startKieSimulator();
  png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#123456' } })
    .png()
    .toBuffer();
});
afterAll(async () => {
  await sim.close();
});

interface UploadData {
  fileName: string;
  filePath: string;
  downloadUrl: string;
  fileSize: number;
  mimeType: string;
  uploadedAt: string;
}

async function fetchBack(
  url: string,
): Promise<{ bytes: Buffer; type: string | null; length: string | null }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return {
    bytes: Buffer.from(await response.arrayBuffer()),
    type: response.headers.get('content-type'),
    length: response.headers.get('content-length'),
  };
}

describe('uploads round-trip via /files', () => {
  it.each([
    ['a data: URL', () => `data:image/png;base64,${png.toString('base64')}`],
    ['plain base64', () => png.toString('base64')],
  ])('file-base64-upload with %s', async (_name, data) => {
    const result = await call(sim, 'POST', '/api/file-base64-upload', {
      base64Data: data(),
      uploadPath: 'banana-studio/refs',
      fileName: 'ref.png',
    });
    expect(result.json).toMatchObject({ success: true, code: 200, msg: 'File uploaded successfully' });
    const info = result.json['data'] as UploadData;
    expect(info).toMatchObject({
      fileName: 'ref.png',
      filePath: 'banana-studio/refs/ref.png',
      fileSize: png.length,
    });
    expect(info.mimeType).toBe('image/png');
    expect(Number.isNaN(Date.parse(info.uploadedAt))).toBe(false);
    const back = await fetchBack(info.downloadUrl);
    expect(back.bytes.equals(png)).toBe(true);
    expect(back.type).toBe('image/png');
    expect(back.length).toBe(String(png.length));
  });

  it('file-stream-upload (multipart) keeps the bytes, name and type', async () => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'from-disk.png');
    form.set('uploadPath', 'banana-studio/refs');
    form.set('fileName', 'streamed.png');
    const response = await fetch(`${sim.url}/api/file-stream-upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}` },
      body: form,
    });
    const json = (await response.json()) as { code: number; data: UploadData };
    expect(json.code).toBe(200);
    expect(json.data).toMatchObject({
      fileName: 'streamed.png',
      mimeType: 'image/png',
      fileSize: png.length,
    });
    expect((await fetchBack(json.data.downloadUrl)).bytes.equals(png)).toBe(true);
    expect(sim.requests.at(-2)?.bodySummary).toContain(`${png.length} bytes`);
  });

  it('file-url-upload fetches the remote file', async () => {
    const first = await call(sim, 'POST', '/api/file-base64-upload', {
      base64Data: png.toString('base64'),
      uploadPath: 'a',
    });
    const source = (first.json['data'] as UploadData).downloadUrl;
    const result = await call(sim, 'POST', '/api/file-url-upload', {
      fileUrl: source,
      uploadPath: 'b',
      fileName: 'copy.png',
    });
    const info = result.json['data'] as UploadData;
    expect(info).toMatchObject({ fileName: 'copy.png', filePath: 'b/copy.png', fileSize: png.length });
    expect(info.downloadUrl).not.toBe(source);
    expect((await fetchBack(info.downloadUrl)).bytes.equals(png)).toBe(true);
  });

  it('an upload with the same path and name replaces the earlier file', async () => {
    const other = await sharp(png).negate().png().toBuffer();
    const send = (bytes: Buffer) =>
      call(sim, 'POST', '/api/file-base64-upload', {
        base64Data: bytes.toString('base64'),
        uploadPath: 'same',
        fileName: 'x.png',
      });
    const a = (await send(png)).json['data'] as UploadData;
    const b = (await send(other)).json['data'] as UploadData;
    expect(b.downloadUrl).toBe(a.downloadUrl);
    expect((await fetchBack(a.downloadUrl)).bytes.equals(other)).toBe(true);
  });

  it.each<[string, string, unknown, RegExp]>([
    ['missing base64Data', '/api/file-base64-upload', { uploadPath: 'x' }, /base64Data is required/],
    ['invalid base64', '/api/file-base64-upload', { base64Data: '***', uploadPath: 'x' }, /base64/],
    ['missing uploadPath', '/api/file-base64-upload', { base64Data: 'AAAA' }, /uploadPath/],
    [
      'path in fileName',
      '/api/file-base64-upload',
      { base64Data: 'AAAA', uploadPath: 'x', fileName: '../' },
      /fileName/,
    ],
    [
      'unreachable fileUrl',
      '/api/file-url-upload',
      { fileUrl: `http://127.0.0.1:9/x.png`, uploadPath: 'x' },
      /fileUrl/,
    ],
    ['not JSON', '/api/file-url-upload', '{', /JSON/],
  ])('%s → 422 with success false', async (_name, path, body, message) => {
    const result = await call(sim, 'POST', path, body);
    expect(result.json).toMatchObject({ success: false, code: 422 });
    expect(String(result.json['msg'])).toMatch(message);
  });

  it('needs the API key', async () => {
    const result = await call(
      sim,
      'POST',
      '/api/file-base64-upload',
      { base64Data: 'AAAA', uploadPath: 'x' },
      { key: 'bad' },
    );
    expect(result.json).toMatchObject({ success: false, code: 401 });
  });

  it('a multipart body without a file is refused', async () => {
    const form = new FormData();
    form.set('uploadPath', 'x');
    const response = await fetch(`${sim.url}/api/file-stream-upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}` },
      body: form,
    });
    expect(await response.json()).toMatchObject({ success: false, code: 422, msg: 'file is required.' });
  });

  it('unknown files 404', async () => {
    expect((await fetch(`${sim.url}/files/000000000000.png`)).status).toBe(404);
    expect((await fetch(`${sim.url}/files/../etc/passwd`)).status).toBe(404);
  });
});

describe('decodeBase64Data', () => {
  it('reads the MIME type from a data URL and tolerates whitespace and URL-safe base64', () => {
    expect(decodeBase64Data('data:image/webp;base64,AAEC\nAw==')).toEqual({
      bytes: Buffer.from([0, 1, 2, 3]),
      mime: 'image/webp',
    });
    expect(decodeBase64Data('_-8').bytes).toEqual(Buffer.from([0xff, 0xef]));
    expect(() => decodeBase64Data('data:text/plain,hello')).toThrow(/base64/);
  });
});
