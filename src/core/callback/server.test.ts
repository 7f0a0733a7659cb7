import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, MemorySink } from '../log/logger';
import { startCallbackServer, type CallbackServer } from './server';
import { verifyCallbackSignature } from './signature';

const TOKEN = '0123456789abcdef0123456789abcdef';
const servers: CallbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(hmacKey: string | null = null) {
  const seen: string[] = [];
  const sink = new MemorySink();
  const server = await startCallbackServer({
    token: TOKEN,
    log: createLogger({ sinks: [sink] }),
    hmacKey: async () => hmacKey,
    onCallback: (taskId) => seen.push(taskId),
  });
  servers.push(server);
  return { server, seen, sink, url: `${server.localUrl}${server.path}` };
}

const body = (taskId: string) => JSON.stringify({ code: 200, msg: 'ok', data: { taskId, state: 'success' } });
const sign = (taskId: string, ts: number, key: string) =>
  createHmac('sha256', key).update(`${taskId}.${ts}`).digest('base64');

describe('callback server', () => {
  it('answers the health check on GET', async () => {
    const { url } = await start();
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      message: 'Nano Banana webhook endpoint is ready',
    });
  });

  it('accepts a callback, answers 200 and passes on only the task id', async () => {
    const { url, seen } = await start();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body('t1'),
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual(['t1']);
  });

  it.each([
    [
      'another path',
      '/kie/callback/ffffffffffffffffffffffffffffffff',
      'POST',
      'application/json',
      body('x'),
      404,
    ],
    ['the root', '/', 'GET', undefined, undefined, 404],
    ['a PUT', null, 'PUT', 'application/json', body('x'), 405],
    ['form data', null, 'POST', 'application/x-www-form-urlencoded', 'taskId=x', 415],
    ['broken JSON', null, 'POST', 'application/json', '{"taskId":', 400],
    ['no task id', null, 'POST', 'application/json', '{"code":200}', 400],
    [
      'a 65 KiB body',
      null,
      'POST',
      'application/json',
      JSON.stringify({ taskId: 'x', pad: 'a'.repeat(65 * 1024) }),
      413,
    ],
  ])('refuses %s', async (_name, path, method, type, payload, status) => {
    const { server, seen } = await start();
    const response = await fetch(`${server.localUrl}${path ?? server.path}`, {
      method,
      headers: type ? { 'content-type': type } : {},
      body: payload,
    });
    expect(response.status).toBe(status);
    expect(seen).toEqual([]);
  });

  it('checks signatures when a webhook key is set', async () => {
    const key = 'whsec-test';
    const { url, seen } = await start(key);
    const now = Math.floor(Date.now() / 1000);
    const post = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: body('t9'),
      });
    expect((await post({})).status).toBe(401);
    expect(
      (await post({ 'x-webhook-timestamp': String(now), 'x-webhook-signature': sign('t9', now, 'wrong') }))
        .status,
    ).toBe(401);
    expect(
      (
        await post({
          'x-webhook-timestamp': String(now - 301),
          'x-webhook-signature': sign('t9', now - 301, key),
        })
      ).status,
    ).toBe(401);
    expect(seen).toEqual([]);
    expect(
      (await post({ 'x-webhook-timestamp': String(now), 'x-webhook-signature': sign('t9', now, key) }))
        .status,
    ).toBe(200);
    expect(seen).toEqual(['t9']);
  });
});

describe('verifyCallbackSignature', () => {
  const key = 'k';
  const nowMs = 1_800_000_000_000;
  const ts = String(nowMs / 1000);
  it.each([
    [{ timestamp: ts, signature: sign('a', Number(ts), key) }, 'ok'],
    [{ timestamp: undefined, signature: 'x' }, 'missing'],
    [{ timestamp: ts, signature: undefined }, 'missing'],
    [{ timestamp: String(Number(ts) + 301), signature: sign('a', Number(ts) + 301, key) }, 'stale'],
    [{ timestamp: '1e9', signature: 'x' }, 'stale'],
    [{ timestamp: ts, signature: sign('b', Number(ts), key) }, 'mismatch'],
    [{ timestamp: ts, signature: 'c2hvcnQ=' }, 'mismatch'],
  ])('%j → %s', (input, expected) => {
    expect(verifyCallbackSignature({ taskId: 'a', key, nowMs, ...input })).toBe(expected);
  });
});
