import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKieSimulator, type KieSimulator } from './index';
import {
  call,
  createTask,
  FAST,
  pollUntilDone,
  recordInfo,
  resultUrls,
  sleep,
  textTask,
} from './testHelpers';

let sim: KieSimulator;
beforeAll(async () => {
  sim = await startKieSimulator({ timings: FAST, maxImageSide: 64, credits: 1000 });
});
afterAll(async () => {
  await sim.close();
});

describe('auth', () => {
  it.each([
    ['missing key', null],
    ['wrong key', 'sim-wrong'],
  ])('%s: HTTP 200 with envelope code 401, nothing created', async (_name, key) => {
    const before = sim.tasks.size;
    const result = await call(sim, 'POST', '/api/v1/jobs/createTask', textTask('cat'), { key });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ code: 401, data: null });
    expect(String(result.json['msg'])).toMatch(/key/i);
    expect(sim.tasks.size).toBe(before);
    const credit = await call(sim, 'GET', '/api/v1/chat/credit', undefined, { key });
    expect(credit.json['code']).toBe(401);
    expect(sim.requests.at(-1)).toMatchObject({ authorized: false, code: 401, status: 200 });
  });

  it('mirrorHttpStatus sends the envelope code as the HTTP status too', async () => {
    const mirrored = await startKieSimulator({ mirrorHttpStatus: true });
    try {
      const result = await call(mirrored, 'GET', '/api/v1/chat/credit', undefined, { key: 'nope' });
      expect(result.status).toBe(401);
      expect(result.json['code']).toBe(401);
    } finally {
      await mirrored.close();
    }
  });
});

describe('credits', () => {
  it('each createTask charges the model cost; 402 below it, nothing created', async () => {
    const own = await startKieSimulator({ timings: FAST, maxImageSide: 64, credits: 30 });
    try {
      const balance = async () => (await call(own, 'GET', '/api/v1/chat/credit')).json;
      expect(await balance()).toEqual({ code: 200, msg: 'success', data: 30 });
      await createTask(own, textTask('a'));
      expect((await balance())['data']).toBe(26);
      await createTask(own, { model: 'nano-banana-pro', input: { prompt: 'b', resolution: '2K' } });
      expect((await balance())['data']).toBe(8);
      await createTask(own, { model: 'nano-banana-2', input: { prompt: 'c', resolution: '1K' } });
      expect(own.credits).toBe(0);
      const refused = await call(own, 'POST', '/api/v1/jobs/createTask', textTask('d'), { key: own.apiKey });
      expect(refused.json).toMatchObject({ code: 402, data: null });
      expect(own.tasks.size).toBe(3);
      own.setCredits(4);
      await createTask(own, textTask('e'));
      expect(own.credits).toBe(0);
    } finally {
      await own.close();
    }
  });
});

describe('validation (422, nothing charged)', () => {
  const long = 'x'.repeat(5001);
  const url = (n: number) => Array.from({ length: n }, (_, i) => `http://127.0.0.1:9/ref-${i}.png`);
  it.each<[string, unknown, RegExp]>([
    ['unknown model', { model: 'google/nano-apple', input: { prompt: 'x' } }, /model/],
    ['missing model', { input: { prompt: 'x' } }, /model is required/],
    ['missing input', { model: 'google/nano-banana' }, /input/],
    ['missing prompt', { model: 'google/nano-banana', input: {} }, /prompt is required/],
    ['empty prompt', textTask('   '), /prompt is required/],
    ['prompt not a string', textTask('x', { prompt: 42 }), /prompt is required/],
    ['prompt over 5000 chars', textTask(long), /5000/],
    ['bad aspect_ratio', textTask('x', { aspect_ratio: '7:3' }), /aspect_ratio/],
    [
      'bad deprecated image_size',
      { model: 'google/nano-banana', input: { prompt: 'x', image_size: 'big' } },
      /image_size/,
    ],
    ['jpg on google/nano-banana', textTask('x', { output_format: 'jpg' }), /output_format/],
    [
      'jpeg on nano-banana-pro',
      { model: 'nano-banana-pro', input: { prompt: 'x', output_format: 'jpeg' } },
      /output_format/,
    ],
    ['bad resolution', { model: 'nano-banana-2', input: { prompt: 'x', resolution: '8K' } }, /resolution/],
    [
      'edit without image_urls',
      { model: 'google/nano-banana-edit', input: { prompt: 'x' } },
      /image_urls is required/,
    ],
    [
      'edit with refs under the wrong name',
      { model: 'google/nano-banana-edit', input: { prompt: 'x', image_input: url(1) } },
      /image_urls is required/,
    ],
    [
      'edit with 11 image_urls',
      { model: 'google/nano-banana-edit', input: { prompt: 'x', image_urls: url(11) } },
      /10/,
    ],
    [
      'pro with 9 image_input',
      { model: 'nano-banana-pro', input: { prompt: 'x', image_input: url(9) } },
      /8/,
    ],
    [
      'nano-banana-2 with 15 image_input',
      { model: 'nano-banana-2', input: { prompt: 'x', image_input: url(15) } },
      /14/,
    ],
    [
      'image_urls not an array',
      { model: 'google/nano-banana-edit', input: { prompt: 'x', image_urls: 'a' } },
      /array/,
    ],
    [
      'reference not a URL',
      { model: 'google/nano-banana-edit', input: { prompt: 'x', image_urls: ['ftp://x'] } },
      /URL/,
    ],
    [
      'google_search not boolean',
      { model: 'nano-banana-2', input: { prompt: 'x', google_search: 'yes' } },
      /boolean/,
    ],
    ['bad callBackUrl', textTask('x', {}, { callBackUrl: 'not a url' }), /callBackUrl/],
    ['body not an object', [1, 2], /object/],
  ])('%s', async (_name, body, message) => {
    const credits = sim.credits;
    const tasks = sim.tasks.size;
    const result = await call(sim, 'POST', '/api/v1/jobs/createTask', body);
    expect(result.status).toBe(200);
    expect(result.json['code']).toBe(422);
    expect(String(result.json['msg'])).toMatch(message);
    expect(sim.credits).toBe(credits);
    expect(sim.tasks.size).toBe(tasks);
  });

  it('unreachable and non-image references fail with 422 naming the field', async () => {
    const unreachable = await call(sim, 'POST', '/api/v1/jobs/createTask', {
      model: 'nano-banana-pro',
      input: { prompt: 'x', image_input: [`${sim.url}/files/doesnotexist00.png`] },
    });
    expect(unreachable.json).toMatchObject({ code: 422 });
    expect(String(unreachable.json['msg'])).toMatch(/image_input\[0\].*404/);
    const refused = await call(sim, 'POST', '/api/v1/jobs/createTask', {
      model: 'google/nano-banana-edit',
      input: { prompt: 'x', image_urls: ['http://127.0.0.1:9/closed-port.png'] },
    });
    expect(String(refused.json['msg'])).toMatch(/image_urls\[0\] could not be fetched/);
  });

  it('accepts the deprecated image_size and records fields the model ignores', async () => {
    const taskId = await createTask(sim, {
      model: 'google/nano-banana',
      input: { prompt: 'old shape', image_size: '16:9', image_urls: ['http://127.0.0.1:9/x.png'] },
    });
    expect(sim.tasks.get(taskId)?.ignoredFields).toEqual(['image_urls']);
    expect(sim.tasks.get(taskId)?.referenceUrls).toEqual([]);
  });
});

describe('lifecycle', () => {
  it('waiting → queuing → generating → success, with KIE string fields', async () => {
    const slow = await startKieSimulator({
      timings: { waitingMs: 150, queuingMs: 150, generatingMs: 150 },
      maxImageSide: 64,
    });
    try {
      const body = textTask('states', {}, { callBackUrl: 'http://127.0.0.1:9/cb' });
      const taskId = await createTask(slow, body);
      const first = await recordInfo(slow, taskId);
      expect(first).toMatchObject({ taskId, model: 'google/nano-banana', state: 'waiting', resultJson: '' });
      expect(JSON.parse(String(first['param']))).toEqual(body);
      const { data, seen } = await pollUntilDone(slow, taskId);
      expect(seen).toEqual(['waiting', 'queuing', 'generating', 'success']);
      expect(typeof data['resultJson']).toBe('string');
      expect(resultUrls(data)).toHaveLength(1);
      expect(resultUrls(data)[0]).toMatch(new RegExp(`^${slow.url}/files/\\w+\\.png$`));
      const createTime = Number(data['createTime']);
      // Node timers may fire a millisecond before Date.now() says the delay is over.
      expect(Number(data['completeTime']) - createTime).toBeGreaterThanOrEqual(440);
      expect(data['costTime']).toBe(Number(data['completeTime']) - createTime);
      expect(data).toMatchObject({ failCode: '', failMsg: '' });
    } finally {
      await slow.close();
    }
  });

  it('recordInfo: 422 without taskId, 404 for an unknown one', async () => {
    expect((await call(sim, 'GET', '/api/v1/jobs/recordInfo')).json['code']).toBe(422);
    expect((await call(sim, 'GET', '/api/v1/jobs/recordInfo?taskId=nope')).json['code']).toBe(404);
  });
});

describe('download-url', () => {
  it('returns a fresh signed link for a result, valid ~20 minutes', async () => {
    const taskId = await createTask(sim, textTask('link'));
    const [url] = resultUrls((await pollUntilDone(sim, taskId)).data);
    const result = await call(sim, 'POST', '/api/v1/common/download-url', { url });
    expect(result.json['code']).toBe(200);
    const fresh = new URL(String(result.json['data']));
    const expires = Number(fresh.searchParams.get('expires'));
    expect(expires - Date.now()).toBeGreaterThan(19 * 60 * 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(20 * 60 * 1000);
    expect((await fetch(fresh)).status).toBe(200);
    fresh.searchParams.set('sig', 'forged');
    expect((await fetch(fresh)).status).toBe(403);
  });

  it('a fresh link 404s once its expiry has passed', async () => {
    const own = await startKieSimulator({ timings: FAST, maxImageSide: 64, downloadUrlTtlMs: 150 });
    try {
      const taskId = await createTask(own, textTask('short link'));
      const [url] = resultUrls((await pollUntilDone(own, taskId)).data);
      const fresh = String((await call(own, 'POST', '/api/v1/common/download-url', { url })).json['data']);
      expect((await fetch(fresh)).status).toBe(200);
      await sleep(200);
      expect((await fetch(fresh)).status).toBe(404);
      expect((await fetch(url ?? '')).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('422 for a foreign URL, 404 for an unknown file', async () => {
    const foreign = await call(sim, 'POST', '/api/v1/common/download-url', {
      url: 'https://example.com/a.png',
    });
    expect(foreign.json['code']).toBe(422);
    const unknown = await call(sim, 'POST', '/api/v1/common/download-url', {
      url: `${sim.url}/files/0123456789ab.png`,
    });
    expect(unknown.json['code']).toBe(404);
  });
});

describe('request log', () => {
  it('records each request once, with a sanitized body and the answer', async () => {
    const own = await startKieSimulator({ timings: FAST, maxImageSide: 64 });
    try {
      const taskId = await createTask(own, textTask('logged prompt', {}, { apiKey: 'leak-me' }));
      await call(own, 'POST', '/api/file-base64-upload', { base64Data: 'iVBORw0KGgo=', uploadPath: 'x' });
      expect(own.countRequests('POST', '/api/v1/jobs/createTask')).toBe(1);
      expect(own.countRequests('*', '/api/')).toBe(2);
      const [create, upload] = own.requests;
      expect(create).toMatchObject({
        method: 'POST',
        path: '/api/v1/jobs/createTask',
        status: 200,
        code: 200,
        authorized: true,
        taskId,
        body: { model: 'google/nano-banana', input: { prompt: 'logged prompt' }, apiKey: '[redacted]' },
      });
      expect(create?.bodySummary).toContain('logged prompt');
      expect(JSON.stringify(own.requests)).not.toContain(own.apiKey);
      expect(JSON.stringify(upload?.body)).not.toContain('iVBOR');
      await call(own, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`);
      expect(own.requests.at(-1)).toMatchObject({ query: { taskId }, taskId });
    } finally {
      await own.close();
    }
  });
});

describe('robustness', () => {
  it.each<[string, string, string, number, number]>([
    ['invalid JSON', 'POST', '/api/v1/jobs/createTask', 200, 422],
    ['unknown API route', 'GET', '/api/v1/nothing', 404, 404],
    ['wrong method', 'GET', '/api/v1/jobs/createTask', 405, 405],
  ])('%s', async (_name, method, path, status, code) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: method === 'POST' ? '{"model": ' : undefined,
    });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { code: number }).code).toBe(code);
  });

  it('a JSON body over 1 MB gets 413 and the server keeps working', async () => {
    const big = JSON.stringify({ model: 'google/nano-banana', input: { prompt: 'x'.repeat(1_100_000) } });
    const response = await fetch(`${sim.url}/api/v1/jobs/createTask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: big,
    });
    expect(((await response.json()) as { code: number }).code).toBe(413);
    expect((await call(sim, 'GET', '/api/v1/chat/credit')).json['code']).toBe(200);
  });

  it('close() ends hanging calls and is idempotent', async () => {
    const own = await startKieSimulator({ timings: FAST, maxImageSide: 64 });
    own.setFault({ kind: 'createTaskHang' });
    const hanging = fetch(`${own.url}/api/v1/jobs/createTask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${own.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(textTask('hang')),
    }).catch((error: unknown) => error);
    await sleep(100);
    const started = Date.now();
    await Promise.all([own.close(), own.close()]);
    expect(await hanging).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('admin HTTP API', () => {
  const admin = (method: string, path: string, body?: unknown, token: string | null = sim.adminToken) =>
    call(sim, method, `/__admin${path}`, body, { key: token });

  it('needs the admin token', async () => {
    expect((await admin('GET', '/faults', undefined, 'wrong')).status).toBe(401);
    expect((await admin('GET', '/faults', undefined, null)).status).toBe(401);
  });

  it('sets, lists and clears faults; rejects bad ones', async () => {
    const set = await admin('POST', '/faults', { fault: { kind: 'maintenance', count: 2 } });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({
      scope: 'global',
      remaining: 2,
      fault: { kind: 'maintenance', count: 2 },
    });
    expect((await admin('GET', '/faults')).json['faults']).toHaveLength(1);
    expect((await call(sim, 'GET', '/api/v1/chat/credit')).json['code']).toBe(455);
    expect((await admin('DELETE', '/faults')).json['faults']).toEqual([]);
    expect((await call(sim, 'GET', '/api/v1/chat/credit')).json['code']).toBe(200);

    expect((await admin('POST', '/faults', { fault: { kind: 'meteorStrike' } })).status).toBe(422);
    expect((await admin('POST', '/faults', { fault: { kind: 'rateLimit', count: -1 } })).status).toBe(422);
    expect(
      (await admin('POST', '/faults', { fault: { kind: 'lostCallback' }, scope: 'no-such-task' })).status,
    ).toBe(422);
    expect((await admin('POST', '/faults', '{oops')).status).toBe(422);
  });

  it('reads requests, tasks and credits, and sets credits', async () => {
    const taskId = await createTask(sim, textTask('admin view'));
    const requests = await admin('GET', '/requests?method=POST&pathPrefix=/api/v1/jobs/createTask');
    const list = requests.json['requests'] as { taskId: string | null }[];
    expect(list.at(-1)?.taskId).toBe(taskId);
    expect(list.every((entry) => entry.taskId !== undefined)).toBe(true);
    const tasks = (await admin('GET', '/tasks')).json['tasks'] as { taskId: string; state: string }[];
    expect(tasks.some((task) => task.taskId === taskId)).toBe(true);
    expect((await admin('GET', `/tasks/${taskId}`)).json).toMatchObject({ taskId, creditsCharged: 4 });
    expect((await admin('POST', '/credits', { credits: 77 })).json).toEqual({ credits: 77 });
    expect((await admin('GET', '/credits')).json).toEqual({ credits: 77 });
    expect((await call(sim, 'GET', '/api/v1/chat/credit')).json['data']).toBe(77);
    sim.setCredits(1000);
    expect(sim.requests.some((entry) => entry.path.startsWith('/__admin'))).toBe(false);
  });
});
