import { BrowserWindow, clipboard, ClipboardItem, dialog, nativeImage, Notification, shell } from 'electron';
import type { Shell } from '@core/ports';

/** Brings the app's window to the front, restoring it when minimised (a notification was clicked). */
function bringWindowForward(): boolean {
  const window = BrowserWindow.getAllWindows()[0];
  if (!window) return false;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  return true;
}

/** Core's desktop actions, done by Electron. Paths come from core, already checked to be ours. */
export function electronShell(): Shell {
  // Held until clicked or closed: a notification that is garbage-collected no longer reports a click.
  const shown = new Set<Notification>();
  return {
    notify(title, body, options = {}) {
      if (!Notification.isSupported()) return;
      const icon = options.imagePng ? nativeImage.createFromBuffer(options.imagePng) : null;
      const notification = new Notification({ title, body, ...(icon && !icon.isEmpty() ? { icon } : {}) });
      shown.add(notification);
      notification.on('click', () => {
        shown.delete(notification);
        // Without a window (closed on macOS) there is nothing to show the image in.
        if (bringWindowForward()) options.onClick?.();
      });
      notification.on('close', () => shown.delete(notification));
      notification.show();
    },
    trashItem: (path) => shell.trashItem(path),
    revealInFolder: (path) => shell.showItemInFolder(path),
    async openPath(path) {
      // openPath reports failure as a message, not an exception.
      const problem = await shell.openPath(path);
      if (problem) throw new Error(problem);
    },
    async copyImageToClipboard(path) {
      const image = nativeImage.createFromPath(path);
      if (image.isEmpty()) throw new Error('The image could not be read for the clipboard.');
      // PNG is what every app pastes; the file may be JPEG or WebP.
      const png = new Blob([new Uint8Array(image.toPNG())], { type: 'image/png' });
      await clipboard.write([new ClipboardItem({ 'image/png': png })]);
    },
    startDrag(paths) {
      const [first] = paths;
      const window = BrowserWindow.getFocusedWindow();
      if (!first || !window) return;
      // The drag image must not be empty on macOS; a small version of the first file serves.
      const icon = nativeImage.createFromPath(first).resize({ width: 64 });
      window.webContents.startDrag({ file: first, files: [...paths], icon });
    },
    async pickFolder(title) {
      const window = BrowserWindow.getFocusedWindow();
      const options = {
        title,
        properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
      };
      const result = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
