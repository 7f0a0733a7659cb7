import { join } from 'node:path';
import type { AnyEvent } from '@shared/ipc/contract';
import type { LibraryStatus, ReconcileReport } from '@shared/ipc/galleryRoutes';
import type { Database } from '../db/database';
import type { Logger } from '../log/logger';
import type { ImageUrlMaker, Shell } from '../ports';
import { ImageIndex } from './index';
import { GalleryLibrary } from './library';
import { moveLibrary } from './moveLibrary';
import { createLibraryReconciler, type ReconcileReport as FullReport } from './reconcile';
import { Thumbnailer } from './thumbs/thumbnailer';
import { watchLibrary, type LibraryWatcher } from './watch';

export interface OpenLibraryDeps {
  db: Database;
  dataDir: string;
  libraryRoot: () => string;
  imageUrl: ImageUrlMaker;
  shell: Shell;
  appVersion: string;
  log: Logger;
  emit(event: AnyEvent): void;
  /** Records the new library folder in the settings. */
  setLibraryRoot(path: string): void;
  /** Set when library.db had to be started afresh: the first scan rebuilds it from the files. */
  rebuilt: 'missing' | 'corrupt' | null;
  /** Delay before the background start-up scan (after first paint). */
  startupScanDelayMs?: number;
  /** Debounce of file-system changes before a targeted rescan. */
  watchDebounceMs?: number;
}

export interface OpenedLibrary {
  library: GalleryLibrary;
  status(): LibraryStatus;
  rescan(): Promise<ReconcileReport>;
  /** Moves the library folder's files to `to` (see moveLibrary), switches to it and rescans. */
  move(to: string): Promise<LibraryStatus>;
  /** A new image arrived: the counts the UI shows change (pushed once per burst). */
  noteAdded(): void;
  dispose(): Promise<void>;
}

/** Changes a scan can make that the renderer must reload for. */
const changedSomething = (report: FullReport): boolean =>
  report.imported + report.recovered + report.moved + report.missing + report.reappeared + report.modified >
  0;

/**
 * The gallery with everything that keeps it true to the disk: thumbnails made in workers, a
 * background scan after start-up (which also rebuilds a lost index from the files), a watcher
 * for changes made outside the app, "Recently deleted" expiry, and the status the UI shows.
 */
export function openLibrary(deps: OpenLibraryDeps): OpenedLibrary {
  const log = deps.log;
  const index = new ImageIndex(deps.db);
  const thumbs = new Thumbnailer({
    thumbsDir: join(deps.dataDir, 'thumbs'),
    sourceRoots: () => [deps.libraryRoot()],
  });
  const library = new GalleryLibrary({
    index,
    libraryRoot: deps.libraryRoot,
    imageUrl: deps.imageUrl,
    appVersion: deps.appVersion,
    log,
    shell: deps.shell,
    thumbs,
  });
  const reconciler = createLibraryReconciler(() => ({
    index,
    db: deps.db,
    libraryRoot: deps.libraryRoot(),
    thumbs,
    log: log.child('reconcile'),
  }));
  let scanning = false;
  let lastScan: LibraryStatus['lastScan'] = null;
  let rebuilt: LibraryStatus['rebuilt'] = null;
  let watcher: LibraryWatcher | null = null;
  let disposed = false;

  const status = (): LibraryStatus => ({
    root: deps.libraryRoot(),
    ...library.status(),
    scanning,
    lastScan,
    rebuilt,
  });
  const publish = (): void => deps.emit({ name: 'library.changed', payload: status() });
  const toWire = (report: FullReport): ReconcileReport => ({
    scanned: report.scanned,
    imported: report.imported,
    recovered: report.recovered,
    moved: report.moved,
    missing: report.missing,
    reappeared: report.reappeared,
    errors: report.errors.slice(0, 100),
    durationMs: report.durationMs,
  });
  const afterScan = (report: FullReport): ReconcileReport => {
    const wire = toWire(report);
    lastScan = { ...wire, finishedAt: new Date().toISOString() };
    if (changedSomething(report)) {
      deps.emit({ name: 'gallery.changed', payload: { images: [], removedIds: [], reset: true } });
    }
    return wire;
  };

  const rescan = async (): Promise<ReconcileReport> => {
    scanning = true;
    publish();
    try {
      return afterScan(await reconciler.full());
    } finally {
      scanning = false;
      publish();
    }
  };

  const startWatching = (): void => {
    watcher = watchLibrary(
      deps.libraryRoot(),
      (relPaths: string[]) => {
        reconciler
          .paths(relPaths)
          .then((report) => {
            afterScan(report);
            publish();
          })
          .catch((error: unknown) => log.warn('Targeted rescan failed', { error }));
      },
      {
        debounceMs: deps.watchDebounceMs ?? 1_000,
        log: log.child('watch'),
        onResync: () => void rescan().catch((error: unknown) => log.warn('Rescan failed', { error })),
      },
    );
  };

  const startup = setTimeout(() => {
    void (async () => {
      try {
        const purged = await library.purgeExpired();
        if (purged > 0)
          log.info('Recently deleted items older than 30 days went to the OS trash', { purged });
        const report = await rescan();
        const recovered = report.recovered + report.imported;
        // A first start has no index either: only say "rebuilt" when there was something to recover.
        if (deps.rebuilt === 'corrupt' || (deps.rebuilt === 'missing' && recovered > 0)) {
          rebuilt = { reason: deps.rebuilt, recovered };
          log.warn('The library index was rebuilt from the files', rebuilt);
          publish();
        }
      } catch (error) {
        log.error('Start-up library scan failed', { error });
      }
      if (!disposed) startWatching();
    })();
  }, deps.startupScanDelayMs ?? 1_500);

  const move = async (to: string): Promise<LibraryStatus> => {
    const from = deps.libraryRoot();
    // No watcher events or scans against a folder that is being emptied.
    watcher?.close();
    watcher = null;
    await reconciler.idle();
    scanning = true;
    publish();
    try {
      const report = await moveLibrary(from, to);
      deps.setLibraryRoot(to);
      log.info('Library folder moved', { from, to, ...report });
    } finally {
      scanning = false;
      if (!disposed) startWatching();
    }
    await rescan();
    return status();
  };

  let addedTimer: NodeJS.Timeout | null = null;
  const noteAdded = (): void => {
    addedTimer ??= setTimeout(() => {
      addedTimer = null;
      if (!disposed) publish();
    }, 300);
  };

  return {
    library,
    status,
    rescan,
    move,
    noteAdded,
    async dispose() {
      disposed = true;
      clearTimeout(startup);
      if (addedTimer) clearTimeout(addedTimer);
      watcher?.close();
      await reconciler.idle();
      await thumbs.dispose();
    },
  };
}
