import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import type { Logger } from '@core/log/logger';
import { crashPolicy } from './crashPolicy';
import { originOf } from './protocols';

export interface MainWindowDeps {
  preloadPath: string;
  /** The dev server URL in development, app://bundle/index.html otherwise. */
  startUrl: string;
  /** Origins the window may show: app://bundle, plus the dev server's in development. */
  allowedOrigins: readonly string[];
  devTools: boolean;
  /** The window icon (Linux; macOS and Windows show the executable's own). */
  iconPath?: string;
  log: Logger;
  /** Milliseconds now; a parameter so tests can move time. */
  now?: () => number;
}

/** The static page shown when the renderer keeps crashing, next to index.html in the bundle. */
export const CRASH_PAGE = 'crashed.html';

const EXTERNAL_HOSTS = new Set(['kie.ai', 'docs.kie.ai']);
// Copying a prompt and a full-screen viewer; camera, location, notifications etc. are never asked.
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write', 'fullscreen']);

/** Links the app may hand to the system browser: https on KIE's own sites, nothing else. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      EXTERNAL_HOSTS.has(parsed.hostname) &&
      parsed.port === '' &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

export function createMainWindow(deps: MainWindowDeps): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Banana Studio',
    width: 1280,
    height: 840,
    minWidth: 900,
    minHeight: 600,
    backgroundColor: '#16161a',
    show: false,
    autoHideMenuBar: true,
    ...(deps.iconPath ? { icon: deps.iconPath } : {}),
    webPreferences: {
      preload: deps.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: deps.devTools,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  limitPermissions(window.webContents.session);
  guardNavigation(window.webContents, deps);
  recoverFromCrashes(window, deps);
  void window.loadURL(deps.startUrl).catch((error: unknown) => {
    deps.log.error('Could not load the app page', { url: deps.startUrl, error });
  });
  return window;
}

/**
 * A crashed renderer is reloaded once; crashing again within a minute shows the static crash
 * page (Reload, Copy diagnostics) rather than a reload loop.
 */
export function recoverFromCrashes(
  window: BrowserWindow,
  deps: Pick<MainWindowDeps, 'startUrl' | 'log' | 'now'>,
): void {
  const now = deps.now ?? Date.now;
  const crashes: number[] = [];
  window.webContents.on('render-process-gone', (_event, details) => {
    const { reason, exitCode } = details;
    if (reason === 'clean-exit' || window.isDestroyed()) {
      deps.log.info('Renderer process ended', { reason, exitCode });
      return;
    }
    const time = now();
    const decision = crashPolicy(crashes, time);
    crashes.push(time);
    deps.log.error('Renderer process gone', { reason, exitCode, decision });
    const url = decision === 'reload' ? deps.startUrl : new URL(CRASH_PAGE, deps.startUrl).toString();
    void window.loadURL(url).catch((error: unknown) => {
      deps.log.error('Could not load a page after a renderer crash', { url, error });
    });
  });
}

export function limitPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
}

/**
 * The window only ever shows our own page. Anything else is refused; KIE links open in the
 * system browser, where the user's own session and protections apply.
 */
export function guardNavigation(
  contents: WebContents,
  deps: Pick<MainWindowDeps, 'allowedOrigins' | 'log'>,
): void {
  contents.on('will-navigate', (event, url) => {
    const origin = originOf(url);
    if (origin !== null && deps.allowedOrigins.includes(origin)) return;
    event.preventDefault();
    openIfAllowed(url, deps.log);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url, deps.log);
    return { action: 'deny' };
  });
}

function openIfAllowed(url: string, log: Logger): void {
  if (!isAllowedExternalUrl(url)) {
    log.warn('Blocked navigation', { url });
    return;
  }
  shell
    .openExternal(url)
    .catch((error: unknown) => log.warn('Could not open an external link', { url, error }));
}
