import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job, JobParams } from '@shared/domain/job';
import type { StagedReference } from '@shared/domain/reference';
import type { AnyEvent, RouteName, RouteOutput } from '@shared/ipc/contract';
import type { WireError } from '@shared/ipc/result';
import type { Core } from '../core';
import { createCore, type CoreOptions } from '../createCore';
import { readMetadataFromFile } from '../gallery/metadata';
import { startKieSimulator, type KieSimulator } from '../kie/simulator';
import { memorySecretStore, testPorts } from '../testing/memoryPorts';
import { useTempDirs } from '../testing/tempDir';

/**
 * Image-to-image through the real core against the simulator on 127.0.0.1: references staged
 * once, uploaded once, sent to the right model under the right field, in order, and remembered
 * in the result's lineage.
 */
const FAST = { waitingMs: 40, queuingMs: 40, generatingMs: 80 };
const CORE: CoreOptions = {
  poll: { initialMs: 40, maxMs: 150, lateCallbackMs: 300, perSecond: 200, burst: 50 },
  probeIntervalMs: 100,
  libraryScanDelayMs: 60_000,
};
const UPLOAD = '/api/file-base64-upload';
const CREATE = '/api/v1/jobs/createTask';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let cat: Buffer;
let dog: Buffer;
beforeAll(async () => {
  const solid = (background: string, width: number) =>
    sharp({ create: { width, height: 64, channels: 3, background } })
      .png()
      .toBuffer();
  [cat, dog] = await Promise.all([solid('#e0a030', 96), solid('#3080e0', 64)]);
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('image-to-image', () => {
  const tempDir = useTempDirs();

  async function rig(options: { sim?: KieSimulator; dataDir?: string } = {}) {
    const sim = options.sim ?? (await startKieSimulator({ timings: FAST, maxImageSide: 256 }));
    if (!options.sim) cleanups.push(() => sim.close());
    const dataDir = options.dataDir ?? (await tempDir());
    const core: Core = await createCore(
      testPorts(dataDir, {
        secrets: memorySecretStore({ kieApiKey: sim.apiKey }),
        settings: { kieApiBaseUrl: sim.apiBaseUrl, kieUploadBaseUrl: sim.uploadBaseUrl },
      }),
      CORE,
    );
    let disposed = false;
    const dispose = async () => {
      if (!disposed) await core.dispose();
      disposed = true;
    };
    cleanups.push(dispose);
    const events: AnyEvent[] = [];
    const latest = new Map<string, Job>();
    core.onEvent((event) => {
      events.push(event);
      if (event.name === 'job.updated') latest.set(event.payload.id, event.payload);
    });

    async function attempt<R extends RouteName>(
      route: R,
      input: unknown,
    ): Promise<{ ok: true; value: RouteOutput<R> } | { ok: false; error: WireError }> {
      const result = await core.dispatch(route, input, { transport: 'test' });
      return result.ok ? { ok: true, value: result.value as RouteOutput<R> } : result;
    }
    async function call<R extends RouteName>(route: R, input: unknown): Promise<RouteOutput<R>> {
      const result = await attempt(route, input);
      if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
      return result.value;
    }
    const params = (patch: Partial<JobParams> = {}): JobParams => ({
      model: 'google/nano-banana',
      prompt: 'a cat wearing sunglasses',
      aspectRatio: '1:1',
      outputFormat: 'png',
      resolution: null,
      ...patch,
    });
    return {
      sim,
      core,
      dataDir,
      events,
      dispose,
      attempt,
      call,
      params,
      add: (bytes: Buffer, name: string) =>
        call('references.add', { base64: bytes.toString('base64'), name }) as Promise<StagedReference>,
      submit: (patch: Partial<JobParams> = {}) => call('jobs.submit', params(patch)),
      async until(jobId: string, states: Job['state'][], timeoutMs = 10_000): Promise<Job> {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          const job = latest.get(jobId);
          if (job && states.includes(job.state)) return job;
          await new Promise((resolve) => setTimeout(resolve, 15));
        }
        throw new Error(`job ${jobId} stuck in ${latest.get(jobId)?.state}, wanted ${states.join('|')}`);
      },
      states: (jobId: string) =>
        events.flatMap((event) =>
          event.name === 'job.updated' && event.payload.id === jobId ? [event.payload] : [],
        ),
    };
  }

  async function fetchBytes(url: string): Promise<Buffer> {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  it('an edit job end to end: the edit model gets the uploaded bytes in order, and lineage is kept', async () => {
    const r = await rig();
    // A library image to use as a reference, made by a text job first.
    const seed = await r.submit({ prompt: 'a dog on a beach' });
    const seedDone = await r.until(seed.id, ['done']);
    const galleryImageId = seedDone.imageIds[0] ?? '';
    const detail = await r.call('gallery.detail', { id: galleryImageId });
    const libraryBytes = await readFile(detail.filePath);

    const dropped = await r.add(cat, 'cat.png');
    const fromGallery = await r.call('references.fromGallery', { imageId: galleryImageId });
    expect(dropped).toMatchObject({
      name: 'cat.png',
      format: 'png',
      width: 96,
      height: 64,
      galleryImageId: null,
    });
    expect(dropped.id).toBe(sha256(cat).slice(0, 32));
    expect(fromGallery).toMatchObject({
      galleryImageId,
      name: detail.image.fileName,
      thumbUrl: `test://thumb/${galleryImageId}`,
    });
    expect(await r.call('references.get', { ids: [fromGallery.id, 'f'.repeat(32), dropped.id] })).toEqual([
      fromGallery,
      dropped,
    ]);
    // The ref asset serves the staged file.
    const served = await r.core.resolveGalleryFile('ref', dropped.id);
    expect(served?.mimeType).toBe('image/png');
    expect((await readFile(served?.filePath ?? '')).equals(cat)).toBe(true);
    await served?.handle.close();

    // The text model is picked, references are attached: it runs as the edit model.
    const job = await r.submit({ references: [dropped.id, fromGallery.id] });
    expect(job.params).toMatchObject({
      model: 'google/nano-banana-edit',
      references: [dropped.id, fromGallery.id],
    });
    const done = await r.until(job.id, ['done']);

    const task = [...r.sim.tasks.values()].find((candidate) => candidate.prompt === job.params.prompt);
    expect(task?.model).toBe('google/nano-banana-edit');
    expect(task?.ignoredFields).toEqual([]);
    expect(task?.input['image_urls']).toEqual(task?.referenceUrls);
    expect(task?.referenceUrls).toHaveLength(2);
    const sent = await Promise.all((task?.referenceUrls ?? []).map(fetchBytes));
    expect(sent[0]?.equals(cat)).toBe(true);
    expect(sent[1]?.equals(libraryBytes)).toBe(true);

    // queued → uploading (with progress) → submitting → … → done.
    const states = r.states(job.id);
    const path = states.map((update) => update.state).filter((state, i, all) => state !== all[i - 1]);
    expect(path.slice(0, 3)).toEqual(['queued', 'uploading', 'submitting']);
    expect(path.at(-1)).toBe('done');
    expect(states.filter((update) => update.progress).map((update) => update.progress)).toEqual([
      { done: 0, total: 2 },
      { done: 1, total: 2 },
      { done: 2, total: 2 },
    ]);

    const image = await r.call('gallery.detail', { id: done.imageIds[0] ?? '' });
    expect(image.image.parents).toEqual([galleryImageId]);
    expect(image.parents.map((parent) => parent.id)).toEqual([galleryImageId]);
    expect(image.image.params.references).toEqual([dropped.id, fromGallery.id]);
    const meta = await readMetadataFromFile(image.filePath);
    expect(meta).toMatchObject({
      model: 'google/nano-banana-edit',
      parents: [galleryImageId],
      references: [
        { id: dropped.id, sha256: sha256(cat) },
        { id: fromGallery.id, sha256: sha256(libraryBytes) },
      ],
    });
    const parent = await r.call('gallery.detail', { id: galleryImageId });
    expect(parent.children.map((child) => child.id)).toEqual([done.imageIds[0]]);
  });

  it('Nano Banana 2 keeps its model and gets the references as image_input', async () => {
    const r = await rig();
    const a = await r.add(cat, 'cat.png');
    const b = await r.add(dog, 'dog.png');
    const job = await r.submit({ model: 'nano-banana-2', resolution: '1K', references: [b.id, a.id] });
    await r.until(job.id, ['done']);
    const task = [...r.sim.tasks.values()][0];
    expect(task?.model).toBe('nano-banana-2');
    expect(task?.input['image_input']).toEqual(task?.referenceUrls);
    const sent = await Promise.all((task?.referenceUrls ?? []).map(fetchBytes));
    expect(sent.map((bytes) => bytes.equals(dog))).toEqual([true, false]);
    expect(sent[1]?.equals(cat)).toBe(true);
  });

  it('the same bytes staged twice and used by concurrent jobs: one file, one upload', async () => {
    const r = await rig();
    const first = await r.add(cat, 'cat.png');
    const second = await r.add(Buffer.from(cat), 'same cat.png');
    expect(second.id).toBe(first.id);
    const jobs = await Promise.all(
      Array.from({ length: 4 }, (_, n) => r.submit({ prompt: `cat ${n}`, references: [first.id] })),
    );
    for (const job of jobs) await r.until(job.id, ['done']);
    expect(r.sim.countRequests('POST', UPLOAD)).toBe(1);
    const urls = new Set([...r.sim.tasks.values()].flatMap((task) => task.referenceUrls));
    expect(urls.size).toBe(1);
    expect(await readdir(join(r.dataDir, 'staging'))).toEqual([`${sha256(cat)}.png`]);
  });

  it('refuses at submit what KIE would refuse, and queues nothing', async () => {
    const r = await rig();
    const a = await r.add(cat, 'cat.png');
    const tooMany = await r.attempt('jobs.submit', r.params({ references: Array(11).fill(a.id) }));
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(tooMany.ok ? '' : tooMany.error.message).toMatch(/at most 10 reference images; 11 are attached/);
    const unknown = await r.attempt('jobs.submit', r.params({ references: ['0'.repeat(32)] }));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const notAnId = await r.attempt('jobs.submit', r.params({ references: ['../../etc/passwd'] }));
    expect(notAnId).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const bad = await r.attempt('references.add', {
      base64: Buffer.from('GIF89a....').toString('base64'),
      name: 'x.gif',
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('“x.gif”') },
    });
    expect(await r.call('jobs.list', { limit: 10 })).toEqual([]);
    expect(r.sim.countRequests('*', '/api/')).toBe(0);
  });

  it('a reference gone from staging fails the job with its name; references stay for retry as new', async () => {
    const r = await rig();
    const a = await r.add(cat, 'cat.png');
    await rm(join(r.dataDir, 'staging', `${sha256(cat)}.png`));
    const job = await r.submit({ references: [a.id] });
    const failed = await r.until(job.id, ['failed']);
    expect(failed.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('“cat.png”') });
    expect(failed.params.references).toEqual([a.id]);
    expect(r.sim.countRequests('POST', CREATE)).toBe(0);
    // Dropping the file again restores it; retry makes a new job with the same inputs.
    await r.add(cat, 'cat.png');
    const retried = await r.call('jobs.retry', { id: job.id });
    expect(retried.params).toEqual(failed.params);
    await r.until(retried.id, ['done']);
  });

  it('a failing upload service pauses the queue with the job kept, then carries on', async () => {
    const r = await rig();
    const a = await r.add(cat, 'cat.png');
    // More 503s than the client's own retries (4): the job goes back to the queue.
    r.sim.setFault({ kind: 'serverErrorBurst', count: 4, status: 503, endpoint: 'upload' }, 'global');
    const job = await r.submit({ references: [a.id] });
    const done = await r.until(job.id, ['done'], 15_000);
    expect(done.params.references).toEqual([a.id]);
    const requeued = r.states(job.id).find((update) => update.state === 'queued' && update.error !== null);
    expect(requeued?.error?.code).toBe('UPSTREAM');
    const pauses = r.events.flatMap((event) =>
      event.name === 'queue.changed' && event.payload.paused ? [event.payload.reason] : [],
    );
    expect(pauses).toContain('offline');
    expect(r.sim.countRequests('POST', CREATE)).toBe(1);
  });

  it('KIE dropped an upload it should still have: refused once, uploaded again, sent again', async () => {
    const r = await rig();
    const a = await r.add(cat, 'cat.png');
    const first = await r.submit({ references: [a.id] });
    await r.until(first.id, ['done']);
    r.sim.expireUploads();
    const second = await r.submit({ prompt: 'again', references: [a.id] });
    await r.until(second.id, ['done']);
    expect(r.sim.countRequests('POST', UPLOAD)).toBe(2);
    const creates = r.sim.requests
      .filter((request) => request.path === CREATE)
      .map((request) => request.code);
    expect(creates).toEqual([200, 422, 200]);
    const task = [...r.sim.tasks.values()].find((candidate) => candidate.prompt === 'again');
    expect((await fetchBytes(task?.referenceUrls[0] ?? '')).equals(cat)).toBe(true);
  });

  it('a restart during uploading resumes the job with its references', async () => {
    const sim = await startKieSimulator({ timings: FAST, maxImageSide: 256 });
    cleanups.push(() => sim.close());
    const dataDir = await tempDir();
    const first = await rig({ sim, dataDir });
    const a = await first.add(cat, 'cat.png');
    const b = await first.add(dog, 'dog.png');
    // Uploads fail and back off, so the job sits in `uploading` when the app stops.
    sim.setFault({ kind: 'serverErrorBurst', count: 1000, status: 503, endpoint: 'upload' }, 'global');
    const job = await first.submit({ references: [a.id, b.id] });
    await first.until(job.id, ['uploading']);
    await expect.poll(() => sim.countRequests('POST', UPLOAD)).toBeGreaterThan(0);
    const stopping = Date.now();
    await first.dispose();
    // dispose stops the uploads rather than waiting out their retries.
    expect(Date.now() - stopping).toBeLessThan(2_000);
    sim.clearFaults();

    const second = await rig({ sim, dataDir });
    const done = await second.until(job.id, ['done']);
    expect(done.params.references).toEqual([a.id, b.id]);
    const task = [...sim.tasks.values()][0];
    const sent = await Promise.all((task?.referenceUrls ?? []).map(fetchBytes));
    expect(sent[0]?.equals(cat)).toBe(true);
    expect(sent[1]?.equals(dog)).toBe(true);
    expect(sim.countRequests('POST', CREATE)).toBe(1);
    const staged = await second.call('references.get', { ids: [a.id, b.id] });
    expect(staged.map((reference) => reference.name)).toEqual(['cat.png', 'dog.png']);
  });

  it('a job can be cancelled while its references upload, and is never sent', async () => {
    const r = await rig();
    const a = await r.add(cat, 'cat.png');
    r.sim.setFault({ kind: 'serverErrorBurst', count: 2, status: 503, endpoint: 'upload' }, 'global');
    const job = await r.submit({ references: [a.id] });
    await r.until(job.id, ['uploading']);
    expect(await r.call('jobs.cancel', { id: job.id })).toMatchObject({ state: 'cancelled' });
    await expect
      .poll(() => r.sim.countRequests('POST', UPLOAD), { timeout: 5_000 })
      .toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.sim.countRequests('POST', CREATE)).toBe(0);
    expect(r.states(job.id).at(-1)?.state).toBe('cancelled');
  });
});
