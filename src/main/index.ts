import { join } from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import type { Core } from '@core/core';
import { createCore } from '@core/createCore';
import type { Logger } from '@core/log/logger';
import { registerIpc } from './ipc';
import { createElectronPorts } from './ports';
import {
  APP_ORIGIN,
  APP_START_URL,
  originOf,
  registerPrivilegedSchemes,
  registerProtocols,
} from './protocols';
import { OpenedPathsInbox, pathsFromArgv } from './openWith';
import { createMainWindow } from './window';

const DISPOSE_TIMEOUT_MS = 5_000;

const isDev = !app.isPackaged;
// Only an unpackaged build may be pointed at a dev server; a packaged app ignores the variable.
const devServerUrl = isDev ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const devServerOrigin = devServerUrl ? originOf(devServerUrl) : null;
const allowedOrigins = devServerOrigin ? [APP_ORIGIN, devServerOrigin] : [APP_ORIGIN];
const outDir = join(import.meta.dirname, '..');

registerPrivilegedSchemes();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: Core | null = null;
  let log: Logger | null = null;
  let flushLogs: () => Promise<void> = async () => undefined;
  let mainWindow: BrowserWindow | null = null;
  let quitting = false;
  // Files the OS hands the app ("Open with"): held until core is up, then staged as references.
  const openedPaths = new OpenedPathsInbox();
  const argvContext = (cwd: string) => ({ platform: process.platform, appPathArgument: isDev, cwd });
  openedPaths.add(pathsFromArgv(process.argv, argvContext(process.cwd())));

  const openWindow = (): void => {
    if (!log) return;
    mainWindow = createMainWindow({
      preloadPath: join(outDir, 'preload', 'index.cjs'),
      startUrl: devServerUrl ?? APP_START_URL,
      allowedOrigins,
      // Dev tools run any script with the app's rights: only ever in an unpackaged build, where
      // they are on anyway, so a release ignores `--enable-devtools` from any shortcut or script.
      devTools: isDev,
      // Linux shows the window's own icon; it is packed next to out/ (electron-builder.yml).
      iconPath: process.platform === 'linux' ? join(app.getAppPath(), 'resources', 'icon.png') : undefined,
      log: log.child('window'),
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };

  const bringForward = (): void => {
    if (!mainWindow) return openWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  };

  app.on('second-instance', (_event, argv, workingDirectory) => {
    openedPaths.add(pathsFromArgv(argv, argvContext(workingDirectory)));
    bringForward();
  });

  // macOS hands files over as events, the first ones before `ready`; preventDefault tells the OS
  // the app took them.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openedPaths.add([path]);
    if (core) bringForward();
  });

  app
    .whenReady()
    .then(async () => {
      const ports = createElectronPorts({ isDev });
      log = ports.log.child('app');
      flushLogs = () => ports.logSink.flush();
      core = await createCore(ports);
      registerProtocols({ core, rendererDir: join(outDir, 'renderer'), log });
      registerIpc({ core, log, allowedOrigins });
      const started = core;
      const openLog = log.child('open-with');
      openedPaths.connect((paths) => {
        started.openFiles(paths).catch((error: unknown) => openLog.error('Opening files failed', { error }));
      });
      openWindow();
    })
    .catch(async (error: unknown) => {
      log?.error('Start-up failed', { error });
      await flushLogs();
      dialog.showErrorBox(
        'Banana Studio could not start',
        error instanceof Error ? error.message : String(error),
      );
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  // Core has jobs, a database and a local server to close; quitting waits for that, but not forever.
  app.on('before-quit', (event) => {
    if (!core) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    const disposing = core
      .dispose()
      .catch((error: unknown) => log?.error('Shutdown failed', { error }))
      .then(() => flushLogs());
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, DISPOSE_TIMEOUT_MS));
    void Promise.race([disposing, timeout]).finally(() => {
      core = null;
      app.quit();
    });
  });
}
