import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { UpdateCheck } from '@shared/ipc/contract';
import type { Logger } from '@core/log/logger';
import type { Updater } from '@core/ports';

/** What we use of electron-updater's autoUpdater (so tests can stand in for it). */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<{ updateInfo: { version: string } } | null>;
}

/**
 * Update checks through electron-updater, only where they can work: a packaged app whose
 * installer was built with a publish target (electron-builder then writes `app-update.yml`
 * into resources). Nothing is downloaded without the user: a check only reports.
 */
export function createUpdater(deps: {
  autoUpdater: () => Promise<AutoUpdaterLike>;
  currentVersion: string;
  isPackaged: boolean;
  resourcesPath: string;
  log: Logger;
}): Updater {
  // resourcesPath only exists inside Electron; asked at check time, not at start-up.
  const feedConfigured = (): boolean =>
    deps.isPackaged &&
    typeof deps.resourcesPath === 'string' &&
    existsSync(join(deps.resourcesPath, 'app-update.yml'));
  const result = (
    state: UpdateCheck['state'],
    latest: string | null,
    message: string | null,
  ): UpdateCheck => ({
    state,
    current: deps.currentVersion,
    latest,
    message,
  });
  return {
    async check() {
      if (!feedConfigured()) return result('disabled', null, null);
      try {
        const updater = await deps.autoUpdater();
        updater.autoDownload = false;
        updater.autoInstallOnAppQuit = false;
        const found = await updater.checkForUpdates();
        const latest = found?.updateInfo.version ?? null;
        return latest && latest !== deps.currentVersion
          ? result('available', latest, null)
          : result('up-to-date', latest ?? deps.currentVersion, null);
      } catch (error) {
        deps.log.warn('Update check failed', { error });
        return result('error', null, error instanceof Error ? error.message : String(error));
      }
    },
  };
}
