import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  calls: [] as unknown[][],
  focused: null as null | { webContents: { startDrag: (item: unknown) => void } },
  openPathResult: '',
  dialogResult: { canceled: false, filePaths: ['/home/me/Exports'] },
  emptyImage: false,
}));

vi.mock('electron', () => {
  const image = {
    isEmpty: () => electron.emptyImage,
    toPNG: () => Buffer.from('png'),
    resize: (size: unknown) => ({ resized: size }),
  };
  return {
    BrowserWindow: { getFocusedWindow: () => electron.focused },
    clipboard: { write: async (items: unknown[]) => void electron.calls.push(['clipboard', items]) },
    ClipboardItem: class {
      constructor(readonly items: Record<string, Blob>) {}
    },
    dialog: {
      showOpenDialog: async (...args: unknown[]) => {
        electron.calls.push(['dialog', ...args]);
        return electron.dialogResult;
      },
    },
    nativeImage: { createFromPath: (path: string) => ({ ...image, path }) },
    Notification: class {
      static isSupported = () => true;
      constructor(private readonly options: unknown) {}
      show() {
        electron.calls.push(['notify', this.options]);
      }
    },
    shell: {
      trashItem: async (path: string) => void electron.calls.push(['trash', path]),
      showItemInFolder: (path: string) => void electron.calls.push(['reveal', path]),
      openPath: async (path: string) => {
        electron.calls.push(['open', path]);
        return electron.openPathResult;
      },
    },
  };
});

const { electronShell } = await import('./shell');

describe('electronShell', () => {
  beforeEach(() => {
    electron.calls.length = 0;
    electron.focused = null;
    electron.openPathResult = '';
    electron.emptyImage = false;
  });

  it('sends files to the OS trash and reveals them', async () => {
    const shell = electronShell();
    await shell.trashItem('/lib/a.png');
    shell.revealInFolder('/lib/b.png');
    expect(electron.calls).toEqual([
      ['trash', '/lib/a.png'],
      ['reveal', '/lib/b.png'],
    ]);
  });

  it('turns openPath’s error string into a rejection', async () => {
    electron.openPathResult = 'No application is associated';
    await expect(electronShell().openPath('/lib/a.png')).rejects.toThrow('No application');
  });

  it('copies a readable image to the clipboard and refuses an unreadable one', async () => {
    await electronShell().copyImageToClipboard('/lib/a.png');
    expect(electron.calls[0]?.[0]).toBe('clipboard');
    electron.emptyImage = true;
    await expect(electronShell().copyImageToClipboard('/lib/x.png')).rejects.toThrow('could not be read');
  });

  it('starts a native drag of every file from the focused window, with an icon', () => {
    const startDrag = vi.fn();
    electron.focused = { webContents: { startDrag } };
    electronShell().startDrag(['/lib/a.png', '/lib/b.png']);
    expect(startDrag).toHaveBeenCalledWith({
      file: '/lib/a.png',
      files: ['/lib/a.png', '/lib/b.png'],
      icon: { resized: { width: 64 } },
    });
  });

  it('does nothing for a drag without a window or files', () => {
    expect(() => electronShell().startDrag(['/lib/a.png'])).not.toThrow();
    electron.focused = { webContents: { startDrag: vi.fn() } };
    electronShell().startDrag([]);
    expect(electron.focused.webContents.startDrag).not.toHaveBeenCalled();
  });

  it('picks a folder, or null when cancelled', async () => {
    expect(await electronShell().pickFolder('Export to')).toBe('/home/me/Exports');
    electron.dialogResult = { canceled: true, filePaths: [] };
    expect(await electronShell().pickFolder('Export to')).toBeNull();
  });
});
