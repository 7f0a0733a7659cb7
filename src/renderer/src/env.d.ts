/// <reference types="vite/client" />
import type { Bridge } from '@shared/ipc/bridge';

declare global {
  interface Window {
    /** Present in Electron (the preload); absent in the web harness. */
    bridge?: Bridge;
  }
}

export {};
