import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@shared/ipc/result';
import { openDatabase, type Database } from '../db/database';
import { KieClient } from '../kie/client';
import { startKieSimulator, type KieSimulator } from '../kie/simulator';
import { createLogger } from '../log/logger';
import { useTempDirs } from '../testing/tempDir';
import { ReferenceStore } from './staging';
import { KIE_UPLOAD_TTL_MS, ReferenceUploader, UPLOAD_REUSE_MARGIN_MS } from './uploads';

const log = createLogger({ sinks: [] });
const UPLOAD = '/api/file-base64-upload';
const HOUR = 60 * 60 * 1000;

let red: Buffer;
let blue: Buffer;
beforeAll(async () => {
  const solid = (background: string) =>
    sharp({ create: { width: 32, height: 32, channels: 3, background } })
      .png()
      .toBuffer();
  [red, blue] = await Promise.all([solid('#cc2222'), solid('#2222cc')]);
});

describe('ReferenceUploader against the simulator', () => {
  const tempDir = useTempDirs();
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup() {
    const sim = await startKieSimulator();
    cleanups.push(() => sim.close());
    const dir = await tempDir();
    const db: Database = openDatabase(join(dir, 'library.db'));
    cleanups.push(() => db.close());
    // The injected clock: an upload's age is what decides reuse.
    const clock = { ms: Date.parse('2026-11-25T04:00:00.000Z') };
    const now = () => new Date(clock.ms);
    const store = new ReferenceStore({
      db,
      stagingDir: join(dir, 'staging'),
      imageUrl: (asset, id) => `test://${asset}/${id}`,
      gallery: { source: async () => ({ filePath: '', fileName: '' }), has: () => false },
      now,
      log,
    });
    const uploader = new ReferenceUploader({ store, now, log });
    return { sim, store, uploader, clock, kie: clientFor(sim) };
  }

  function clientFor(sim: KieSimulator, uploadBaseUrl = sim.uploadBaseUrl): KieClient {
    return new KieClient({
      apiBaseUrl: sim.apiBaseUrl,
      uploadBaseUrl,
      getApiKey: async () => sim.apiKey,
      log,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
  }

  async function fetchBytes(url: string): Promise<Buffer> {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  it('uploads each reference once, in order, with progress, and the URLs serve the exact bytes', async () => {
    const { sim, store, uploader, kie } = await setup();
    const a = await store.add(red, 'red.png');
    const b = await store.add(blue, 'blue.png');
    const progress: [number, number][] = [];
    const { urls, reused } = await uploader.urlsFor([a.id, b.id], kie, {
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(reused).toEqual([]);
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect((await fetchBytes(urls[0] ?? '')).equals(red)).toBe(true);
    expect((await fetchBytes(urls[1] ?? '')).equals(blue)).toBe(true);
    expect(sim.countRequests('POST', UPLOAD)).toBe(2);
    // The two uploads run side by side, so the log's order is not theirs.
    const uploadBodies = sim.requests
      .filter((request) => request.path === UPLOAD)
      .map((request) => request.body);
    expect(uploadBodies).toContainEqual(
      expect.objectContaining({ uploadPath: 'banana-studio/refs', fileName: `${a.sha256}.png` }),
    );
    expect(store.get(a.id)).toMatchObject({
      kieUrl: urls[0],
      kieUrlUploadedAt: '2026-11-25T04:00:00.000Z',
      kieUploadTarget: sim.uploadBaseUrl,
    });
  });

  it('the same file needed at once by many jobs is uploaded once (one shared promise)', async () => {
    const { sim, store, uploader, kie } = await setup();
    const a = await store.add(red, 'red.png');
    const results = await Promise.all(Array.from({ length: 5 }, () => uploader.urlsFor([a.id, a.id], kie)));
    expect(sim.countRequests('POST', UPLOAD)).toBe(1);
    expect(new Set(results.flatMap((result) => result.urls)).size).toBe(1);
  });

  it('reuses a young upload, and uploads again once it is too old (injected clock)', async () => {
    const { sim, store, uploader, clock, kie } = await setup();
    const a = await store.add(red, 'red.png');
    const first = await uploader.urlsFor([a.id], kie);
    clock.ms += KIE_UPLOAD_TTL_MS - UPLOAD_REUSE_MARGIN_MS - 1;
    const reused = await uploader.urlsFor([a.id], kie);
    expect(reused).toEqual({ urls: first.urls, reused: [a.id] });
    expect(sim.countRequests('POST', UPLOAD)).toBe(1);

    clock.ms += 2;
    const fresh = await uploader.urlsFor([a.id], kie);
    expect(fresh.reused).toEqual([]);
    expect(sim.countRequests('POST', UPLOAD)).toBe(2);
    expect(store.get(a.id)?.kieUrlUploadedAt).toBe(new Date(clock.ms).toISOString());

    // A clock set back before the upload is not trusted either.
    clock.ms -= 10 * HOUR;
    expect((await uploader.urlsFor([a.id], kie)).reused).toEqual([]);
    expect(sim.countRequests('POST', UPLOAD)).toBe(3);
  });

  it('uploads again after KIE dropped the file (forget), and for another upload service', async () => {
    const { sim, store, uploader, kie } = await setup();
    const a = await store.add(red, 'red.png');
    const first = await uploader.urlsFor([a.id], kie);
    expect(sim.expireUploads()).toBe(1);
    expect((await fetch(first.urls[0] ?? '')).status).toBe(404);
    uploader.forget([a.id]);
    const again = await uploader.urlsFor([a.id], kie);
    expect(again.reused).toEqual([]);
    expect((await fetchBytes(again.urls[0] ?? '')).equals(red)).toBe(true);

    // Another upload service (a second simulator, still on 127.0.0.1): nothing is reused there.
    const elsewhere = await startKieSimulator({ apiKey: sim.apiKey });
    cleanups.push(() => elsewhere.close());
    const other = clientFor(sim, elsewhere.uploadBaseUrl);
    expect((await uploader.urlsFor([a.id], other)).reused).toEqual([]);
    expect(sim.countRequests('POST', UPLOAD)).toBe(2);
    expect(elsewhere.countRequests('POST', UPLOAD)).toBe(1);
  });

  it('keeps the upload error code (for the engine to pause or fail) and records nothing', async () => {
    const { sim, store, uploader, kie } = await setup();
    const a = await store.add(red, 'red.png');
    sim.setFault({ kind: 'serverErrorBurst', count: 1, status: 503, endpoint: 'upload' }, 'global');
    const error = await uploader.urlsFor([a.id], kie).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('UPSTREAM');
    expect(store.get(a.id)?.kieUrl).toBeNull();
    // Nothing stuck in flight: the next call uploads.
    expect((await uploader.urlsFor([a.id], kie)).urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
  });
});
