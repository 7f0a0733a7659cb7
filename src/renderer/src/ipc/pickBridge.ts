import type { Bridge } from '@shared/ipc/bridge';
import { createWsBridge, type ConnectionState } from './wsBridge';

/** Electron's preload bridge when present; otherwise the web harness's WebSocket on this origin. */
export function pickBridge(onState: (state: ConnectionState) => void): Bridge {
  if (window.bridge) {
    onState('open');
    return window.bridge;
  }
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWsBridge(`${scheme}//${window.location.host}/bridge?token=${encodeURIComponent(token)}`, {
    onState,
  });
}

/** True in the desktop app (the preload's bridge), false in the web harness. */
export function runsInElectron(): boolean {
  return window.bridge !== undefined;
}
