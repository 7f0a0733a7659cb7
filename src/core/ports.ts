import type {
  SecretName,
  SecretStorageStatus,
  StoredSecretName,
  WeakSecretStorage,
} from '@shared/domain/settings';
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

/**
 * Secrets: core's secret store over the OS encryption port in main (settings/secretStore.ts),
 * memory in the default harness and tests. Never logged. `get` never throws for a secret that
 * cannot be read: it returns null and `status` lists it as unreadable.
 */
export interface SecretStore {
  get(name: StoredSecretName): Promise<string | null>;
  set(name: StoredSecretName, value: string): Promise<void>;
  delete(name: StoredSecretName): Promise<void>;
  /** How secrets are kept now, and which stored ones could not be read. */
  status(): Promise<SecretStorageStatus>;
  /**
   * The user's answer for an OS that only obfuscates (the settings' `weakSecretStorage`). The
   * first call adopts it; a later change moves the secrets held now to match it.
   */
  setWeakStorageChoice(choice: WeakSecretStorage): Promise<void>;
}
export type { SecretName, StoredSecretName };

/**
 * The OS's string encryption (Electron's safeStorage in main, a fake in tests and the harness).
 * Nothing in it knows which secret it handles.
 */
export interface OsEncryption {
  /** Whether encrypt/decrypt can be used now (false: no keyring at all, or it would not say). */
  isAvailable(): Promise<boolean>;
  /** The backend in use; `weak`: it only obfuscates (Linux without a keyring: basic_text). */
  backend(): { name: string; weak: boolean };
  encrypt(plain: string): Promise<Buffer>;
  /** Throws when the ciphertext cannot be decrypted (another computer, a changed keyring). */
  decrypt(ciphertext: Buffer): Promise<{ value: string; shouldReEncrypt: boolean }>;
}

export interface Paths {
  /** App data folder: library.db, logs/, staging/. */
  dataDir: string;
  /** Default library folder (~/Pictures/Banana Studio, or a temp dir in the harness). */
  defaultLibraryDir: string;
}

/** What an OS notification may carry besides its text. */
export interface NoticeOptions {
  /** A small PNG of the image it is about, shown where the OS shows one. */
  imagePng?: Buffer;
  /** The user clicked it; the host has brought the app's window forward first. */
  onClick?: () => void;
}

export interface Shell {
  notify(title: string, body: string, options?: NoticeOptions): void;
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
