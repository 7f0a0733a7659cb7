import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Core } from '@core/core';
import type { Logger } from '@core/log/logger';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '@shared/ipc/channels';
import { fail, type Result } from '@shared/ipc/result';
import { originOf } from './protocols';

export interface SenderFrame {
  url: string;
  isMainFrame: boolean;
}

/**
 * Only our own page may drive core: a subframe or anything loaded from another origin (an
 * injected iframe, a navigated-away document) is refused even though it shares the preload.
 */
export function isTrustedSender(frame: SenderFrame | null, allowedOrigins: readonly string[]): boolean {
  if (!frame?.isMainFrame) return false;
  const origin = originOf(frame.url);
  return origin !== null && allowedOrigins.includes(origin);
}

function senderFrameOf(event: IpcMainInvokeEvent): SenderFrame | null {
  const frame = event.senderFrame;
  if (!frame) return null;
  return { url: frame.url, isMainFrame: frame.parent === null && frame === event.sender.mainFrame };
}

/** The one IPC transport: request/response over invoke, events pushed to our live windows. */
export function registerIpc(deps: {
  core: Core;
  log: Logger;
  allowedOrigins: readonly string[];
}): () => void {
  const log = deps.log.child('ipc');

  ipcMain.handle(
    IPC_REQUEST_CHANNEL,
    async (event, route: unknown, input: unknown): Promise<Result<unknown>> => {
      const frame = senderFrameOf(event);
      if (!isTrustedSender(frame, deps.allowedOrigins)) {
        log.warn('Refused an IPC request from an untrusted sender', {
          route: typeof route === 'string' ? route : null,
          url: frame?.url ?? null,
          mainFrame: frame?.isMainFrame ?? null,
        });
        return fail({
          code: 'UNAUTHORIZED',
          message: 'This request did not come from the Banana Studio window.',
        });
      }
      if (typeof route !== 'string') {
        return fail({ code: 'VALIDATION', message: 'The route must be a string.' });
      }
      return deps.core.dispatch(route, input, { transport: 'ipc' });
    },
  );

  const unsubscribe = deps.core.onEvent((event) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (window.isDestroyed() || window.webContents.isDestroyed()) continue;
      const page = window.webContents.mainFrame;
      // Pushes carry job and gallery data, so they go only where requests would be accepted.
      if (!isTrustedSender({ url: page.url, isMainFrame: true }, deps.allowedOrigins)) continue;
      window.webContents.send(IPC_EVENT_CHANNEL, event.name, event.payload);
    }
  });

  return () => {
    ipcMain.removeHandler(IPC_REQUEST_CHANNEL);
    unsubscribe();
  };
}
