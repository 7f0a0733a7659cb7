import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, MemorySink } from '../log/logger';
import { KieClient } from './client';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  type: string | undefined;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function fakeKie(handler: Handler): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        auth: request.headers.authorization,
        type: request.headers['content-type'],
        body,
      });
      handler(request, body, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (response: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}) =>
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

function client(base: string, options: { key?: string | null; timeoutMs?: number; sleeps?: number[] } = {}) {
  const sink = new MemorySink();
  const kie = new KieClient({
    apiBaseUrl: base,
    uploadBaseUrl: base,
    getApiKey: async () => (options.key === undefined ? 'kie-key-1234' : options.key),
    log: createLogger({ sinks: [sink] }),
    timeoutMs: { api: options.timeoutMs ?? 2_000, upload: 2_000 },
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    sleep: async (ms) => void options.sleeps?.push(ms),
  });
  return { kie, sink };
}

const request = {
  model: 'google/nano-banana' as const,
  input: { prompt: 'p', output_format: 'png', aspect_ratio: '1:1' },
};

describe('KieClient', () => {
  it('creates a task with Bearer auth and the JSON body', async () => {
    const { base, seen } = await fakeKie((_q, _b, response) =>
      json(response, { code: 200, msg: 'success', data: { taskId: 'task_1' } }),
    );
    const { kie, sink } = client(base);
    await expect(kie.createTask(request)).resolves.toEqual({ taskId: 'task_1' });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/jobs/createTask',
      auth: 'Bearer kie-key-1234',
    });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(request);
    expect(JSON.stringify(sink.entries)).not.toContain('kie-key-1234');
  });

  it('without a key, refuses before any request', async () => {
    const { base, seen } = await fakeKie((_q, _b, response) => json(response, {}));
    await expect(client(base, { key: null }).kie.credits()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(seen).toHaveLength(0);
  });

  it('maps an HTTP 200 envelope error', async () => {
    const { base } = await fakeKie((_q, _b, response) => json(response, { code: 401, msg: 'Unauthorized' }));
    await expect(client(base).kie.createTask(request)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('never retries createTask: a reset after sending is UNKNOWN_OUTCOME, sent once', async () => {
    const { base, seen } = await fakeKie((q) => q.socket.destroy());
    await expect(client(base).kie.createTask(request)).rejects.toMatchObject({ code: 'UNKNOWN_OUTCOME' });
    expect(seen).toHaveLength(1);
  });

  it('never retries createTask: a hang past the deadline is UNKNOWN_OUTCOME, sent once', async () => {
    const { base, seen } = await fakeKie(() => undefined);
    await expect(client(base, { timeoutMs: 200 }).kie.createTask(request)).rejects.toMatchObject({
      code: 'UNKNOWN_OUTCOME',
    });
    expect(seen).toHaveLength(1);
  });

  it('createTask to a closed port is OFFLINE (it surely never reached KIE)', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await expect(client(`http://127.0.0.1:${port}`).kie.createTask(request)).rejects.toMatchObject({
      code: 'OFFLINE',
      details: { reached: false },
    });
  });

  it('a gateway page on createTask (502 HTML) is an unknown outcome: KIE may have taken the task', async () => {
    const { base, seen } = await fakeKie((_q, _b, response) =>
      response.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>'),
    );
    await expect(client(base).kie.createTask(request)).rejects.toMatchObject({
      code: 'UNKNOWN_OUTCOME',
      details: { cause: 'not-an-envelope', status: 502 },
    });
    expect(seen).toHaveLength(1);
  });

  it('a KIE envelope refusing createTask is a definite answer (no unknown outcome)', async () => {
    const { base } = await fakeKie((_q, _b, response) =>
      response.writeHead(500).end(JSON.stringify({ code: 500, msg: 'Server error', data: null })),
    );
    await expect(client(base).kie.createTask(request)).rejects.toMatchObject({ code: 'UPSTREAM' });
  });

  it('a 200 with a garbled body on createTask is an unknown outcome, and a plain 429 is a rate limit', async () => {
    const garbled = await fakeKie((_q, _b, response) => response.writeHead(200).end('{"code":20'));
    await expect(client(garbled.base).kie.createTask(request)).rejects.toMatchObject({
      code: 'UNKNOWN_OUTCOME',
    });
    const limited = await fakeKie((_q, _b, response) =>
      response.writeHead(429, { 'retry-after': '2' }).end('Too Many Requests'),
    );
    await expect(client(limited.base).kie.createTask(request)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
  });

  it('retries recordInfo after a 500 and succeeds', async () => {
    let calls = 0;
    const { base } = await fakeKie((_q, _b, response) => {
      calls += 1;
      if (calls === 1) return json(response, { code: 500, msg: 'oops' }, 500);
      json(response, { code: 200, data: { taskId: 't', state: 'generating' } });
    });
    await expect(client(base).kie.recordInfo('t')).resolves.toMatchObject({
      taskId: 't',
      state: 'generating',
    });
    expect(calls).toBe(2);
  });

  it('honours Retry-After on 429', async () => {
    let calls = 0;
    const { base } = await fakeKie((_q, _b, response) => {
      calls += 1;
      if (calls === 1) return json(response, { code: 429, msg: 'slow down' }, 429, { 'retry-after': '3' });
      json(response, { code: 200, data: 7.5 });
    });
    const sleeps: number[] = [];
    await expect(client(base, { sleeps }).kie.credits()).resolves.toBe(7.5);
    expect(sleeps).toEqual([3000]);
  });

  it('does not retry a bad key', async () => {
    let calls = 0;
    const { base } = await fakeKie((_q, _b, response) => {
      calls += 1;
      json(response, { code: 401, msg: 'no' });
    });
    await expect(client(base).kie.recordInfo('t')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(calls).toBe(1);
  });

  it('uploads base64 as a data URL and reads downloadUrl', async () => {
    const { base, seen } = await fakeKie((_q, _b, response) =>
      json(response, {
        success: true,
        code: 200,
        msg: 'ok',
        data: {
          downloadUrl: 'https://f.example/1.png',
          fileName: 'a.png',
          fileSize: 3,
          mimeType: 'image/png',
        },
      }),
    );
    const uploaded = await client(base).kie.uploadBase64({
      bytes: Uint8Array.from([1, 2, 3]),
      mimeType: 'image/png',
      fileName: 'a.png',
      uploadPath: 'banana-studio/refs',
    });
    expect(uploaded).toEqual({
      downloadUrl: 'https://f.example/1.png',
      fileName: 'a.png',
      fileSize: 3,
      mimeType: 'image/png',
    });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      base64Data: 'data:image/png;base64,AQID',
      uploadPath: 'banana-studio/refs',
      fileName: 'a.png',
    });
    expect(seen[0]?.url).toBe('/api/file-base64-upload');
  });

  it('uploads multipart for the stream endpoint', async () => {
    const { base, seen } = await fakeKie((_q, _b, response) =>
      json(response, { code: 200, data: { fileUrl: 'https://f.example/2.png' } }),
    );
    const uploaded = await client(base).kie.uploadStream({
      bytes: Uint8Array.from([9, 9]),
      mimeType: 'image/png',
      fileName: 'b.png',
      uploadPath: 'refs',
    });
    expect(uploaded.downloadUrl).toBe('https://f.example/2.png');
    expect(seen[0]?.type).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Request('http://x', {
      method: 'POST',
      headers: { 'content-type': seen[0]?.type ?? '' },
      body: seen[0]?.body,
    }).formData();
    expect(form.get('uploadPath')).toBe('refs');
    expect(form.get('fileName')).toBe('b.png');
    expect(form.get('file')).toBeInstanceOf(Blob);
  });

  it('gets a fresh download link', async () => {
    const { base, seen } = await fakeKie((_q, _b, response) =>
      json(response, { code: 200, data: 'https://f.example/fresh.png' }),
    );
    await expect(client(base).kie.downloadUrl('https://old.example/x.png')).resolves.toBe(
      'https://f.example/fresh.png',
    );
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ url: 'https://old.example/x.png' });
  });

  it('an unexpected body is a clear UPSTREAM error', async () => {
    const { base } = await fakeKie((_q, _b, response) => response.writeHead(200).end('<html>hello</html>'));
    await expect(client(base).kie.credits()).rejects.toMatchObject({ code: 'UPSTREAM' });
  });
});
