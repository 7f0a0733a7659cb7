import type { Bridge } from '@shared/ipc/bridge';

declare global {
  interface Window {
    /**
     * Exposed by the preload in Electron. Absent in a plain browser (the web harness), which is
     * why the renderer picks its Bridge in one place rather than reading this everywhere.
     */
    bridge: Bridge;
  }
}

export {};
