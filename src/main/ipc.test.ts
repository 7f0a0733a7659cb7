import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '@core/core';
import { createLogger, MemorySink } from '@core/log/logger';
import type { AnyEvent } from '@shared/ipc/contract';

type InvokeHandler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

const electron = vi.hoisted(() => ({
  handlers: new Map<string, InvokeHandler>(),
  windows: [] as unknown[],
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: InvokeHandler) => electron.handlers.set(channel, handler),
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
  BrowserWindow: { getAllWindows: () => electron.windows },
}));

const { isTrustedSender, registerIpc } = await import('./ipc');

const APP = ['app://bundle'];
const DEV = ['app://bundle', 'http://localhost:5173'];

describe('isTrustedSender', () => {
  it.each([
    ['app page, main frame', { url: 'app://bundle/index.html', isMainFrame: true }, APP, true],
    ['app page with a hash', { url: 'app://bundle/index.html#/gallery', isMainFrame: true }, APP, true],
    ['app page, subframe', { url: 'app://bundle/index.html', isMainFrame: false }, APP, false],
    ['another app host', { url: 'app://evil/index.html', isMainFrame: true }, APP, false],
    ['a look-alike host', { url: 'app://bundle.evil/index.html', isMainFrame: true }, APP, false],
    ['file://', { url: 'file:///opt/banana/out/renderer/index.html', isMainFrame: true }, APP, false],
    ['https://evil', { url: 'https://evil.example/', isMainFrame: true }, APP, false],
    ['https://evil subframe', { url: 'https://evil.example/', isMainFrame: false }, DEV, false],
    ['dev server when allowed', { url: 'http://localhost:5173/', isMainFrame: true }, DEV, true],
    ['dev server when packaged', { url: 'http://localhost:5173/', isMainFrame: true }, APP, false],
    ['dev server, other port', { url: 'http://localhost:5174/', isMainFrame: true }, DEV, false],
    ['dev server, subframe', { url: 'http://localhost:5173/', isMainFrame: false }, DEV, false],
    ['gallery page', { url: 'gallery://image/x', isMainFrame: true }, APP, false],
    ['about:blank', { url: 'about:blank', isMainFrame: true }, APP, false],
    ['empty url', { url: '', isMainFrame: true }, APP, false],
    ['no frame (navigated or destroyed)', null, APP, false],
  ] as const)('%s → %s', (_name, frame, origins, expected) => {
    expect(isTrustedSender(frame, origins)).toBe(expected);
  });
});

describe('registerIpc', () => {
  const mainFrame = { url: 'app://bundle/index.html', parent: null };
  const sender = { mainFrame };
  const logs = new MemorySink();
  let listener: ((event: AnyEvent) => void) | null = null;
  const core = {
    dispatch: vi.fn(async () => ({ ok: true, value: 'pong' })),
    onEvent: vi.fn((l: (event: AnyEvent) => void) => {
      listener = l;
      return () => {
        listener = null;
      };
    }),
  } as unknown as Core;
  let dispose: () => void;

  const invoke = (event: unknown, route: unknown, input: unknown) =>
    electron.handlers.get('banana:request')!(event, route, input);

  beforeEach(() => {
    electron.handlers.clear();
    vi.mocked(core.dispatch).mockClear();
    logs.entries.length = 0;
    dispose = registerIpc({ core, log: createLogger({ sinks: [logs] }), allowedOrigins: APP });
  });

  it('dispatches a request from the app main frame, tagged as ipc', async () => {
    const result = await invoke({ sender, senderFrame: mainFrame }, 'app.info', { a: 1 });
    expect(result).toEqual({ ok: true, value: 'pong' });
    expect(core.dispatch).toHaveBeenCalledWith('app.info', { a: 1 }, { transport: 'ipc' });
  });

  it('refuses a subframe with UNAUTHORIZED and logs it', async () => {
    const subframe = { url: 'app://bundle/index.html', parent: mainFrame };
    const result = await invoke({ sender, senderFrame: subframe }, 'settings.get', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(core.dispatch).not.toHaveBeenCalled();
    expect(logs.entries.some((e) => e.level === 'warn' && e.fields?.['route'] === 'settings.get')).toBe(true);
  });

  it('refuses a top-level frame that is not the window main frame', async () => {
    const other = { url: 'app://bundle/index.html', parent: null };
    const result = await invoke({ sender, senderFrame: other }, 'app.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses a main frame on another origin and a missing frame', async () => {
    const evil = { url: 'https://evil.example/', parent: null };
    expect(await invoke({ sender: { mainFrame: evil }, senderFrame: evil }, 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    expect(await invoke({ sender, senderFrame: null }, 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    expect(core.dispatch).not.toHaveBeenCalled();
  });

  it('rejects a non-string route without reaching core', async () => {
    const result = await invoke({ sender, senderFrame: mainFrame }, { route: 'x' }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(core.dispatch).not.toHaveBeenCalled();
  });

  it('pushes events to live windows showing the app, and stops after dispose', () => {
    const window = (url: string, destroyed = false) => ({
      isDestroyed: () => destroyed,
      webContents: { isDestroyed: () => false, mainFrame: { url }, send: vi.fn() },
    });
    const live = window('app://bundle/index.html');
    const dead = window('app://bundle/index.html', true);
    const elsewhere = window('https://evil.example/');
    electron.windows.splice(0, electron.windows.length, live, dead, elsewhere);

    listener?.({ name: 'credits.changed', payload: { balance: 3 } } as unknown as AnyEvent);
    expect(live.webContents.send).toHaveBeenCalledWith('banana:event', 'credits.changed', { balance: 3 });
    expect(dead.webContents.send).not.toHaveBeenCalled();
    expect(elsewhere.webContents.send).not.toHaveBeenCalled();

    dispose();
    expect(listener).toBeNull();
    expect(electron.handlers.has('banana:request')).toBe(false);
  });
});
