/**
 * Delivery figures against the simulator on 127.0.0.1, measured side by side in one run:
 * result latency by webhook and by polling (from the moment KIE finished the task to the image
 * being in the gallery), a plain HTTP GET of the same bytes to disk, callback acknowledgement
 * time, and 100 concurrent jobs.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Job } from '@shared/domain/job';
import { startCallbackServer } from '@core/callback/server';
import type { Core } from '@core/core';
import { createCore, type CoreOptions } from '@core/createCore';
import { signCallback, startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import { createLogger, MemorySink } from '@core/log/logger';
import { memorySecretStore, testPorts } from '@core/testing/memoryPorts';
import { submitPrompt } from '@core/testing/submitPrompt';
import { startRemoteSimulator, type RemoteSimulator } from './remoteSimulator';
import { percentile, round, waitFor, withTempDir, type Figures } from './support';

/** A ~100 Mbit/s link for result downloads, so transfer time is realistic rather than loopback. */
const LINK = { kind: 'slowDownload', chunkBytes: 64 * 1024, intervalMs: 5 } as const;

/** What a rig needs of the simulator: in this process or in its own (see remoteSimulator.ts). */
type SimAddress = Pick<KieSimulator, 'apiKey' | 'apiBaseUrl' | 'uploadBaseUrl'>;

interface Rig {
  core: Core;
  addedAt: Map<string, number>;
  submit(prompt: string): Promise<Job>;
}

async function rig(sim: SimAddress, dataDir: string, demo: boolean, options: CoreOptions = {}): Promise<Rig> {
  const ports = testPorts(dataDir, {
    secrets: memorySecretStore({ kieApiKey: sim.apiKey }),
    demoKie: { apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey },
    settings: {
      demoMode: demo,
      kieApiBaseUrl: sim.apiBaseUrl,
      kieUploadBaseUrl: sim.uploadBaseUrl,
      concurrency: 4,
    },
  });
  const core = await createCore(ports, options);
  const addedAt = new Map<string, number>();
  core.onEvent((event) => {
    if (event.name === 'gallery.added' && event.payload.kieTaskId)
      addedAt.set(event.payload.kieTaskId, Date.now());
  });
  return {
    core,
    addedAt,
    submit: (prompt) => submitPrompt(core, prompt),
  };
}

/** Latency from KIE finishing each task to its image being in the gallery, one job at a time. */
async function latencies(
  r: Rig,
  sim: RemoteSimulator,
  label: string,
  count: number,
  timeoutMs: number,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const prompt = `${label} latency sample ${i}`;
    const before = r.addedAt.size;
    await r.submit(prompt);
    // One job at a time: the next image in the gallery is this one. The simulator is asked only
    // afterwards, so nothing else runs in its process while it sends the result.
    await waitFor(() => r.addedAt.size > before, timeoutMs, `${label} delivery`);
    const task = (await sim.tasks()).find((item) => item.prompt === prompt);
    const addedAt = r.addedAt.get(task?.taskId ?? '');
    if (!task?.completeTime || addedAt === undefined)
      throw new Error(`${label}: no finished task for ${prompt}`);
    out.push(addedAt - task.completeTime);
  }
  return out;
}

/** The floor: the same bytes fetched with a plain GET and written to disk, nothing else. */
async function rawDownloads(sim: RemoteSimulator, dir: string): Promise<number[]> {
  const out: number[] = [];
  const urls = (await sim.tasks()).flatMap((task) => task.resultUrls.slice(0, 1));
  for (const [i, url] of urls.entries()) {
    const started = performance.now();
    const response = await fetch(url);
    if (!response.ok || !response.body) throw new Error(`raw GET failed: ${response.status}`);
    await pipeline(Readable.fromWeb(response.body), createWriteStream(join(dir, `raw-${i}.png`)));
    out.push(performance.now() - started);
  }
  return out;
}

export async function benchDelivery(): Promise<Figures> {
  return withTempDir(async (dir) => {
    // In its own process, as KIE is on another machine: the app's work must not slow the link.
    const sim = await startRemoteSimulator({
      timings: { waitingMs: 50, queuingMs: 50, generatingMs: 150 },
      // KIE's 1K results are photo-like PNGs of a few MB; grain gives the simulator's the same weight.
      maxImageSide: 1024,
      grain: 24,
    });
    try {
      await sim.setFault(LINK, 'global');
      // Demo mode hands KIE the local callback URL, the path a tunnel gives real jobs.
      const webhook = await rig(sim, join(dir, 'webhook'), true);
      const viaWebhook = await latencies(webhook, sim, 'webhook', 15, 10_000);
      await webhook.core.dispose();
      // No tunnel: the production polling schedule is the only way results arrive.
      const polling = await rig(sim, join(dir, 'poll'), false);
      const viaPolling = await latencies(polling, sim, 'poll', 8, 20_000);
      await polling.core.dispose();
      const raw = await rawDownloads(sim, dir);
      const webhookP50 = percentile(viaWebhook, 50);
      const rawP50 = percentile(raw, 50);
      return {
        'delivery.webhook_p50_ms': round(webhookP50, 1),
        'delivery.poll_p50_ms': round(percentile(viaPolling, 50), 1),
        'delivery.raw_download_p50_ms': round(rawP50, 1),
        'delivery.webhook_vs_raw_ratio': round(webhookP50 / rawP50, 2),
      };
    } finally {
      await sim.close();
    }
  });
}

/** 500 signed callbacks, 10 in flight at a time: how fast the server answers 200. */
export async function benchCallbackAck(): Promise<Figures> {
  const key = 'bench-webhook-key';
  const server = await startCallbackServer({
    token: 'b'.repeat(32),
    log: createLogger({ sinks: [new MemorySink(100)] }),
    hmacKey: async () => key,
    onCallback: () => undefined,
  });
  const url = `${server.localUrl}${server.path}`;
  const times: number[] = [];
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < 500) {
        const taskId = `bench-task-${next++}`;
        const timestamp = String(Math.floor(Date.now() / 1000));
        const body = JSON.stringify({
          code: 200,
          msg: 'Playground task completed successfully.',
          data: { taskId, state: 'success', resultJson: '{"resultUrls":["https://example.invalid/a.png"]}' },
        });
        const started = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-webhook-timestamp': timestamp,
            'x-webhook-signature': signCallback(taskId, timestamp, key),
          },
          body,
        });
        await response.arrayBuffer();
        times.push(performance.now() - started);
        if (response.status !== 200) throw new Error(`callback answered ${response.status}`);
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
  } finally {
    await server.close();
  }
  return { 'callback.ack_p95_ms': round(percentile(times, 95), 2) };
}

/** 100 jobs at once: all delivered, none twice, and the wall time close to one generation. */
export async function benchConcurrent100(): Promise<Figures> {
  const timings = { waitingMs: 1_000, queuingMs: 2_000, generatingMs: 7_000 };
  const generationMs = timings.waitingMs + timings.queuingMs + timings.generatingMs;
  return withTempDir(async (dir) => {
    const sim = await startKieSimulator({ timings, maxImageSide: 512 });
    try {
      const r = await rig(sim, dir, true);
      const started = Date.now();
      await Promise.all(Array.from({ length: 100 }, (_, i) => r.submit(`concurrent job ${i}`)));
      await waitFor(() => r.addedAt.size >= 100, generationMs * 4, '100 deliveries').catch(() => undefined);
      const wallMs = Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const listed = await r.core.dispatch(
        'gallery.query',
        { query: {}, cursor: null, limit: 200 },
        { transport: 'test' },
      );
      // A failed listing must show as a miss, never as '0 delivered' without a reason.
      if (!listed.ok) throw new Error(`gallery.query failed: ${listed.error.message}`);
      const images = listed.ok ? (listed.value as { items: { kieTaskId: string | null }[] }).items : [];
      const perTask = new Map<string, number>();
      for (const image of images)
        perTask.set(image.kieTaskId ?? '', (perTask.get(image.kieTaskId ?? '') ?? 0) + 1);
      await r.core.dispose();
      return {
        'jobs.concurrent100_delivered': new Set(images.map((image) => image.kieTaskId)).size,
        'jobs.concurrent100_duplicates': [...perTask.values()].reduce((sum, n) => sum + n - 1, 0),
        'jobs.concurrent100_wall_ratio': round(wallMs / generationMs, 3),
      };
    } finally {
      await sim.close();
    }
  });
}
