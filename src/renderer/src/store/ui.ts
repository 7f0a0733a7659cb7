import { create } from 'zustand';
import type { ConnectionState } from '../ipc/wsBridge';

/** What the gallery area shows. */
export type GalleryView = 'library' | 'albums' | 'trash';

interface UiState {
  settingsOpen: boolean;
  connection: ConnectionState;
  /** The log dialog, optionally filtered to one job. */
  logs: { jobId: string | null } | null;
  galleryView: GalleryView;
  openSettings(open: boolean): void;
  openLogs(logs: { jobId: string | null } | null): void;
  setConnection(state: ConnectionState): void;
  /** Tries the bridge again now (the connection banner's button); a no-op in the desktop app. */
  reconnectNow(): void;
  setReconnect(reconnect: () => void): void;
  setGalleryView(view: GalleryView): void;
}

export const useUi = create<UiState>((set) => ({
  settingsOpen: false,
  connection: 'connecting',
  logs: null,
  galleryView: 'library',
  openSettings: (settingsOpen) => set({ settingsOpen }),
  openLogs: (logs) => set({ logs }),
  setConnection: (connection) => set({ connection }),
  reconnectNow: () => undefined,
  setReconnect: (reconnectNow) => set({ reconnectNow }),
  setGalleryView: (galleryView) => set({ galleryView }),
}));
