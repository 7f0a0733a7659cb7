import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as ProtocolsModule from './protocols';

type Listener = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  const state = {
    calls: [] as string[],
    listeners: new Map<string, Listener>(),
    isPackaged: true,
    lock: true,
    ready: null as (() => void) | null,
    windows: [] as unknown[],
    core: {
      dispose: vi.fn(async () => undefined),
      openFiles: vi.fn(async () => ({ references: [], problems: [], madeHere: [] })),
    },
    createCore: vi.fn(),
    window: null as null | Record<string, ReturnType<typeof vi.fn>>,
  };
  return state;
});

vi.mock('electron', () => ({
  app: {
    get isPackaged() {
      return h.isPackaged;
    },
    requestSingleInstanceLock: () => h.lock,
    getAppPath: () => '/opt/Banana Studio/resources/app.asar',
    quit: vi.fn(() => h.calls.push('quit')),
    exit: vi.fn((code: number) => h.calls.push(`exit ${code}`)),
    on: (name: string, listener: Listener) => h.listeners.set(name, listener),
    whenReady: () =>
      new Promise<void>((resolve) => {
        h.ready = resolve;
      }),
  },
  BrowserWindow: { getAllWindows: () => h.windows },
  dialog: { showErrorBox: vi.fn((title: string) => h.calls.push(`error box: ${title}`)) },
}));

vi.mock('@core/createCore', () => ({ createCore: h.createCore }));

vi.mock('./ports', () => ({
  createElectronPorts: vi.fn(() => {
    h.calls.push('ports');
    const log = { child: () => log, error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() };
    return { log, logSink: { flush: async () => undefined } };
  }),
}));

vi.mock('./protocols', async (importOriginal) => ({
  ...(await importOriginal<typeof ProtocolsModule>()),
  registerPrivilegedSchemes: vi.fn(() => h.calls.push('schemes')),
  registerProtocols: vi.fn(() => h.calls.push('protocols')),
}));

vi.mock('./ipc', () => ({ registerIpc: vi.fn(() => h.calls.push('ipc')) }));

vi.mock('./window', () => ({
  createMainWindow: vi.fn(() => {
    h.calls.push('window');
    h.window = {
      on: vi.fn(),
      isMinimized: vi.fn(() => true),
      restore: vi.fn(),
      focus: vi.fn(),
    };
    return h.window;
  }),
}));

async function boot(options: { packaged?: boolean; lock?: boolean; devUrl?: string; argv?: string[] } = {}) {
  vi.resetModules();
  h.calls.length = 0;
  h.listeners.clear();
  h.isPackaged = options.packaged ?? true;
  h.lock = options.lock ?? true;
  h.ready = null;
  h.window = null;
  if (options.devUrl) process.env['ELECTRON_RENDERER_URL'] = options.devUrl;
  const argv = process.argv;
  process.argv = options.argv ?? ['/opt/Banana Studio/banana-studio'];
  try {
    await import('./index');
  } finally {
    process.argv = argv;
  }
  const mocks = {
    window: vi.mocked((await import('./window')).createMainWindow),
    ipc: vi.mocked((await import('./ipc')).registerIpc),
    protocols: vi.mocked((await import('./protocols')).registerProtocols),
  };
  const ready = async () => {
    h.ready?.();
    await vi.waitFor(() => expect(h.calls.at(-1)).toMatch(/window|exit/));
  };
  return { ...mocks, ready };
}

beforeEach(() => {
  h.createCore.mockReset();
  h.createCore.mockImplementation(async () => {
    h.calls.push('core');
    return h.core;
  });
  h.core.dispose.mockClear();
  h.core.openFiles.mockClear();
});

afterEach(() => {
  delete process.env['ELECTRON_RENDERER_URL'];
});

describe('main entry', () => {
  it('registers schemes before ready, then builds core before serving anything', async () => {
    const { ready } = await boot();
    expect(h.calls).toEqual(['schemes']);
    await ready();
    expect(h.calls).toEqual(['schemes', 'ports', 'core', 'protocols', 'ipc', 'window']);
  });

  it('quits at once when another instance holds the lock', async () => {
    await boot({ lock: false });
    expect(h.calls).toEqual(['schemes', 'quit']);
    expect(h.listeners.size).toBe(0);
  });

  it('loads app://bundle and trusts only that origin when packaged, even with a dev URL set', async () => {
    const { ready, window, ipc } = await boot({ packaged: true, devUrl: 'http://localhost:5173' });
    await ready();
    expect(window.mock.calls[0]?.[0]).toMatchObject({
      startUrl: 'app://bundle/index.html',
      allowedOrigins: ['app://bundle'],
      devTools: false,
    });
    expect(window.mock.calls[0]?.[0].preloadPath).toMatch(/[/\\]preload[/\\]index\.cjs$/);
    expect(ipc.mock.calls[0]?.[0].allowedOrigins).toEqual(['app://bundle']);
    // The window icon on Linux comes from inside the package (electron-builder.yml packs it).
    expect(window.mock.calls[0]?.[0].iconPath).toBe(
      process.platform === 'linux' ? '/opt/Banana Studio/resources/app.asar/resources/icon.png' : undefined,
    );
  });

  it('ignores --enable-devtools in a packaged build: a release never opens dev tools', async () => {
    const argv = process.argv;
    process.argv = ['/opt/Banana Studio/banana-studio', '--enable-devtools'];
    try {
      const { ready, window } = await boot({ packaged: true, argv: process.argv });
      await ready();
      expect(window.mock.calls[0]?.[0]).toMatchObject({ devTools: false });
    } finally {
      process.argv = argv;
    }
  });

  it('loads the dev server and trusts its origin in development', async () => {
    const { ready, window, ipc, protocols } = await boot({
      packaged: false,
      devUrl: 'http://localhost:5173/',
    });
    await ready();
    expect(window.mock.calls[0]?.[0]).toMatchObject({
      startUrl: 'http://localhost:5173/',
      allowedOrigins: ['app://bundle', 'http://localhost:5173'],
      devTools: true,
    });
    expect(ipc.mock.calls[0]?.[0].allowedOrigins).toEqual(['app://bundle', 'http://localhost:5173']);
    expect(protocols.mock.calls[0]?.[0].rendererDir).toMatch(/[/\\]renderer$/);
  });

  it('focuses the existing window when a second instance starts, and opens the files it was given', async () => {
    const { ready } = await boot();
    await ready();
    h.listeners.get('second-instance')!(
      {},
      ['/opt/Banana Studio/banana-studio', '--no-sandbox', '/home/ana/dog.jpg', 'cat.png'],
      '/home/ana/Pictures',
    );
    expect(h.window!['restore']).toHaveBeenCalled();
    expect(h.window!['focus']).toHaveBeenCalled();
    expect(h.core.openFiles.mock.calls).toEqual([[['/home/ana/dog.jpg', '/home/ana/Pictures/cat.png']]]);
    // A second instance without files only brings the window forward.
    h.listeners.get('second-instance')!({}, ['/opt/Banana Studio/banana-studio'], '/');
    expect(h.core.openFiles).toHaveBeenCalledTimes(1);
    expect(h.window!['focus']).toHaveBeenCalledTimes(2);
  });

  it('hands the files on the launch command line to core once it is up (Windows/Linux)', async () => {
    const { ready } = await boot({
      argv: ['/opt/Banana Studio/banana-studio', '--no-sandbox', '/home/ana/cat.png', 'file:///tmp/dog.jpg'],
    });
    expect(h.core.openFiles).not.toHaveBeenCalled();
    await ready();
    expect(h.core.openFiles.mock.calls).toEqual([[['/home/ana/cat.png', '/tmp/dog.jpg']]]);
  });

  it('in development, skips the app path Electron was started with', async () => {
    const { ready } = await boot({ packaged: false, argv: ['/repo/electron', '.', '/tmp/cat.png'] });
    await ready();
    expect(h.core.openFiles.mock.calls).toEqual([[['/tmp/cat.png']]]);
  });

  it('asks core for nothing when launched without files', async () => {
    const { ready } = await boot({ argv: ['/opt/Banana Studio/banana-studio', '--enable-devtools'] });
    await ready();
    expect(h.core.openFiles).not.toHaveBeenCalled();
  });

  it('queues macOS open-file events that come before ready, then delivers them in order', async () => {
    const { ready, window } = await boot();
    const early = { preventDefault: vi.fn() };
    h.listeners.get('open-file')!(early, '/Users/ana/cat.png');
    h.listeners.get('open-file')!({ preventDefault: vi.fn() }, '/Users/ana/dog.jpg');
    h.listeners.get('second-instance')!({}, ['/opt/banana-studio', '/Users/ana/bird.webp'], '/');
    expect(early.preventDefault).toHaveBeenCalled();
    expect(h.core.openFiles).not.toHaveBeenCalled();
    expect(window).not.toHaveBeenCalled();

    await ready();
    expect(h.core.openFiles.mock.calls).toEqual([
      [['/Users/ana/cat.png', '/Users/ana/dog.jpg', '/Users/ana/bird.webp']],
    ]);
    expect(window).toHaveBeenCalledTimes(1);

    // Once running, a file opened from Finder goes straight to core and brings the window forward.
    const later = { preventDefault: vi.fn() };
    h.listeners.get('open-file')!(later, '/Users/ana/fish.png');
    expect(later.preventDefault).toHaveBeenCalled();
    expect(h.core.openFiles.mock.calls.at(-1)).toEqual([['/Users/ana/fish.png']]);
    expect(h.window!['restore']).toHaveBeenCalled();
    expect(h.window!['focus']).toHaveBeenCalled();
  });

  it('re-creates the window on activate when none is open', async () => {
    const { ready, window } = await boot();
    await ready();
    h.windows = [{}];
    h.listeners.get('activate')!();
    expect(window).toHaveBeenCalledTimes(1);
    h.windows = [];
    h.listeners.get('activate')!();
    expect(window).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['linux', true],
    ['win32', true],
    ['darwin', false],
  ])('on %s, closing the last window quits: %s', async (platform, quits) => {
    const original = process.platform;
    Object.defineProperty(process, 'platform', { value: platform });
    try {
      await boot();
      h.listeners.get('window-all-closed')!();
      expect(h.calls.includes('quit')).toBe(quits);
    } finally {
      Object.defineProperty(process, 'platform', { value: original });
    }
  });

  it('disposes core before quitting, once', async () => {
    const { ready } = await boot();
    await ready();
    const first = { preventDefault: vi.fn() };
    h.listeners.get('before-quit')!(first);
    expect(first.preventDefault).toHaveBeenCalled();
    const impatient = { preventDefault: vi.fn() };
    h.listeners.get('before-quit')!(impatient);
    expect(impatient.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(h.calls.at(-1)).toBe('quit'));
    expect(h.core.dispose).toHaveBeenCalledTimes(1);

    const final = { preventDefault: vi.fn() };
    h.listeners.get('before-quit')!(final);
    expect(final.preventDefault).not.toHaveBeenCalled();
  });

  it('shows an error and exits when start-up fails', async () => {
    h.createCore.mockRejectedValueOnce(new Error('database is locked'));
    const { ready } = await boot();
    await ready();
    expect(h.calls).toEqual(['schemes', 'ports', 'error box: Banana Studio could not start', 'exit 1']);
  });
});
