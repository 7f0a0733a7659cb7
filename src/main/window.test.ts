import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, MemorySink } from '@core/log/logger';
import type { MainWindowDeps } from './window';

type Listener = (...args: unknown[]) => void;

const electron = vi.hoisted(() => {
  class FakeWebContents {
    readonly listeners = new Map<string, Listener>();
    readonly session = {
      request: null as
        ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
      check: null as ((contents: unknown, permission: string) => boolean) | null,
      setPermissionRequestHandler(handler: NonNullable<typeof this.request>) {
        this.request = handler;
      },
      setPermissionCheckHandler(handler: NonNullable<typeof this.check>) {
        this.check = handler;
      },
    };
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    on(name: string, listener: Listener) {
      this.listeners.set(name, listener);
      return this;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
  }
  class FakeBrowserWindow {
    static created: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    readonly once = vi.fn((name: string, listener: Listener) => this.onceListeners.set(name, listener));
    readonly onceListeners = new Map<string, Listener>();
    readonly show = vi.fn();
    readonly loadURL = vi.fn(async (_url: string) => undefined);
    destroyed = false;
    readonly isDestroyed = () => this.destroyed;
    constructor(readonly options: Record<string, unknown>) {
      FakeBrowserWindow.created.push(this);
    }
  }
  return { FakeBrowserWindow, openExternal: vi.fn(async () => undefined) };
});

vi.mock('electron', () => ({
  BrowserWindow: electron.FakeBrowserWindow,
  shell: { openExternal: electron.openExternal },
  protocol: {},
}));

const { createMainWindow, isAllowedExternalUrl } = await import('./window');

const logs = new MemorySink();
const baseDeps = {
  preloadPath: '/opt/banana/out/preload/index.cjs',
  startUrl: 'app://bundle/index.html',
  allowedOrigins: ['app://bundle'],
  devTools: false,
  log: createLogger({ sinks: [logs] }),
};

function open(deps: Partial<MainWindowDeps> = {}) {
  createMainWindow({ ...baseDeps, ...deps });
  return electron.FakeBrowserWindow.created.at(-1)!;
}

beforeEach(() => {
  electron.FakeBrowserWindow.created.length = 0;
  electron.openExternal.mockClear();
  logs.entries.length = 0;
});

describe('createMainWindow', () => {
  it('locks the renderer down', () => {
    const { options } = open();
    expect(options['webPreferences']).toEqual({
      preload: '/opt/banana/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false,
      spellcheck: false,
    });
  });

  it('enables devtools only when asked', () => {
    const { options } = open({ devTools: true });
    expect((options['webPreferences'] as Record<string, unknown>)['devTools']).toBe(true);
  });

  it('uses the icon it is given, and none otherwise', () => {
    expect(open({ iconPath: '/opt/banana/resources/icon.png' }).options['icon']).toBe(
      '/opt/banana/resources/icon.png',
    );
    expect(open().options).not.toHaveProperty('icon');
  });

  it('has a usable size and stays hidden until the first paint', () => {
    const window = open();
    expect(window.options).toMatchObject({ show: false, minWidth: 900, minHeight: 600 });
    expect(window.options['backgroundColor']).toMatch(/^#[0-9a-f]{6}$/);
    expect(window.show).not.toHaveBeenCalled();
    window.onceListeners.get('ready-to-show')!();
    expect(window.show).toHaveBeenCalledTimes(1);
  });

  it('loads the start URL it is given (app:// or the dev server), never file://', () => {
    expect(open().loadURL).toHaveBeenCalledWith('app://bundle/index.html');
    expect(open({ startUrl: 'http://localhost:5173' }).loadURL).toHaveBeenCalledWith('http://localhost:5173');
  });
});

describe('permissions', () => {
  it.each([
    ['clipboard-sanitized-write', true],
    ['fullscreen', true],
    ['media', false],
    ['geolocation', false],
    ['notifications', false],
    ['openExternal', false],
    ['clipboard-read', false],
    ['hid', false],
  ])('%s granted: %s', (permission, granted) => {
    const { session } = open().webContents;
    const callback = vi.fn();
    session.request!(null, permission, callback);
    expect(callback).toHaveBeenCalledWith(granted);
    expect(session.check!(null, permission)).toBe(granted);
  });
});

describe('navigation guard', () => {
  const navigate = (window: ReturnType<typeof open>, url: string) => {
    const event = { preventDefault: vi.fn() };
    window.webContents.listeners.get('will-navigate')!(event, url);
    return event.preventDefault.mock.calls.length > 0;
  };

  it('allows navigation within the app origin', () => {
    const window = open();
    expect(navigate(window, 'app://bundle/index.html')).toBe(false);
    expect(navigate(window, 'app://bundle/index.html#/settings')).toBe(false);
  });

  it('allows the dev server only when it is an allowed origin', () => {
    expect(navigate(open(), 'http://localhost:5173/')).toBe(true);
    expect(
      navigate(open({ allowedOrigins: ['app://bundle', 'http://localhost:5173'] }), 'http://localhost:5173/'),
    ).toBe(false);
  });

  it.each([
    'https://evil.example/',
    'file:///etc/passwd',
    'app://other/',
    'javascript:alert(1)',
    'gallery://image/x',
  ])('prevents %s and does not open it', (url) => {
    const window = open();
    expect(navigate(window, url)).toBe(true);
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it('prevents an in-window KIE link and opens it in the browser instead', () => {
    const window = open();
    expect(navigate(window, 'https://kie.ai/pricing')).toBe(true);
    expect(electron.openExternal).toHaveBeenCalledWith('https://kie.ai/pricing');
  });
});

describe('window-open handler', () => {
  it.each([
    ['https://kie.ai/api-key', true],
    ['https://docs.kie.ai/nano-banana', true],
    ['http://kie.ai/', false],
    ['https://evil.kie.ai.example/', false],
    ['https://kie.ai.evil.example/', false],
    ['https://notkie.ai/', false],
    ['https://kie.ai:8443/', false],
    ['https://user:pass@kie.ai/', false],
    ['file:///etc/passwd', false],
    ['app://bundle/index.html', false],
    ['javascript:alert(1)', false],
  ])('denies %s and opens externally: %s', (url, external) => {
    const window = open();
    expect(window.webContents.openHandler!({ url })).toEqual({ action: 'deny' });
    expect(electron.openExternal).toHaveBeenCalledTimes(external ? 1 : 0);
    expect(isAllowedExternalUrl(url)).toBe(external);
  });
});

describe('renderer crash recovery', () => {
  let clock = 0;
  const crash = (window: ReturnType<typeof open>, reason = 'crashed', atMs = clock) => {
    clock = atMs;
    window.webContents.listeners.get('render-process-gone')!({}, { reason, exitCode: 11 });
  };
  const loaded = (window: ReturnType<typeof open>) => window.loadURL.mock.calls.map(([url]) => url);

  beforeEach(() => {
    clock = 1_000_000;
  });

  it('reloads the app after a first crash', () => {
    const window = open({ now: () => clock });
    crash(window);
    expect(loaded(window)).toEqual(['app://bundle/index.html', 'app://bundle/index.html']);
    expect(
      logs.entries.some((entry) => entry.level === 'error' && entry.message === 'Renderer process gone'),
    ).toBe(true);
  });

  it('shows the crash page on a second crash within a minute, from the same origin', () => {
    const window = open({ now: () => clock });
    crash(window, 'crashed', 1_000_000);
    crash(window, 'oom', 1_030_000);
    expect(loaded(window)).toEqual([
      'app://bundle/index.html',
      'app://bundle/index.html',
      'app://bundle/crashed.html',
    ]);
  });

  it('reloads again when the crashes are more than a minute apart', () => {
    const window = open({ now: () => clock });
    crash(window, 'crashed', 1_000_000);
    crash(window, 'crashed', 1_120_000);
    expect(loaded(window).at(-1)).toBe('app://bundle/index.html');
  });

  it('uses the dev server for the crash page in development', () => {
    const window = open({ startUrl: 'http://localhost:5173', now: () => clock });
    crash(window, 'crashed', 1_000_000);
    crash(window, 'crashed', 1_001_000);
    expect(loaded(window).at(-1)).toBe('http://localhost:5173/crashed.html');
  });

  it('does nothing for a clean exit or a destroyed window', () => {
    const window = open({ now: () => clock });
    crash(window, 'clean-exit');
    window.destroyed = true;
    crash(window, 'crashed');
    expect(loaded(window)).toEqual(['app://bundle/index.html']);
  });
});
