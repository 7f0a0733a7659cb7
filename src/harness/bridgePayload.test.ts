import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHarness, type Harness } from './server';

/**
 * The web bridge carries a reference file as base64 in one WebSocket message: a 29 MB file (Pro
 * and Nano Banana 2 take up to 30 MB) is about 39 MB of text, and must reach core like any other.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(): Promise<Harness> {
  const rendererDir = await mkdtemp(join(tmpdir(), 'banana-renderer-'));
  cleanups.push(() => rm(rendererDir, { recursive: true, force: true }));
  const started = await startHarness({ rendererDir, quiet: true, removeDataOnClose: true });
  cleanups.push(() => started.close());
  return started;
}

describe('the harness bridge', () => {
  it('takes a 29 MB reference in one message and answers it', async () => {
    const { origin, token } = await harness();
    // A valid PNG padded after its end (decoders ignore the tail) to 29 MB.
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const file = Buffer.concat([png, Buffer.alloc(29 * 1024 * 1024 - png.length)]);
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/bridge?token=${token}`, { origin });
    cleanups.push(async () => socket.close());
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const answer = new Promise<unknown>((resolve, reject) => {
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { t: string; id?: number; result?: unknown };
        if (message.t === 'res' && message.id === 1) resolve(message.result);
      });
      socket.once('close', (code) => reject(new Error(`bridge closed the socket (${code})`)));
    });
    socket.send(
      JSON.stringify({
        t: 'req',
        id: 1,
        route: 'references.add',
        input: { base64: file.toString('base64'), name: 'big.png' },
      }),
    );
    expect(await answer).toMatchObject({ ok: true, value: { name: 'big.png', bytes: file.length } });
  }, 60_000);
});
