import { readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobParams } from '@shared/domain/job';
import { AppError } from '@shared/ipc/result';
import { openDatabase, type Database } from '../db/database';
import { ImageIndex } from '../gallery/index';
import { JobStore } from '../jobs/store';
import { createLogger, MemorySink } from '../log/logger';
import { useTempDirs } from '../testing/tempDir';
import { ReferenceStore, stagedFileName } from './staging';
import { sweepStagedReferences, UNUSED_REFERENCE_TTL_MS } from './sweep';

const DAY = 24 * 60 * 60 * 1000;
const STAGED_AT = new Date('2026-11-20T10:00:00.000Z');

describe('sweepStagedReferences', () => {
  const tempDir = useTempDirs();
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });

  async function setup() {
    const dir = await tempDir();
    const db = openDatabase(join(dir, 'library.db'));
    open.push(db);
    const stagingDir = join(dir, 'staging');
    const sink = new MemorySink();
    const log = createLogger({ sinks: [sink] });
    let clock = STAGED_AT;
    const store = new ReferenceStore({
      db,
      stagingDir,
      imageUrl: (asset, id) => `test://${asset}/${id}`,
      gallery: {
        source: async () => {
          throw new AppError('NOT_FOUND', 'not in the library');
        },
        has: () => false,
      },
      now: () => clock,
      log,
    });
    /** A distinct real PNG staged at STAGED_AT; its id. */
    const stage = async (shade: number) => {
      const png = await sharp({
        create: { width: 8, height: 8, channels: 3, background: { r: shade, g: 9, b: 9 } },
      })
        .png()
        .toBuffer();
      return (await store.add(png, `ref-${shade}.png`)).id;
    };
    const sweep = (at: Date) => sweepStagedReferences({ db, stagingDir, now: () => at, log });
    const files = async () => (await readdir(stagingDir)).sort();
    const setClock = (at: Date) => {
      clock = at;
    };
    return { db, store, stage, sweep, files, stagingDir, sink, setClock };
  }

  const params = (references: string[]): JobParams => ({
    model: 'google/nano-banana-edit',
    prompt: 'put the cat on the sofa',
    aspectRatio: '1:1',
    outputFormat: 'png',
    resolution: null,
    references,
  });

  it('removes references nobody used once they are older than a day, and keeps the rest', async () => {
    const { db, store, stage, sweep, files } = await setup();
    const [unused, byJob, byImage, byTrashedImage, fresh] = [
      await stage(10),
      await stage(20),
      await stage(30),
      await stage(40),
      await stage(50),
    ];
    new JobStore(db, () => STAGED_AT).create(params([byJob]), false);
    const images = new ImageIndex(db);
    const image = (id: string, references: string[]) =>
      images.insert({
        id,
        jobId: null,
        kieTaskId: null,
        resultIndex: 0,
        params: params(references),
        relPath: `2026/11/${id}.png`,
        width: 8,
        height: 8,
        format: 'png',
        bytes: 100,
        demo: false,
        createdAt: STAGED_AT.toISOString(),
      });
    image('img-kept', [byImage]);
    image('img-trashed', [byTrashedImage]);
    images.moveToTrash(['img-trashed'], ['.trash/img-trashed.png'], STAGED_AT);
    // "fresh" is the same kind of unused reference, just staged within the last day.
    db.prepare('UPDATE references_staged SET created_at = ? WHERE id = ?').run(
      new Date(STAGED_AT.getTime() + 2 * DAY - 60_000).toISOString(),
      fresh,
    );
    const before = await files();
    expect(before).toHaveLength(5);
    const gone = stagedFileName(store.get(unused)!);

    const report = await sweep(new Date(STAGED_AT.getTime() + 2 * DAY));
    expect(report).toMatchObject({ unused: 1, orphans: 0 });
    expect(report.bytesFreed).toBeGreaterThan(0);
    expect(store.get(unused)).toBeNull();
    for (const kept of [byJob, byImage, byTrashedImage, fresh]) expect(store.get(kept)).not.toBeNull();
    expect(await files()).toEqual(before.filter((name) => name !== gone));
  });

  it('keeps everything younger than the TTL, used or not', async () => {
    const { stage, sweep, files } = await setup();
    await stage(1);
    await stage(2);
    const report = await sweep(new Date(STAGED_AT.getTime() + UNUSED_REFERENCE_TTL_MS - 1000));
    expect(report).toEqual({ unused: 0, orphans: 0, bytesFreed: 0 });
    expect(await files()).toHaveLength(2);
  });

  it('removes old stray files that no row describes, but not fresh ones or temp files', async () => {
    const { stage, sweep, files, stagingDir, sink } = await setup();
    const kept = await stage(7);
    const old = new Date(STAGED_AT.getTime() - 3 * DAY);
    await writeFile(join(stagingDir, 'stray-old.png'), 'x'.repeat(10));
    await utimes(join(stagingDir, 'stray-old.png'), old, old);
    await writeFile(join(stagingDir, 'stray-new.png'), 'y');
    await writeFile(join(stagingDir, '.abc.0123456789abcdef.part'), 'partial');
    // A row for `kept` is there; the file for it stays even though it is old and unused.
    const report = await sweep(new Date(STAGED_AT.getTime() + 12 * 60 * 60 * 1000));
    expect(report).toEqual({ unused: 0, orphans: 1, bytesFreed: 10 });
    const left = await files();
    expect(left).not.toContain('stray-old.png');
    expect(left).toContain('stray-new.png');
    expect(left).toContain('.abc.0123456789abcdef.part');
    expect(left).toHaveLength(3);
    expect(kept).toMatch(/^[0-9a-f]{32}$/);
    expect(sink.entries.some((entry) => entry.message === 'Staging folder swept')).toBe(true);
  });

  it('a reference staged again after the sweep comes back whole', async () => {
    const { store, stage, sweep, setClock } = await setup();
    const id = await stage(99);
    await sweep(new Date(STAGED_AT.getTime() + 2 * DAY));
    expect(store.get(id)).toBeNull();
    setClock(new Date(STAGED_AT.getTime() + 2 * DAY));
    expect(await stage(99)).toBe(id);
    expect((await store.read(id)).bytes.length).toBeGreaterThan(0);
  });

  it('copes with a missing staging folder', async () => {
    const { db, sink } = await setup();
    const log = createLogger({ sinks: [sink] });
    const report = await sweepStagedReferences({
      db,
      stagingDir: '/nonexistent/banana-staging',
      now: () => new Date(),
      log,
    });
    expect(report).toEqual({ unused: 0, orphans: 0, bytesFreed: 0 });
  });
});
