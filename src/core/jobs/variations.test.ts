import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job, JobParams } from '@shared/domain/job';
import type { StagedReference } from '@shared/domain/reference';
import type { RouteName, RouteOutput } from '@shared/ipc/contract';
import type { WireError } from '@shared/ipc/result';
import type { Core } from '../core';
import { startCoreRig, type CoreRig, type CoreRigOptions } from '../testing/coreRig';
import { useTempDirs } from '../testing/tempDir';

/**
 * "Again ×N" and A/B runs through the real core, against the KIE simulator on 127.0.0.1: what is
 * sent (exactly the image's settings; each variant as an ordinary task), what is refused before
 * anything is sent, and that a run is found again from the files after library.db is lost.
 */
const CREATE = '/api/v1/jobs/createTask';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let orange: Buffer;
beforeAll(async () => {
  orange = await sharp({ create: { width: 80, height: 48, channels: 3, background: '#e0a030' } })
    .png()
    .toBuffer();
});

type Attempt<R extends RouteName> = { ok: true; value: RouteOutput<R> } | { ok: false; error: WireError };

async function attempt<R extends RouteName>(core: Core, route: R, input: unknown): Promise<Attempt<R>> {
  const result = await core.dispatch(route, input, { transport: 'test' });
  return result.ok ? { ok: true, value: result.value as RouteOutput<R> } : result;
}

async function call<R extends RouteName>(core: Core, route: R, input: unknown): Promise<RouteOutput<R>> {
  const result = await attempt(core, route, input);
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const base: JobParams = {
  model: 'google/nano-banana',
  prompt: 'a lighthouse at dawn',
  aspectRatio: '16:9',
  outputFormat: 'png',
  resolution: null,
};

/** The createTask bodies the simulator received, oldest first. */
function creates(rig: CoreRig): { model: string; input: Record<string, unknown> }[] {
  return rig.sim.requests
    .filter((entry) => entry.method === 'POST' && entry.path === CREATE)
    .map((entry) => entry.body as { model: string; input: Record<string, unknown> });
}

describe('Again ×N and A/B runs', () => {
  const tempDir = useTempDirs();
  const start = (options: CoreRigOptions = {}) => startCoreRig(tempDir, cleanups, options);

  async function finished(rig: CoreRig, jobs: readonly Job[]): Promise<Job[]> {
    return Promise.all(jobs.map((job) => rig.until(job.id, ['done'], 15_000)));
  }

  it('Again ×3 re-sends the exact prompt, model, parameters and references of an image', async () => {
    const rig = await start();
    const reference = await call(rig.core, 'references.add', {
      base64: orange.toString('base64'),
      name: 'orange.png',
    });
    const first = await call(rig.core, 'jobs.submit', { ...base, references: [reference.id] });
    const [done] = await finished(rig, [first]);
    const imageId = done?.imageIds[0] ?? '';
    const original = await call(rig.core, 'gallery.get', { id: imageId });
    expect(original.params).toMatchObject({ model: 'google/nano-banana-edit', references: [reference.id] });

    expect(await call(rig.core, 'jobs.againCheck', { imageId })).toEqual({ missing: [] });
    const { jobs } = await call(rig.core, 'jobs.again', { imageId, count: 3 });
    expect(jobs).toHaveLength(3);
    for (const job of jobs) expect(job.params).toEqual(original.params);
    const again = await finished(rig, jobs);

    // Four tasks in all, each the same request as the first (the upload is reused).
    const bodies = creates(rig);
    expect(bodies).toHaveLength(4);
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({
      model: 'google/nano-banana-edit',
      input: { prompt: base.prompt, aspect_ratio: '16:9', output_format: 'png' },
    });
    // Each new picture is made from the same reference as the first.
    for (const job of again) {
      const image = await call(rig.core, 'gallery.get', { id: job.imageIds[0] ?? '' });
      expect(image.params.references).toEqual([reference.id]);
    }
  });

  it('refuses Again, naming the file, when a reference is gone; nothing is sent', async () => {
    const rig = await start();
    const reference = (await call(rig.core, 'references.add', {
      base64: orange.toString('base64'),
      name: 'orange.png',
    })) as StagedReference;
    const [done] = await finished(rig, [
      await call(rig.core, 'jobs.submit', { ...base, references: [reference.id] }),
    ]);
    const imageId = done?.imageIds[0] ?? '';
    const staging = join(rig.dataDir, 'staging');
    for (const name of await readdir(staging)) await rm(join(staging, name));
    const sentBefore = creates(rig).length;

    expect(await call(rig.core, 'jobs.againCheck', { imageId })).toEqual({
      missing: [{ id: reference.id, name: 'orange.png' }],
    });
    const refused = await attempt(rig.core, 'jobs.again', { imageId, count: 2 });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        details: { reason: 'references-missing', missing: [{ id: reference.id, name: 'orange.png' }] },
      },
    });
    expect(!refused.ok && refused.error.message).toContain('“orange.png”');
    expect(creates(rig)).toHaveLength(sentBefore);
    expect((await call(rig.core, 'jobs.list', { limit: 50 })).length).toBe(1);
  });

  it('refuses Again without a key or credits, and for an image that is not there', async () => {
    const rig = await start({ sim: undefined });
    const [done] = await finished(rig, [await call(rig.core, 'jobs.submit', base)]);
    const imageId = done?.imageIds[0] ?? '';
    rig.sim.setCredits(7);
    await call(rig.core, 'credits.get', {});
    // Two Nano Banana images cost 8 credits.
    expect(await attempt(rig.core, 'jobs.again', { imageId, count: 2 })).toMatchObject({
      ok: false,
      error: { code: 'NO_CREDITS', details: { balance: 7, cost: 8 } },
    });
    const { jobs: one } = await call(rig.core, 'jobs.again', { imageId, count: 1 });
    expect(one).toHaveLength(1);
    await finished(rig, one);
    expect(await attempt(rig.core, 'jobs.again', { imageId: 'no-such-image', count: 1 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await attempt(rig.core, 'jobs.again', { imageId, count: 5 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    await call(rig.core, 'settings.setApiKey', { apiKey: null });
    expect(await attempt(rig.core, 'jobs.again', { imageId, count: 1 })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', details: { reason: 'missing-key' } },
    });
    expect(creates(rig)).toHaveLength(2);
  });

  it('an A/B run over models: one ordinary task per variant, one run id, shown in run order', async () => {
    const rig = await start();
    const { runId, jobs } = await call(rig.core, 'jobs.submitRun', {
      base: { ...base, resolution: '2K' },
      variation: { vary: 'model', values: ['nano-banana-2', 'google/nano-banana', 'nano-banana-pro'] },
    });
    expect(jobs.map((job) => job.params.run)).toEqual([
      { id: runId, vary: 'model', label: 'nano-banana-2', index: 0, size: 3 },
      { id: runId, vary: 'model', label: 'google/nano-banana', index: 1, size: 3 },
      { id: runId, vary: 'model', label: 'nano-banana-pro', index: 2, size: 3 },
    ]);
    // Everything but the model is the same; resolution only where the model takes one.
    expect(jobs.map((job) => [job.params.model, job.params.resolution, job.params.aspectRatio])).toEqual([
      ['nano-banana-2', '2K', '16:9'],
      ['google/nano-banana', null, '16:9'],
      ['nano-banana-pro', '2K', '16:9'],
    ]);
    const pending = await call(rig.core, 'runs.get', { runId });
    expect(pending.size).toBe(3);
    await finished(rig, jobs);

    // The simulator got three plain tasks: the run tag never leaves the app.
    const bodies = creates(rig);
    expect(bodies.map((body) => body.model)).toEqual([
      'nano-banana-2',
      'google/nano-banana',
      'nano-banana-pro',
    ]);
    for (const body of bodies) expect(JSON.stringify(body)).not.toContain(runId);

    const view = await call(rig.core, 'runs.get', { runId });
    expect(view).toMatchObject({ runId, size: 3, pending: 0 });
    expect(view.images.map((item) => [item.run.index, item.run.label, item.image.params.model])).toEqual([
      [0, 'nano-banana-2', 'nano-banana-2'],
      [1, 'google/nano-banana', 'google/nano-banana'],
      [2, 'nano-banana-pro', 'nano-banana-pro'],
    ]);
    // Again on a run's picture makes a plain job, not one more variant.
    const { jobs: again } = await call(rig.core, 'jobs.again', {
      imageId: view.images[0]?.image.id,
      count: 1,
    });
    expect(again[0]?.params.run).toBeUndefined();
    expect(
      await attempt(rig.core, 'runs.get', { runId: '00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('refuses a run with a repeated, empty or unfit variant, or one the balance cannot pay; sends none', async () => {
    const rig = await start();
    const submitRun = (patch: Partial<JobParams>, variation: unknown) =>
      attempt(rig.core, 'jobs.submitRun', { base: { ...base, ...patch }, variation });
    expect(await submitRun({}, { vary: 'prompt', values: ['a red fox', ' a red fox  '] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { reason: 'run-repeated', index: 1 } },
    });
    expect(await submitRun({}, { vary: 'prompt', values: ['a red fox', '   '] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await submitRun({}, { vary: 'prompt', values: ['a red fox'] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    // 1:8 is Nano Banana 2's alone.
    const unfit = await submitRun({}, { vary: 'aspectRatio', values: ['1:1', '1:8'] });
    expect(unfit).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { variant: 1 } } });
    expect(!unfit.ok && unfit.error.message).toMatch(/^Variant 2: /);
    const tooLong = await submitRun({}, { vary: 'prompt', values: ['short', 'x'.repeat(5001)] });
    expect(tooLong).toMatchObject({ ok: false, error: { details: { variant: 1, field: 'prompt' } } });
    // A run tag is core's to mint: a plain submit cannot claim one.
    const forged = await attempt(rig.core, 'jobs.submit', {
      ...base,
      run: { id: '00000000-0000-4000-8000-000000000000', vary: 'prompt', label: 'x', index: 0, size: 2 },
    });
    expect(forged).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    rig.sim.setCredits(30);
    await call(rig.core, 'credits.get', {});
    // Two Pro images at 1K cost 36.
    expect(
      await submitRun({ model: 'nano-banana-pro', resolution: '1K' }, { vary: 'prompt', values: ['a', 'b'] }),
    ).toMatchObject({ ok: false, error: { code: 'NO_CREDITS', details: { cost: 36 } } });
    expect(creates(rig)).toHaveLength(0);
    expect(await call(rig.core, 'jobs.list', { limit: 10 })).toEqual([]);

    const ratios = await call(rig.core, 'jobs.submitRun', {
      base,
      variation: { vary: 'aspectRatio', values: ['1:1', '9:16'] },
    });
    expect(ratios.jobs.map((job) => job.params.aspectRatio)).toEqual(['1:1', '9:16']);
  });

  it(
    'a rebuilt library keeps its runs, and the references of each picture',
    { timeout: 40_000 },
    async () => {
      const first = await start();
      const reference = await call(first.core, 'references.add', {
        base64: orange.toString('base64'),
        name: 'orange.png',
      });
      const { runId, jobs } = await call(first.core, 'jobs.submitRun', {
        base: { ...base, references: [reference.id] },
        variation: { vary: 'prompt', values: ['make it night', 'make it snow'] },
      });
      await finished(first, jobs);
      const before = await call(first.core, 'runs.get', { runId });
      expect(before.images).toHaveLength(2);
      const { dataDir, sim, store } = first;
      await first.dispose();
      for (const file of ['library.db', 'jobs.db'])
        for (const suffix of ['', '-wal', '-shm']) await rm(join(dataDir, file + suffix), { force: true });

      const second = await start({ dataDir, sim, store });
      await call(second.core, 'library.rescan', {});
      const after = await call(second.core, 'runs.get', { runId });
      expect(after.images.map((item) => item.run)).toEqual(before.images.map((item) => item.run));
      expect(after.images.map((item) => item.image.params.references)).toEqual([
        [reference.id],
        [reference.id],
      ]);
      expect(after.images.map((item) => item.image.params.prompt)).toEqual(['make it night', 'make it snow']);
    },
  );
});
