import { afterEach, describe, expect, it } from 'vitest';
import { verifyCallbackSignature } from '../../callback/signature';
import { signCallback, startKieSimulator, type KieSimulator } from './index';
import { createTask, FAST, recordInfo, resultUrls, startReceiver, textTask } from './testHelpers';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function setup(options: { hmacKey?: string | null; status?: (index: number) => number } = {}) {
  const sim = await startKieSimulator({
    timings: FAST,
    maxImageSide: 64,
    hmacKey: options.hmacKey ?? null,
    callbackBackoffMs: 10,
  });
  const receiver = await startReceiver(options.status);
  open.push(sim, receiver);
  return { sim, receiver };
}

async function run(sim: KieSimulator, callBackUrl: string, prompt = 'callback'): Promise<string> {
  const taskId = await createTask(sim, textTask(prompt, {}, { callBackUrl }));
  await sim.whenSettled(taskId);
  return taskId;
}

describe('signCallback', () => {
  it('is base64(HMAC-SHA256(taskId.timestamp, key)), as the app verifies it', () => {
    const signature = signCallback('task-1', 1_700_000_000, 'secret');
    expect(signature).toBe(signCallback('task-1', '1700000000', 'secret'));
    expect(Buffer.from(signature, 'base64')).toHaveLength(32);
    expect(
      verifyCallbackSignature({
        taskId: 'task-1',
        timestamp: '1700000000',
        signature,
        key: 'secret',
        nowMs: 1_700_000_000_000,
      }),
    ).toBe('ok');
  });
});

describe('callbacks', () => {
  it('posts the KIE body once, signed with the HMAC key', async () => {
    const { sim, receiver } = await setup({ hmacKey: 'webhook-key' });
    const taskId = await run(sim, receiver.url);
    expect(receiver.received).toHaveLength(1);
    const [callback] = receiver.received;
    const timestamp = String(callback?.headers['x-webhook-timestamp']);
    const signature = String(callback?.headers['x-webhook-signature']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(signature).toBe(signCallback(taskId, timestamp, 'webhook-key'));
    expect(
      verifyCallbackSignature({ taskId, timestamp, signature, key: 'webhook-key', nowMs: Date.now() }),
    ).toBe('ok');

    const info = await recordInfo(sim, taskId);
    expect(callback?.body).toMatchObject({
      code: 200,
      msg: 'Playground task completed successfully.',
      data: {
        taskId,
        model: 'google/nano-banana',
        state: 'success',
        creditsConsumed: 4,
        createTime: info['createTime'],
        completeTime: info['completeTime'],
      },
    });
    const data = callback?.body['data'] as Record<string, unknown>;
    expect(resultUrls(data)).toEqual(resultUrls(info));
    expect(typeof data['costTime']).toBe('number');
    expect(data).not.toHaveProperty('failCode');
    // param.input is a JSON string inside the JSON string, as in KIE's example.
    const param = JSON.parse(String(data['param'])) as { input: string; callBackUrl: string };
    expect(JSON.parse(param.input)).toMatchObject({ prompt: 'callback' });
    expect(param.callBackUrl).toBe(receiver.url);
    expect(sim.tasks.get(taskId)?.callbacks).toMatchObject([
      { copy: 1, attempt: 1, status: 200, error: null },
    ]);
  });

  it('sends no signature headers without an HMAC key', async () => {
    const { sim, receiver } = await setup();
    await run(sim, receiver.url);
    expect(receiver.received[0]?.headers).not.toHaveProperty('x-webhook-signature');
    expect(receiver.received[0]?.headers).not.toHaveProperty('x-webhook-timestamp');
  });

  it('retries on non-2xx with backoff until it is accepted', async () => {
    const { sim, receiver } = await setup({ status: (index) => (index < 2 ? 500 : 204) });
    const taskId = await run(sim, receiver.url);
    expect(receiver.received).toHaveLength(3);
    expect(sim.tasks.get(taskId)?.callbacks.map((attempt) => attempt.status)).toEqual([500, 500, 204]);
  });

  it('gives up after the retries, and survives an unreachable receiver', async () => {
    const { sim, receiver } = await setup({ status: () => 503 });
    const failing = await run(sim, receiver.url);
    expect(sim.tasks.get(failing)?.callbacks).toHaveLength(4);
    const unreachable = await run(sim, 'http://127.0.0.1:9/cb');
    const attempts = sim.tasks.get(unreachable)?.callbacks ?? [];
    expect(attempts).toHaveLength(4);
    expect(attempts.every((attempt) => attempt.status === null && attempt.error !== null)).toBe(true);
  });

  it('no callBackUrl, no callback', async () => {
    const { sim, receiver } = await setup();
    const taskId = await createTask(sim, textTask('quiet'));
    await sim.whenSettled(taskId);
    expect(sim.tasks.get(taskId)?.callbacks).toEqual([]);
    expect(receiver.received).toEqual([]);
  });
});
