import { mkdir, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Shell } from '../ports';

/** A notification as the OS would have shown it; `click()` plays the user clicking it. */
export interface RecordedNotification {
  title: string;
  body: string;
  /** The PNG picture it carried, if any. */
  imagePng: Buffer | null;
  click(): void;
}

export interface ShellAction {
  action: 'reveal' | 'open' | 'copyImage' | 'startDrag' | 'trash' | 'pickFolder';
  paths: string[];
}

/**
 * The shell for hosts without a desktop (the web harness, tests): notifications and desktop
 * actions are recorded so tests can look (and click a notification); "OS trash" is a folder, so a
 * purge stays recoverable; the folder picker answers with an `exports` folder in the data folder.
 */
export function recordingShell(
  dataDir: string,
): Shell & { notifications: RecordedNotification[]; actions: ShellAction[] } {
  const notifications: RecordedNotification[] = [];
  const actions: ShellAction[] = [];
  return {
    notifications,
    actions,
    notify: (title, body, options = {}) =>
      void notifications.push({
        title,
        body,
        imagePng: options.imagePng ?? null,
        click: () => options.onClick?.(),
      }),
    async trashItem(path) {
      const trash = join(dataDir, 'os-trash');
      await mkdir(trash, { recursive: true });
      await rename(path, join(trash, `${Date.now()}-${basename(path)}`));
      actions.push({ action: 'trash', paths: [path] });
    },
    revealInFolder: (path) => void actions.push({ action: 'reveal', paths: [path] }),
    openPath: async (path) => void actions.push({ action: 'open', paths: [path] }),
    copyImageToClipboard: async (path) => void actions.push({ action: 'copyImage', paths: [path] }),
    startDrag: (paths) => void actions.push({ action: 'startDrag', paths: [...paths] }),
    async pickFolder() {
      const folder = join(dataDir, 'exports');
      await mkdir(folder, { recursive: true });
      actions.push({ action: 'pickFolder', paths: [folder] });
      return folder;
    },
  };
}
