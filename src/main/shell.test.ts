import { beforeEach, describe, expect, it, vi } from 'vitest';

interface FakeWindow {
  minimized: boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

const electron = vi.hoisted(() => ({
  calls: [] as unknown[][],
  focused: null as null | { webContents: { startDrag: (item: unknown) => void } },
  windows: [] as FakeWindow[],
  notificationsSupported: true,
  notifications: [] as { options: Record<string, unknown>; emit(event: string): void }[],
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
    BrowserWindow: { getFocusedWindow: () => electron.focused, getAllWindows: () => electron.windows },
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
    nativeImage: {
      createFromPath: (path: string) => ({ ...image, path }),
      createFromBuffer: (buffer: Buffer) => ({ ...image, isEmpty: () => buffer.length === 0, buffer }),
    },
    Notification: class {
      static isSupported = () => electron.notificationsSupported;
      private readonly listeners = new Map<string, () => void>();
      constructor(readonly options: Record<string, unknown>) {
        electron.notifications.push(this);
      }
      on(event: string, listener: () => void) {
        this.listeners.set(event, listener);
        return this;
      }
      emit(event: string) {
        this.listeners.get(event)?.();
      }
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
    electron.windows = [];
    electron.notificationsSupported = true;
    electron.notifications.length = 0;
  });

  function fakeWindow(minimized: boolean): FakeWindow {
    return {
      minimized,
      isMinimized: () => minimized,
      restore: () => void electron.calls.push(['restore']),
      show: () => void electron.calls.push(['show']),
      focus: () => void electron.calls.push(['focus']),
    };
  }

  it('shows a notification with the picture it was given, and without one when it is unreadable', () => {
    electronShell().notify('Image ready', 'a lighthouse', { imagePng: Buffer.from('png bytes') });
    electronShell().notify('Image ready', 'a fox', { imagePng: Buffer.alloc(0) });
    electronShell().notify('Image failed', 'a cat');
    const shown = electron.calls.filter((call) => call[0] === 'notify').map((call) => call[1]);
    expect(shown).toMatchObject([
      { title: 'Image ready', body: 'a lighthouse', icon: { buffer: Buffer.from('png bytes') } },
      { title: 'Image ready', body: 'a fox' },
      { title: 'Image failed', body: 'a cat' },
    ]);
    expect(shown[1]).not.toHaveProperty('icon');
    expect(shown[2]).not.toHaveProperty('icon');
  });

  it('a click brings the minimised window forward, then runs the action', () => {
    electron.windows = [fakeWindow(true)];
    const onClick = vi.fn(() => void electron.calls.push(['action']));
    electronShell().notify('Image ready', 'a lighthouse', { onClick });
    electron.notifications[0]?.emit('click');
    expect(onClick).toHaveBeenCalledTimes(1);
    expect(electron.calls.filter((call) => call[0] !== 'notify')).toEqual([
      ['restore'],
      ['show'],
      ['focus'],
      ['action'],
    ]);
  });

  it('a click with no window left does nothing; unsupported notifications are not shown', () => {
    const onClick = vi.fn();
    electronShell().notify('Image ready', 'a lighthouse', { onClick });
    electron.notifications[0]?.emit('click');
    expect(onClick).not.toHaveBeenCalled();
    electron.notificationsSupported = false;
    electronShell().notify('Image ready', 'again', { onClick });
    expect(electron.notifications).toHaveLength(1);
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
