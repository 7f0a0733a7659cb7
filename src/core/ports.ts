import type { UpdateCheck } from '@shared/ipc/contract';
import type { GalleryAsset } from './gallery/resolve';
import type { Logger, MemorySink, Redactor } from './log/logger';
import type { TunnelSession } from './tunnel/manager';

/**
 * What the host (Electron main, or the Node web harness) provides to core. Everything with a
 * side effect outside core's own files sits behind one of these, so tests swap them freely.
 */

/** Settings persistence: electron-store in main, `conf` in the harness, a Map in tests. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** Secrets: safeStorage ciphertext in main, memory/env in the harness. Never logged. */
export interface SecretStore {
  get(name: SecretName): Promise<string | null>;
  set(name: SecretName, value: string): Promise<void>;
  delete(name: SecretName): Promise<void>;
}
export type SecretName = 'kieApiKey' | 'ngrokAuthtoken' | 'webhookHmacKey';

export interface Paths {
  /** App data folder: library.db, logs/, staging/. */
  dataDir: string;
  /** Default library folder (~/Pictures/Banana Studio, or a temp dir in the harness). */
  defaultLibraryDir: string;
}

export interface Shell {
  notify(title: string, body: string): void;
  /** Moves a file to the OS trash, where the user can still get it back. */
  trashItem(path: string): Promise<void>;
  /** Shows the file selected in the system file manager. */
  revealInFolder(path: string): void;
  /** Opens the file with the system's default app. */
  openPath(path: string): Promise<void>;
  copyImageToClipboard(path: string): Promise<void>;
  /** Starts a native drag of these files out of the app window (Electron's startDrag). */
  startDrag(paths: readonly string[]): void;
  /** Asks the user for a folder; null when they cancel. */
  pickFolder(title: string): Promise<string | null>;
}

/**
 * The URL the renderer loads a library image (`image`), its thumbnail (`thumb`) or a staged
 * reference image (`ref`) from: `gallery://<asset>/<id>` in Electron,
 * `http://127.0.0.1:…/gallery/<asset>/<id>` in the harness.
 */
export type ImageUrlMaker = (asset: GalleryAsset, id: string) => string;

/** The host's updater (Electron: electron-updater); absent where there is nothing to update. */
export interface Updater {
  check(): Promise<UpdateCheck>;
}

export interface Clock {
  now(): Date;
}

export interface HostInfo {
  host: 'electron' | 'web';
  appVersion: string;
  platform: string;
  /** The OS/browser language (e.g. zh-CN), for texts core shows itself. */
  locale?: string;
}

export interface CorePorts {
  /** The one logger, shared by host and core (the host picks its sinks). */
  log: Logger;
  /** The latest log entries (already redacted), for the in-app log view. */
  logHistory?: MemorySink;
  /** The logger's redactor, so core can register secrets (API key) as they are entered. */
  redactor?: Redactor;
  store: KeyValueStore;
  secrets: SecretStore;
  paths: Paths;
  shell: Shell;
  imageUrl: ImageUrlMaker;
  updater?: Updater;
  clock: Clock;
  hostInfo: HostInfo;
  /**
   * Base URLs of a running KIE simulator for Demo mode. Null: demo mode starts one lazily
   * inside core.
   */
  demoKie?: { apiBaseUrl: string; uploadBaseUrl: string; apiKey: string } | null;
  /** Replaces the real ngrok SDK session (tests: ngrok's cloud is out of reach here). */
  tunnelSession?: TunnelSession;
}

export const systemClock: Clock = { now: () => new Date() };
