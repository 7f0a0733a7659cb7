import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { createLogger, MemorySink } from '../log/logger';
import { useTempDirs } from '../testing/tempDir';
import { ImageIndex } from './index';
import { createLibraryReconciler, reconcileLibrary, type ReconcileReport } from './reconcile';
import { watchLibrary, type LibraryWatcher } from './watch';

const tempDir = useTempDirs();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const DEBOUNCE_MS = 80;
/** Long enough for Node's recursive watcher to have set up its watches (Linux walks the tree). */
const SETTLE_MS = 150;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function put(root: string, relPath: string, bytes: Buffer | string): Promise<void> {
  await mkdir(dirname(join(root, relPath)), { recursive: true });
  await writeFile(join(root, relPath), bytes);
}

function image(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: { r: seed, g: 0, b: 0 } } })
    .png()
    .toBuffer();
}

function start(root: string, options: { retryMs?: number; onResync?: () => void } = {}) {
  const calls: string[][] = [];
  const sink = new MemorySink();
  const watcher = watchLibrary(root, (relPaths) => calls.push(relPaths), {
    debounceMs: DEBOUNCE_MS,
    log: createLogger({ sinks: [sink] }),
    ...options,
  });
  cleanups.push(() => watcher.close());
  return { calls, sink, watcher };
}

describe('watchLibrary', () => {
  it('delivers the paths created and deleted in a burst as one debounced call', async () => {
    const root = await tempDir();
    await put(root, '2026/03/old.png', 'old');
    const { calls } = start(root);
    await sleep(SETTLE_MS);

    await put(root, '2026/03/new.png', 'new');
    await rm(join(root, '2026/03/old.png'));
    await put(root, '2026/04/other.jpg', 'x');
    const first = await until(() => calls[0], 'the first change batch');
    await sleep(DEBOUNCE_MS * 3);

    expect(calls).toHaveLength(1);
    expect(first).toEqual(
      expect.arrayContaining(['2026/03/new.png', '2026/03/old.png', '2026/04/other.jpg']),
    );
    expect(first).toEqual([...first].sort());
  });

  it('leaves out temp files, the trash and dot-folders', async () => {
    const root = await tempDir();
    const { calls } = start(root);
    await sleep(SETTLE_MS);

    await put(root, '.trash/abc.png', 'x');
    await put(root, '2026/.cache/a.png', 'x');
    await put(root, '2026/03/.new.png.0123456789ab.part', 'x');
    await put(root, '2026/03/real.png', 'x');
    const delivered = await until(() => calls[0], 'a change batch');
    await sleep(DEBOUNCE_MS * 2);

    const all = calls.flat();
    expect(delivered).toContain('2026/03/real.png');
    expect(
      all.filter((path) => path.includes('.trash') || path.includes('.cache') || path.endsWith('.part')),
    ).toEqual([]);
  });

  it('waits for a library folder that does not exist yet, then asks for a full rescan', async () => {
    const parent = await tempDir();
    const root = join(parent, 'Banana Studio');
    let resyncs = 0;
    const { calls, sink } = start(root, { retryMs: 50, onResync: () => (resyncs += 1) });
    await until(() => sink.entries.find((entry) => entry.level === 'warn'), 'a warning');
    await sleep(120);

    await mkdir(root);
    await until(() => (resyncs > 0 ? resyncs : undefined), 'the watcher to start');
    await sleep(SETTLE_MS);
    await put(root, 'a.png', 'x');
    expect(await until(() => calls[0], 'a change batch')).toContain('a.png');
    // One warning for the whole outage, however many retries it took.
    expect(sink.entries.filter((entry) => entry.level === 'warn')).toHaveLength(1);
  });

  it('survives the library folder being deleted and recreated', async () => {
    const parent = await tempDir();
    const root = join(parent, 'lib');
    await mkdir(root);
    let resyncs = 0;
    const { calls } = start(root, { retryMs: 50, onResync: () => (resyncs += 1) });
    await sleep(SETTLE_MS);

    await rm(root, { recursive: true });
    await sleep(100);
    await mkdir(root);
    await until(() => (resyncs > 0 ? resyncs : undefined), 'the watcher to come back');
    await sleep(SETTLE_MS);
    const before = calls.length;
    await put(root, 'back.png', 'x');
    await until(() => (calls.slice(before).flat().includes('back.png') ? true : undefined), 'the new file');
  });

  it('delivers nothing after close', async () => {
    const root = await tempDir();
    const { calls, watcher } = start(root);
    await sleep(SETTLE_MS);
    await put(root, 'a.png', 'x');
    watcher.close();
    await sleep(DEBOUNCE_MS * 3);
    await put(root, 'b.png', 'x');
    await sleep(DEBOUNCE_MS * 3);
    expect(calls).toEqual([]);
  });
});

describe('watcher + targeted reconcile', () => {
  let db: Database | null = null;
  afterEach(() => {
    db?.close();
    db = null;
  });

  it('marks a file deleted outside the app missing and imports one added, without a full scan', async () => {
    const dir = await tempDir();
    const root = join(dir, 'library');
    await put(root, 'kept.png', await image(1));
    await put(root, 'doomed.png', await image(2));
    db = openDatabase(join(dir, 'library.db'));
    const index = new ImageIndex(db);
    const deps = { index, db, libraryRoot: root, log: createLogger({ sinks: [] }) };
    await reconcileLibrary(deps);
    expect(index.count({})).toBe(2);

    const reconciler = createLibraryReconciler(() => deps);
    const reports: ReconcileReport[] = [];
    let watcher: LibraryWatcher | null = watchLibrary(
      root,
      (relPaths) => {
        void reconciler.paths(relPaths).then((report) => reports.push(report));
      },
      { debounceMs: DEBOUNCE_MS, log: deps.log },
    );
    cleanups.push(() => watcher?.close());
    await sleep(SETTLE_MS);

    await rm(join(root, 'doomed.png'));
    await put(root, 'later/arrived.png', await image(3));
    await until(
      () =>
        index.byRelPath('later/arrived.png') !== null && index.count({ status: 'missing' }) === 1
          ? true
          : undefined,
      'the targeted reconcile',
    );
    watcher.close();
    watcher = null;
    await reconciler.idle();

    expect(index.byRelPath('doomed.png')?.status).toBe('missing');
    expect(index.byRelPath('kept.png')?.status).toBe('ok');
    expect(index.byRelPath('later/arrived.png')?.origin).toBe('imported');
    // Only the changed paths were looked at.
    expect(reports.reduce((sum, report) => sum + report.scanned, 0)).toBeLessThanOrEqual(2);
  });
});
