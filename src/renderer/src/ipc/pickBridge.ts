import type { Bridge } from '@shared/ipc/bridge';
import { createWsBridge, type ConnectionState } from './wsBridge';

export interface PickedBridge {
  bridge: Bridge;
  /** Tries the WebSocket again now; nothing to do for Electron's preload bridge. */
  reconnectNow(): void;
}

/** Electron's preload bridge when present; otherwise the web harness's WebSocket on this origin. */
export function pickBridge(onState: (state: ConnectionState) => void): PickedBridge {
  if (window.bridge) {
    onState('connected');
    return { bridge: window.bridge, reconnectNow: () => undefined };
  }
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const bridge = createWsBridge(
    `${scheme}//${window.location.host}/bridge?token=${encodeURIComponent(token)}`,
    { onState },
  );
  return { bridge, reconnectNow: () => bridge.reconnectNow() };
}

/** True in the desktop app (the preload's bridge), false in the web harness. */
export function runsInElectron(): boolean {
  return window.bridge !== undefined;
}
