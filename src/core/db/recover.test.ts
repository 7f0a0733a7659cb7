import { mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageIndex } from '../gallery/index';
import { resultImageId } from '../gallery/library';
import { embedMetadata, type EmbeddedMetadata } from '../gallery/metadata';
import { libraryRelativePath } from '../gallery/naming';
import { reconcileLibrary } from '../gallery/reconcile';
import { createLogger, MemorySink } from '../log/logger';
import { useTempDirs } from '../testing/tempDir';
import { openDatabase, type Database } from './database';
import { openLibraryDatabase } from './recover';

const tempDir = useTempDirs();
const openDbs: Database[] = [];
afterEach(() => {
  for (const db of openDbs.splice(0)) if (db.isOpen) db.close();
});

const NOW = new Date('2026-03-09T10:11:12.345Z');
const STAMP = '2026-03-09T10-11-12-345Z';

function quietLog() {
  const sink = new MemorySink();
  return { sink, log: createLogger({ sinks: [sink] }) };
}

function track<T extends { db: Database }>(opened: T): T {
  openDbs.push(opened.db);
  return opened;
}

/** A library folder of our images, each carrying its metadata, and the prompts by id. */
async function makeLibrary(root: string, count: number): Promise<Map<string, string>> {
  const prompts = new Map<string, string>();
  for (let n = 0; n < count; n += 1) {
    const kieTaskId = `task-${n}`;
    const meta: EmbeddedMetadata = {
      app: 'banana-studio',
      version: 1,
      imageId: resultImageId({ kieTaskId, resultIndex: 0 }),
      prompt: `猫 and banana number ${n}`,
      model: 'nano-banana-2',
      params: { aspectRatio: '1:1', outputFormat: 'png', resolution: '1K' },
      kieTaskId,
      resultIndex: 0,
      references: [],
      parents: [],
      createdAt: new Date(Date.UTC(2026, n % 12, 1 + n)).toISOString(),
      appVersion: '0.1.0',
      demo: false,
    };
    const png = await sharp({
      create: { width: 16, height: 16, channels: 3, background: { r: n * 20, g: 100, b: 200 } },
    })
      .png()
      .toBuffer();
    const relPath = libraryRelativePath(new Date(meta.createdAt), meta.prompt, meta.imageId, 'png');
    await mkdir(dirname(join(root, relPath)), { recursive: true });
    await writeFile(join(root, relPath), embedMetadata(png, meta));
    prompts.set(meta.imageId, meta.prompt);
  }
  return prompts;
}

async function indexedLibrary(count: number) {
  const dir = await tempDir();
  const root = join(dir, 'Banana Studio');
  const file = join(dir, 'data', 'library.db');
  const prompts = await makeLibrary(root, count);
  const db = openDatabase(file);
  const { log } = quietLog();
  await reconcileLibrary({ index: new ImageIndex(db), db, libraryRoot: root, log });
  db.close();
  return { dir, root, file, prompts };
}

async function rebuild(db: Database, root: string) {
  const index = new ImageIndex(db);
  const report = await reconcileLibrary({ index, db, libraryRoot: root, log: quietLog().log });
  return { index, report };
}

function expectAllRecovered(index: ImageIndex, prompts: Map<string, string>): void {
  expect(index.count({})).toBe(prompts.size);
  for (const [id, prompt] of prompts) {
    expect(index.get(id)).toMatchObject({ origin: 'generated', params: { prompt, model: 'nano-banana-2' } });
  }
}

describe('openLibraryDatabase', () => {
  it('starts a fresh database when there is none', async () => {
    const dir = await tempDir();
    const { log } = quietLog();
    const opened = track(openLibraryDatabase(join(dir, 'data', 'library.db'), log, { now: () => NOW }));
    expect(opened.recovered).toBe('fresh');
    expect(opened.backupPath).toBeNull();
    expect(new ImageIndex(opened.db).count({})).toBe(0);
    expect(await readdir(join(dir, 'data'))).toContain('library.db');
  });

  it('opens a healthy database as it is', async () => {
    const { file, prompts } = await indexedLibrary(3);
    const opened = track(openLibraryDatabase(file, quietLog().log, { now: () => NOW }));
    expect(opened.recovered).toBe('ok');
    expectAllRecovered(new ImageIndex(opened.db), prompts);
    expect((await readdir(dirname(file))).some((name) => name.includes('corrupt'))).toBe(false);
  });

  it('rebuilds a deleted database from the image files', async () => {
    const { root, file, prompts } = await indexedLibrary(6);
    await rm(file);
    // A journal left behind must not be replayed into the new database.
    await writeFile(`${file}-wal`, 'stale journal');
    const opened = track(openLibraryDatabase(file, quietLog().log, { now: () => NOW }));
    expect(opened.recovered).toBe('fresh');
    expect(await readFile(`${file}.corrupt-${STAMP}-wal`, 'utf8')).toBe('stale journal');

    const { index, report } = await rebuild(opened.db, root);
    expect(report.recovered).toBe(6);
    expect(report.errors).toEqual([]);
    expectAllRecovered(index, prompts);
  });

  it('sets a database overwritten with garbage aside (with its journal) and rebuilds it', async () => {
    const { root, file, prompts } = await indexedLibrary(5);
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    await writeFile(file, garbage);
    await writeFile(`${file}-wal`, 'wal');
    await writeFile(`${file}-shm`, 'shm');
    const { sink, log } = quietLog();

    const opened = track(openLibraryDatabase(file, log, { now: () => NOW }));
    expect(opened.recovered).toBe('rebuilt-corrupt');
    expect(opened.backupPath).toBe(`${file}.corrupt-${STAMP}`);
    expect(await readFile(`${file}.corrupt-${STAMP}`)).toEqual(garbage);
    expect(await readFile(`${file}.corrupt-${STAMP}-wal`, 'utf8')).toBe('wal');
    expect(await readFile(`${file}.corrupt-${STAMP}-shm`, 'utf8')).toBe('shm');
    expect(sink.entries.some((entry) => entry.level === 'error' && /damaged/.test(entry.message))).toBe(true);

    const { index, report } = await rebuild(opened.db, root);
    expect(report.recovered).toBe(5);
    expectAllRecovered(index, prompts);
  });

  it('notices damage inside a database whose header is intact', async () => {
    const { file } = await indexedLibrary(2);
    // Pad the database with many rows so it has pages worth damaging, then damage them.
    const db = openDatabase(file);
    const index = new ImageIndex(db);
    for (let n = 0; n < 400; n += 1) {
      index.insert({
        id: `${n}`.padStart(32, 'f'),
        jobId: null,
        kieTaskId: null,
        resultIndex: 0,
        params: {
          model: 'nano-banana-2',
          prompt: `row ${n} `.repeat(20),
          aspectRatio: '1:1',
          outputFormat: 'png',
          resolution: null,
        },
        relPath: `pad/${n}.png`,
        width: 1,
        height: 1,
        format: 'png',
        bytes: 1,
        demo: false,
        createdAt: NOW.toISOString(),
      });
    }
    db.close();
    const handle = await open(file, 'r+');
    const { size } = await handle.stat();
    for (let page = 2; page * 4096 < size; page += 3) {
      await handle.write(Buffer.alloc(4096, 0xa5), 0, 4096, page * 4096);
    }
    await handle.close();

    const opened = track(openLibraryDatabase(file, quietLog().log, { now: () => NOW }));
    expect(opened.recovered).toBe('rebuilt-corrupt');
    expect(new ImageIndex(opened.db).count({})).toBe(0);
  });

  it('can leave the full check to starts after an unclean exit, still catching a file that is not a database', async () => {
    const cheap = { now: () => NOW, check: 'after-unclean-exit' } as const;
    const healthy = await indexedLibrary(2);
    expect(track(openLibraryDatabase(healthy.file, quietLog().log, cheap)).recovered).toBe('ok');

    const garbage = await indexedLibrary(1);
    await writeFile(garbage.file, Buffer.alloc(8192, 1));
    expect(track(openLibraryDatabase(garbage.file, quietLog().log, cheap)).recovered).toBe('rebuilt-corrupt');
  });

  it('never overwrites an earlier backup', async () => {
    const { file } = await indexedLibrary(1);
    await writeFile(file, 'garbage one');
    track(openLibraryDatabase(file, quietLog().log, { now: () => NOW })).db.close();
    await writeFile(file, 'garbage two');
    const second = track(openLibraryDatabase(file, quietLog().log, { now: () => NOW }));
    expect(second.backupPath).toBe(`${file}.corrupt-${STAMP}-2`);
    expect(await readFile(`${file}.corrupt-${STAMP}`, 'utf8')).toBe('garbage one');
    expect(await readFile(`${file}.corrupt-${STAMP}-2`, 'utf8')).toBe('garbage two');
  });

  it('throws, and moves nothing, when the file cannot be opened for reasons other than damage', async () => {
    const dir = await tempDir();
    const file = join(dir, 'library.db');
    await mkdir(file);
    expect(() => openLibraryDatabase(file, quietLog().log, { now: () => NOW })).toThrow();
    expect(await readdir(dir)).toEqual(['library.db']);
  });
});
