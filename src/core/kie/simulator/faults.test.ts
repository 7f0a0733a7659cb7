import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyCallbackSignature } from '../../callback/signature';
import { signCallback, startKieSimulator, type KieSimulator } from './index';
import {
  call,
  createTask,
  FAST,
  pollUntilDone,
  recordInfo,
  resultUrls,
  sleep,
  startReceiver,
  textTask,
  type ReceivedCallback,
} from './testHelpers';

const KEY = 'fault-hmac';
let sim: KieSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  sim = await startKieSimulator({ timings: FAST, maxImageSide: 64, hmacKey: KEY, callbackBackoffMs: 10 });
  receiver = await startReceiver();
});
afterEach(() => {
  sim.clearFaults();
  sim.setCredits(1000);
});
afterAll(async () => {
  await Promise.all([sim.close(), receiver.close()]);
});

function callbacksFor(taskId: string): ReceivedCallback[] {
  return receiver.received.filter(
    (callback) => (callback.body['data'] as { taskId: string }).taskId === taskId,
  );
}

async function settledWithCallback(prompt = 'fault'): Promise<string> {
  const taskId = await createTask(sim, textTask(prompt, {}, { callBackUrl: receiver.url }));
  await sim.whenSettled(taskId);
  return taskId;
}

async function finishedResult(body: unknown = textTask('result')): Promise<{ taskId: string; url: string }> {
  const taskId = await createTask(sim, body);
  const [url] = resultUrls((await pollUntilDone(sim, taskId)).data);
  if (!url) throw new Error('no url');
  return { taskId, url };
}

const postCreate = (signal?: AbortSignal) =>
  fetch(`${sim.url}/api/v1/jobs/createTask`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(textTask('unknown outcome')),
    signal,
  });

describe('fault API', () => {
  it('validates parameters and scope', () => {
    expect(() => sim.setFault({ kind: 'rateLimit', count: 0 })).toThrow();
    expect(() => sim.setFault({ kind: 'lostCallback' }, 'no-such-task')).toThrow(/Unknown task/);
    expect(() => sim.setFault({ kind: 'createTaskHang' }, 'no-such-task')).toThrow(/createTask/);
    const id = sim.setFault({ kind: 'duplicateCallback' });
    expect(sim.faults).toMatchObject([
      { id, scope: 'global', fault: { kind: 'duplicateCallback', count: 2 } },
    ]);
  });

  it('next attaches to the next created task only; a task scope to that task only', async () => {
    sim.setFault({ kind: 'generationFailed' }, 'next');
    const first = await createTask(sim, textTask('first'));
    const second = await createTask(sim, textTask('second'));
    expect(sim.faults).toMatchObject([{ scope: first }]);
    sim.setFault({ kind: 'contentRejected' }, second);
    const third = await createTask(sim, textTask('third'));
    const states = await Promise.all(
      [first, second, third].map(async (id) => (await pollUntilDone(sim, id)).data['state']),
    );
    expect(states).toEqual(['fail', 'fail', 'success']);
    expect(sim.tasks.get(first)?.failCode).toBe('501');
    expect(sim.tasks.get(second)?.failCode).toBe('400');
  });

  it('global applies to every task until cleared', async () => {
    sim.setFault({ kind: 'generationFailed' });
    const [a, b] = await Promise.all([createTask(sim, textTask('a')), createTask(sim, textTask('b'))]);
    expect((await pollUntilDone(sim, a)).data['state']).toBe('fail');
    expect((await pollUntilDone(sim, b)).data['state']).toBe('fail');
    sim.clearFaults();
    expect((await pollUntilDone(sim, await createTask(sim, textTask('c')))).data['state']).toBe('success');
  });
});

describe('callback faults', () => {
  it('duplicateCallback ×3 arrives concurrently', async () => {
    sim.setFault({ kind: 'duplicateCallback', count: 3 }, 'next');
    const taskId = await settledWithCallback();
    const copies = callbacksFor(taskId);
    expect(copies).toHaveLength(3);
    const times = copies.map((copy) => copy.time);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(200);
  });

  it('lostCallback: no callback, but recordInfo has the result', async () => {
    sim.setFault({ kind: 'lostCallback' }, 'next');
    const taskId = await settledWithCallback();
    expect(callbacksFor(taskId)).toEqual([]);
    expect((await recordInfo(sim, taskId))['state']).toBe('success');
  });

  it('lateCallback arrives only after polling saw the result, plus the delay', async () => {
    sim.setFault({ kind: 'lateCallback', delayMs: 150 }, 'next');
    const taskId = await createTask(sim, textTask('late', {}, { callBackUrl: receiver.url }));
    await sleep(FAST.waitingMs + FAST.queuingMs + FAST.generatingMs + 150);
    expect(callbacksFor(taskId)).toEqual([]);
    expect(sim.tasks.get(taskId)?.state).toBe('success');
    const polledAt = Date.now();
    expect((await recordInfo(sim, taskId))['state']).toBe('success');
    await sim.whenSettled(taskId);
    expect(callbacksFor(taskId)[0]?.time ?? 0).toBeGreaterThanOrEqual(polledAt + 140);
  });

  it('lateCallback without afterPoll is only delayed', async () => {
    sim.setFault({ kind: 'lateCallback', delayMs: 100, afterPoll: false }, 'next');
    const taskId = await settledWithCallback();
    const task = sim.tasks.get(taskId);
    expect(task?.polledFinal).toBe(false);
    expect(callbacksFor(taskId)[0]?.time ?? 0).toBeGreaterThanOrEqual((task?.completeTime ?? 0) + 90);
  });

  it('forgedSignature fails verification', async () => {
    sim.setFault({ kind: 'forgedSignature' }, 'next');
    const taskId = await settledWithCallback();
    const headers = callbacksFor(taskId)[0]?.headers ?? {};
    const check = verifyCallbackSignature({
      taskId,
      timestamp: String(headers['x-webhook-timestamp']),
      signature: String(headers['x-webhook-signature']),
      key: KEY,
      nowMs: Date.now(),
    });
    expect(check).toBe('mismatch');
  });

  it('staleTimestamp: correctly signed, but an hour old', async () => {
    sim.setFault({ kind: 'staleTimestamp' }, 'next');
    const taskId = await settledWithCallback();
    const headers = callbacksFor(taskId)[0]?.headers ?? {};
    const timestamp = String(headers['x-webhook-timestamp']);
    const signature = String(headers['x-webhook-signature']);
    expect(Date.now() / 1000 - Number(timestamp)).toBeGreaterThan(3500);
    expect(signature).toBe(signCallback(taskId, timestamp, KEY));
    expect(verifyCallbackSignature({ taskId, timestamp, signature, key: KEY, nowMs: Date.now() })).toBe(
      'stale',
    );
  });

  it('tamperedCallbackUrls: the callback points elsewhere, recordInfo does not', async () => {
    sim.setFault({ kind: 'tamperedCallbackUrls', urls: ['https://evil.invalid/x.png'] }, 'next');
    const taskId = await settledWithCallback();
    const data = callbacksFor(taskId)[0]?.body['data'] as Record<string, unknown>;
    expect(resultUrls(data)).toEqual(['https://evil.invalid/x.png']);
    expect(resultUrls(await recordInfo(sim, taskId))[0]).toMatch(new RegExp(`^${sim.url}/files/`));
  });
});

describe('request faults', () => {
  it('rateLimit: 429 with Retry-After for N requests of that endpoint, others unaffected', async () => {
    sim.setFault({ kind: 'rateLimit', count: 2, retryAfterSeconds: 3, endpoint: 'credit' });
    await createTask(sim, textTask('not limited'));
    for (let index = 0; index < 2; index += 1) {
      const limited = await call(sim, 'GET', '/api/v1/chat/credit');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
      expect(limited.json['code']).toBe(429);
    }
    expect((await call(sim, 'GET', '/api/v1/chat/credit')).status).toBe(200);
    expect(sim.requests.filter((entry) => entry.fault === 'rateLimit')).toHaveLength(2);
  });

  it('serverErrorBurst: N × 5xx (envelope for 500, HTML for gateway errors), then normal', async () => {
    sim.setFault({ kind: 'serverErrorBurst', count: 1, status: 500 });
    sim.setFault({ kind: 'serverErrorBurst', count: 1, status: 502 });
    const first = await call(sim, 'GET', '/api/v1/chat/credit');
    expect(first.status).toBe(500);
    expect(first.json['code']).toBe(500);
    const second = await call(sim, 'GET', '/api/v1/chat/credit');
    expect(second.status).toBe(502);
    expect(String(second.json['text'])).toContain('Bad Gateway');
    expect((await call(sim, 'GET', '/api/v1/chat/credit')).status).toBe(200);
  });

  it('a task-scoped request fault hits recordInfo for that task only', async () => {
    const taskId = await createTask(sim, textTask('busy'));
    const other = await createTask(sim, textTask('calm'));
    sim.setFault({ kind: 'serverErrorBurst', count: 2 }, taskId);
    expect((await call(sim, 'GET', `/api/v1/jobs/recordInfo?taskId=${other}`)).status).toBe(200);
    expect((await call(sim, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`)).status).toBe(500);
    expect((await call(sim, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`)).status).toBe(500);
    expect((await call(sim, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`)).status).toBe(200);
  });

  it('maintenance: envelope 455 (HTTP 200) on every API endpoint, uploads included', async () => {
    sim.setFault({ kind: 'maintenance', count: 2 });
    const api = await call(sim, 'POST', '/api/v1/jobs/createTask', textTask('down'));
    expect(api).toMatchObject({ status: 200, json: { code: 455 } });
    const upload = await call(sim, 'POST', '/api/file-base64-upload', {
      base64Data: 'AAAA',
      uploadPath: 'x',
    });
    expect(upload.json).toMatchObject({ success: false, code: 455 });
  });

  it('noCredits (next): 402 once, nothing charged, then normal', async () => {
    sim.setFault({ kind: 'noCredits' }, 'next');
    const refused = await call(sim, 'POST', '/api/v1/jobs/createTask', textTask('broke'));
    expect(refused.json).toMatchObject({ code: 402 });
    expect(sim.credits).toBe(1000);
    await createTask(sim, textTask('fine'));
    expect(sim.credits).toBe(996);
  });

  it('rateLimit on next: the next createTask is refused, before any task exists', async () => {
    sim.setFault({ kind: 'rateLimit' }, 'next');
    const before = sim.tasks.size;
    expect((await call(sim, 'GET', '/api/v1/chat/credit')).status).toBe(200);
    expect((await call(sim, 'POST', '/api/v1/jobs/createTask', textTask('x'))).status).toBe(429);
    expect(sim.tasks.size).toBe(before);
  });
});

describe('outcome faults', () => {
  it('contentRejected: fail with a safety failMsg, credits refunded, callback code 400', async () => {
    sim.setFault({ kind: 'contentRejected' }, 'next');
    const taskId = await settledWithCallback();
    const info = await recordInfo(sim, taskId);
    expect(info).toMatchObject({ state: 'fail', failCode: '400', resultJson: '' });
    expect(String(info['failMsg'])).toMatch(/safety/i);
    expect(sim.credits).toBe(1000);
    expect(callbacksFor(taskId)[0]?.body).toMatchObject({
      code: 400,
      data: { state: 'fail', failCode: '400', creditsConsumed: 0 },
    });
  });

  it('generationFailed: fail 501', async () => {
    const taskId = await createTask(sim, textTask('nope'));
    sim.setFault({ kind: 'generationFailed', failMsg: 'boom' }, taskId);
    expect((await pollUntilDone(sim, taskId)).data).toMatchObject({
      state: 'fail',
      failCode: '501',
      failMsg: 'boom',
    });
  });
});

describe('download faults', () => {
  it.each(['png', 'jpeg'])('corruptImage (%s): magic bytes intact, full decode fails', async (format) => {
    sim.setFault({ kind: 'corruptImage' }, 'next');
    const { url } = await finishedResult(textTask('corrupt', { output_format: format }));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(bytes.byteLength);
    expect(bytes.subarray(0, 3).toString('hex')).toBe(format === 'png' ? '89504e' : 'ffd8ff');
    await expect(sharp(bytes, { failOn: 'truncated' }).stats()).rejects.toThrow();
  });

  it('truncatedBody: Content-Length promises more than arrives, then the socket closes', async () => {
    sim.setFault({ kind: 'truncatedBody' }, 'next');
    const { url } = await finishedResult();
    const response = await fetch(url);
    const declared = Number(response.headers.get('content-length'));
    expect(declared).toBeGreaterThan(0);
    await expect(response.arrayBuffer()).rejects.toThrow();
    expect(sim.requests.at(-1)).toMatchObject({ fault: 'truncatedBody' });
  });

  it('slowDownload: bytes drip, so an idle timeout trips', async () => {
    sim.setFault({ kind: 'slowDownload', chunkBytes: 8, intervalMs: 300 }, 'next');
    const { url } = await finishedResult();
    const response = await fetch(url);
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(first?.value?.byteLength).toBe(8);
    const idle = await Promise.race([reader?.read().then(() => 'data'), sleep(150).then(() => 'idle')]);
    expect(idle).toBe('idle');
    await reader?.cancel();
  });

  it('slowDownload with chunks: the file arrives whole in that many pieces, whatever its size', async () => {
    sim.setFault({ kind: 'slowDownload', chunks: 4, intervalMs: 50 }, 'next');
    const { url } = await finishedResult();
    const response = await fetch(url);
    const declared = Number(response.headers.get('content-length'));
    const reader = response.body?.getReader();
    const pieces: number[] = [];
    for (;;) {
      const read = await reader?.read();
      if (!read || read.done) break;
      pieces.push(read.value.byteLength);
    }
    expect(pieces.reduce((sum, n) => sum + n, 0)).toBe(declared);
    expect(pieces).toHaveLength(4);
    expect(pieces[0]).toBe(Math.ceil(declared / 4));
  });

  it('expiredResultUrl: 404 until a fresh link comes from download-url', async () => {
    sim.setFault({ kind: 'expiredResultUrl' }, 'next');
    const { url } = await finishedResult();
    expect((await fetch(url)).status).toBe(404);
    const fresh = await call(sim, 'POST', '/api/v1/common/download-url', { url });
    const response = await fetch(String(fresh.json['data']));
    expect(response.status).toBe(200);
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(meta.format).toBe('png');
  });

  it.each([401, 403, 410, 'html'] as const)(
    'expiredResultUrl answers %s for the stale link',
    async (answer) => {
      sim.setFault({ kind: 'expiredResultUrl', answer }, 'next');
      const { url } = await finishedResult();
      const response = await fetch(url);
      if (answer === 'html') {
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        expect(await response.text()).toMatch(/<html/i);
      } else {
        expect(response.status).toBe(answer);
      }
    },
  );

  it("expiredResultUrl with refresh 'recordInfo': download-url does not know it, a new recordInfo does", async () => {
    sim.setFault({ kind: 'expiredResultUrl', refresh: 'recordInfo' }, 'next');
    const { taskId, url } = await finishedResult();
    expect((await fetch(url)).status).toBe(404);
    const refused = await call(sim, 'POST', '/api/v1/common/download-url', { url });
    expect(refused.json['code']).toBe(404);
    const again = await call(sim, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`);
    const [fresh] = resultUrls(again.json['data'] as Record<string, unknown>);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(url);
    expect((await fetch(String(fresh))).status).toBe(200);
  });

  it('droppedDownload: the connection drops halfway, and a Range request gets the rest', async () => {
    sim.setFault({ kind: 'droppedDownload', count: 1 }, 'next');
    const { url } = await finishedResult();
    const first = await fetch(url);
    expect(first.headers.get('accept-ranges')).toBe('bytes');
    const etag = first.headers.get('etag');
    const total = Number(first.headers.get('content-length'));
    const reader = first.body?.getReader();
    let got = 0;
    await expect(
      (async () => {
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) break;
          got += chunk.value.byteLength;
        }
      })(),
    ).rejects.toThrow();
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(total);
    const rest = await fetch(url, { headers: { range: `bytes=${got}-`, 'if-range': String(etag) } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes ${got}-${total - 1}/${total}`);
    expect((await rest.arrayBuffer()).byteLength).toBe(total - got);
    expect(sim.requests.filter((entry) => entry.fault === 'droppedDownload')).toHaveLength(1);
  });

  it('gzipDownload: the image comes gzip-encoded and decodes to the same PNG', async () => {
    sim.setFault({ kind: 'gzipDownload' }, 'next');
    const { url } = await finishedResult();
    const response = await fetch(url);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(meta.format).toBe('png');
  });

  it('download faults never touch uploads', async () => {
    sim.setFault({ kind: 'corruptImage' });
    sim.setFault({ kind: 'expiredResultUrl' });
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const upload = await call(sim, 'POST', '/api/file-base64-upload', {
      base64Data: png.toString('base64'),
      uploadPath: 'x',
    });
    const response = await fetch((upload.json['data'] as { downloadUrl: string }).downloadUrl);
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
  });
});

describe('createTask unknown outcome', () => {
  it('createTaskHang: the task exists and is charged, the answer never comes', async () => {
    sim.setFault({ kind: 'createTaskHang' }, 'next');
    const before = sim.tasks.size;
    const error = await postCreate(AbortSignal.timeout(300)).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('TimeoutError');
    expect(sim.tasks.size).toBe(before + 1);
    expect(sim.credits).toBe(996);
    const entry = sim.requests.filter((item) => item.path === '/api/v1/jobs/createTask').at(-1);
    expect(entry).toMatchObject({ status: 0, fault: 'createTaskHang' });
    expect(sim.tasks.has(entry?.taskId ?? '')).toBe(true);
    // The next call answers normally.
    expect((await postCreate()).status).toBe(200);
  });

  it('createTaskReset: the task exists and is charged, the connection drops', async () => {
    sim.setFault({ kind: 'createTaskReset' }, 'next');
    const before = sim.tasks.size;
    const error = await postCreate().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(sim.tasks.size).toBe(before + 1);
    expect(sim.countRequests('POST', '/api/v1/jobs/createTask')).toBeGreaterThan(0);
    const entry = sim.requests.filter((item) => item.path === '/api/v1/jobs/createTask').at(-1);
    expect(entry).toMatchObject({ status: 0, fault: 'createTaskReset' });
  });
});
