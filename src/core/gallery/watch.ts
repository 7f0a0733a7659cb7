import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative } from 'node:path';
import type { Logger } from '../log/logger';
import { isIgnoredLibraryPath } from './reconcile';

export interface LibraryWatcher {
  close(): void;
}

export interface WatchLibraryOptions {
  /** Quiet time after the last change before the batch is delivered. Default 500 ms. */
  debounceMs?: number;
  /** A steady stream of changes is still delivered at least this often. Default 10 × debounceMs. */
  maxWaitMs?: number;
  /** Pause before trying again when the folder is missing or the watcher failed. Default 5 s. */
  retryMs?: number;
  /** How often the folder is checked to still be there (a drive unplugged tells no watcher). Default 30 s. */
  checkMs?: number;
  log: Logger;
  /**
   * Changes may have gone unseen: the watcher started late (the folder appeared after start-up)
   * or again after a failure, or the platform did not say which file changed. Run a full
   * reconcile.
   */
  onResync?: () => void;
}

/**
 * Watches the library folder (recursively: FSEvents, ReadDirectoryChangesW, and on Linux
 * Node's inotify tree) and delivers the library-relative paths (POSIX separators) that changed,
 * debounced: a burst of changes becomes one call. Files and folders that reconcile ignores
 * (dot entries such as `.trash`, temp files) are left out. A missing folder or a watcher error
 * is logged and retried later; nothing is thrown. It never keeps the process alive.
 */
export function watchLibrary(
  root: string,
  onChange: (relPaths: string[]) => void,
  options: WatchLibraryOptions,
): LibraryWatcher {
  const debounceMs = options.debounceMs ?? 500;
  const maxWaitMs = options.maxWaitMs ?? debounceMs * 10;
  const retryMs = options.retryMs ?? 5_000;
  const checkMs = options.checkMs ?? 30_000;
  const { log } = options;
  const pending = new Set<string>();
  let watcher: FSWatcher | null = null;
  let flushTimer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let checkTimer: NodeJS.Timeout | null = null;
  let firstPendingAt = 0;
  let failing = false;
  let closed = false;

  const flush = (): void => {
    flushTimer = null;
    if (closed || pending.size === 0) return;
    const relPaths = [...pending].sort();
    pending.clear();
    try {
      onChange(relPaths);
    } catch (error) {
      log.warn('A library change handler failed', { error });
    }
  };

  const schedule = (): void => {
    const now = Date.now();
    if (flushTimer === null) firstPendingAt = now;
    else clearTimeout(flushTimer);
    flushTimer = setTimeout(flush, Math.max(0, Math.min(debounceMs, firstPendingAt + maxWaitMs - now)));
  };

  const resync = (): void => {
    try {
      options.onResync?.();
    } catch (error) {
      log.warn('A library resync handler failed', { error });
    }
  };

  const fail = (error: unknown): void => {
    watcher?.close();
    watcher = null;
    if (checkTimer !== null) clearInterval(checkTimer);
    checkTimer = null;
    if (closed || retryTimer !== null) return;
    // Said once per outage: a library on an unplugged drive would otherwise log every few seconds.
    if (!failing) log.warn('Cannot watch the library folder; will try again', { root, error });
    failing = true;
    retryTimer = setTimeout(() => void start(), retryMs);
    retryTimer.unref();
  };

  const onEvent = (filename: string | null): void => {
    if (closed) return;
    if (filename === null) {
      resync();
      return;
    }
    const relPath = filename.replaceAll('\\', '/');
    if (relPath === '') {
      // The folder itself changed: if it is gone, so is every watch under it.
      void checkRoot();
      return;
    }
    if (isIgnoredLibraryPath(relPath)) return;
    pending.add(relPath);
    schedule();
  };

  /**
   * A symlink loop inside the library (a link to itself, two links to each other) makes Node's
   * recursive watcher report ELOOP when it meets it, at start and at every change next to it.
   * It goes on watching, but drops the other changes of the folder it was reading; tearing it
   * down would only meet the same loop on every retry, so the library would never be watched
   * again. So: say it once, keep watching, and have that folder looked at again (the whole
   * library, at most once per maxWaitMs, when the loop is at its top).
   */
  let loopReported = false;
  let lastLoopResync = 0;
  const onWatchError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'ELOOP') {
      fail(error);
      return;
    }
    if (!loopReported) log.warn('The library folder holds a symlink loop; it is skipped', { error });
    loopReported = true;
    const folder = typeof error.path === 'string' ? relative(root, dirname(error.path)) : null;
    if (folder === null || folder.startsWith('..') || isAbsolute(folder)) return;
    if (folder !== '') {
      const relPath = folder.replaceAll('\\', '/');
      if (isIgnoredLibraryPath(relPath)) return;
      pending.add(relPath);
      schedule();
    } else if (Date.now() - lastLoopResync >= maxWaitMs) {
      lastLoopResync = Date.now();
      resync();
    }
  };

  /** Whether the folder is there; when it is not, the watcher is torn down and retried. */
  async function checkRoot(): Promise<boolean> {
    const error = await stat(root).then(
      (info) => (info.isDirectory() ? null : new Error('The library path is not a folder')),
      (failure: unknown) => failure,
    );
    if (error !== null) fail(error);
    return error === null;
  }

  async function start(): Promise<void> {
    retryTimer = null;
    // Node's recursive watcher on Linux accepts a folder that does not exist and never reports.
    if (closed || !(await checkRoot()) || closed) return;
    try {
      watcher = watch(root, { recursive: true, persistent: false, encoding: 'utf8' }, (_event, filename) =>
        onEvent(filename),
      );
      watcher.on('error', onWatchError);
    } catch (error) {
      fail(error);
      return;
    }
    checkTimer = setInterval(() => void checkRoot(), checkMs);
    checkTimer.unref();
    if (failing) {
      failing = false;
      log.info('Watching the library folder again', { root });
      resync();
    }
  }

  void start();
  return {
    close() {
      closed = true;
      watcher?.close();
      watcher = null;
      if (flushTimer !== null) clearTimeout(flushTimer);
      if (retryTimer !== null) clearTimeout(retryTimer);
      if (checkTimer !== null) clearInterval(checkTimer);
      pending.clear();
    },
  };
}
