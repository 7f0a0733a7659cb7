import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, MemorySink } from '../../log/logger';
import { startKieSimulator, type KieSimulator, type KieSimulatorOptions } from './index';
import {
  call,
  createTask,
  pollUntilDone,
  recordInfo,
  resultUrls,
  startReceiver,
  textTask,
} from './testHelpers';

/**
 * `persistDir`: the simulator keeps its tasks, results, uploads, key and port on disk, so a
 * restart finds them as the real KIE would (Demo mode, issue 11 §4).
 */
const open: { close(): Promise<void> }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'banana-sim-persist-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string, options: KieSimulatorOptions = {}): Promise<KieSimulator> {
  const sim = await startKieSimulator({
    timings: { waitingMs: 20, queuingMs: 20, generatingMs: 40 },
    maxImageSide: 64,
    callbackBackoffMs: 10,
    persistDir: dir,
    ...options,
  });
  open.push(sim);
  return sim;
}

async function restart(
  sim: KieSimulator,
  dir: string,
  options: KieSimulatorOptions = {},
): Promise<KieSimulator> {
  await sim.close();
  return start(dir, options);
}

async function get(url: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(url);
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('simulator persistence', () => {
  it('a task in flight when it stops goes on after the restart, finishes and calls back', async () => {
    const dir = await folder();
    const receiver = await startReceiver();
    open.push(receiver);
    const slow = { timings: { waitingMs: 50, queuingMs: 50, generatingMs: 500 } };
    const first = await start(dir, slow);
    const taskId = await createTask(first, textTask('a lighthouse', {}, { callBackUrl: receiver.url }));
    // On disk before the app heard the id: a crash right after createTask keeps it.
    await expect(stat(join(dir, 'tasks', `${taskId}.json`))).resolves.toBeTruthy();
    expect(['waiting', 'queuing', 'generating']).toContain((await recordInfo(first, taskId))['state']);

    const second = await restart(first, dir, slow);
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.url).toBe(first.url);
    const { data } = await pollUntilDone(second, taskId, 10_000);
    expect(data).toMatchObject({ taskId, state: 'success' });
    const [url] = resultUrls(data);
    const image = await get(url ?? '');
    expect(image.status).toBe(200);
    expect((await sharp(image.bytes).metadata()).format).toBe('png');
    await second.whenSettled(taskId);
    expect(receiver.received.map((callback) => (callback.body['data'] as { taskId: string }).taskId)).toEqual(
      [taskId],
    );
  });

  it('a callback still owed when it stops is sent after the restart', async () => {
    const dir = await folder();
    let up = false;
    const receiver = await startReceiver(() => (up ? 200 : 503));
    open.push(receiver);
    // The first run retries only after a long pause: it is stopped before that.
    const first = await start(dir, { callbackBackoffMs: 60_000 });
    const taskId = await createTask(first, textTask('owed', {}, { callBackUrl: receiver.url }));
    await expect.poll(() => receiver.received.length, { timeout: 5_000 }).toBe(1);
    up = true;

    const second = await restart(first, dir);
    await second.whenSettled(taskId);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.body).toMatchObject({ code: 200, data: { taskId, state: 'success' } });
    // Delivered now: the next start does not send it again.
    const third = await restart(second, dir);
    await third.whenSettled(taskId);
    expect(receiver.received).toHaveLength(2);
  });

  it('an edit in flight is rendered after the restart from its kept reference', async () => {
    const dir = await folder();
    const sink = new MemorySink();
    const options: KieSimulatorOptions = {
      timings: { waitingMs: 50, queuingMs: 50, generatingMs: 500 },
      logger: createLogger({ sinks: [sink] }),
    };
    const first = await start(dir, options);
    const png = await sharp({ create: { width: 16, height: 8, channels: 3, background: '#2a6' } })
      .png()
      .toBuffer();
    const upload = await call(first, 'POST', '/api/file-base64-upload', {
      base64Data: png.toString('base64'),
      uploadPath: 'banana-studio/refs',
    });
    const reference = (upload.json['data'] as { downloadUrl: string }).downloadUrl;
    const taskId = await createTask(first, {
      model: 'google/nano-banana-edit',
      input: { prompt: 'make it blue', image_urls: [reference], aspect_ratio: 'auto' },
    });
    const second = await restart(first, dir, options);
    const { data } = await pollUntilDone(second, taskId, 10_000);
    const image = await get(resultUrls(data)[0] ?? '');
    // `auto` follows the reference (2:1), fixed when the task was created.
    expect(await sharp(image.bytes).metadata()).toMatchObject({ width: 64, height: 32 });
    expect(sink.entries.some((entry) => /Reference of a restored task/.test(entry.message))).toBe(false);
  });

  it('results, uploads and signed links from before the restart still resolve', async () => {
    const dir = await folder();
    const first = await start(dir);
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    const upload = await call(first, 'POST', '/api/file-base64-upload', {
      base64Data: png.toString('base64'),
      uploadPath: 'banana-studio/refs',
      fileName: 'ref.png',
    });
    const uploadUrl = (upload.json['data'] as { downloadUrl: string }).downloadUrl;
    const taskId = await createTask(first, textTask('kept'));
    await first.whenSettled(taskId);
    const [resultUrl = ''] = resultUrls(await recordInfo(first, taskId));
    const before = await get(resultUrl);
    const signed = await call(first, 'POST', '/api/v1/common/download-url', { url: resultUrl });
    const signedUrl = String(signed.json['data']);

    const second = await restart(first, dir);
    expect(await get(resultUrl)).toEqual(before);
    expect((await get(signedUrl)).status).toBe(200);
    expect(await get(uploadUrl)).toEqual({ status: 200, bytes: png });
    expect(await recordInfo(second, taskId)).toMatchObject({ state: 'success' });
    // The key still works, and the task is one the simulator knows (not a 404).
    expect((await call(second, 'GET', `/api/v1/jobs/recordInfo?taskId=${taskId}`)).json['code']).toBe(200);
  });

  it('on another port (the old one taken), results are answered on the new origin', async () => {
    const dir = await folder();
    const first = await start(dir);
    const taskId = await createTask(first, textTask('moved'));
    await first.whenSettled(taskId);
    await first.close();
    const squatter = createServer((_request, response) => response.writeHead(418).end());
    await new Promise<void>((resolve) =>
      squatter.listen(Number(new URL(first.url).port), '127.0.0.1', resolve),
    );
    open.push({ close: () => new Promise<void>((resolve) => squatter.close(() => resolve())) });

    const second = await start(dir);
    expect(second.url).not.toBe(first.url);
    const [url = ''] = resultUrls(await recordInfo(second, taskId));
    expect(url.startsWith(`${second.url}/files/`)).toBe(true);
    expect((await get(url)).status).toBe(200);
  });

  it('a damaged task file is logged and skipped; the others come back', async () => {
    const dir = await folder();
    const first = await start(dir);
    const good = await createTask(first, textTask('good'));
    const broken = await createTask(first, textTask('broken'));
    const wrongShape = await createTask(first, textTask('wrong shape'));
    await Promise.all([good, broken, wrongShape].map((id) => first.whenSettled(id)));
    await first.close();
    await writeFile(join(dir, 'tasks', `${broken}.json`), '{"version":1,"taskId":');
    await writeFile(join(dir, 'tasks', `${wrongShape}.json`), JSON.stringify({ version: 1, taskId: 7 }));
    await writeFile(join(dir, 'simulator.json'), 'not json');

    const sink = new MemorySink();
    const second = await start(dir, { logger: createLogger({ sinks: [sink] }) });
    expect([...second.tasks.keys()]).toEqual([good]);
    expect(await recordInfo(second, good)).toMatchObject({ state: 'success' });
    const skipped = sink.entries.filter((entry) => entry.level === 'warn' && /skipped/.test(entry.message));
    expect(skipped.length).toBeGreaterThanOrEqual(3);
    // The damaged key file gave way to a new key; it is saved for the next start.
    expect(second.apiKey).not.toBe(first.apiKey);
    const third = await restart(second, dir);
    expect(third.apiKey).toBe(second.apiKey);
  });

  it('keeps only the newest tasks, forgets old ones and sweeps their files', async () => {
    const dir = await folder();
    const first = await start(dir, { persistLimits: { maxTasks: 2 } });
    const ids: string[] = [];
    for (const prompt of ['one', 'two', 'three']) {
      const id = await createTask(first, textTask(prompt));
      await first.whenSettled(id);
      ids.push(id);
    }
    const [oldUrl = ''] = resultUrls(await recordInfo(first, ids[0] ?? ''));

    const second = await restart(first, dir, { persistLimits: { maxTasks: 2 } });
    expect([...second.tasks.keys()].sort()).toEqual(ids.slice(1).sort());
    expect((await get(oldUrl)).status).toBe(404);
    const bins = async () => (await readdir(join(dir, 'files'))).filter((name) => name.endsWith('.bin'));
    expect(await bins()).toHaveLength(2);

    // Past the age limit (here: everything), tasks and their results go.
    const third = await restart(second, dir, { persistLimits: { maxAgeMs: 0 } });
    expect(third.tasks.size).toBe(0);
    await third.close();
    expect(await readdir(join(dir, 'tasks'))).toEqual([]);
    expect(await bins()).toEqual([]);
  });

  it('keeps its key owner-only and, with freeTasks, never lowers the balance', async () => {
    const dir = await folder();
    const sim = await start(dir, { freeTasks: true, credits: 50 });
    const taskId = await createTask(sim, textTask('free'));
    await sim.whenSettled(taskId);
    expect(sim.credits).toBe(50);
    expect((await call(sim, 'GET', '/api/v1/chat/credit')).json['data']).toBe(50);
    if (process.platform !== 'win32') {
      expect((await stat(join(dir, 'simulator.json'))).mode & 0o777).toBe(0o600);
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
    }
  });
});
