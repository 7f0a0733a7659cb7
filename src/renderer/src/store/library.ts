import { create } from 'zustand';
import type { GalleryAlbum, GalleryTag } from '@shared/domain/image';
import type { LibraryStatus } from '@shared/ipc/galleryRoutes';
import type { WireError } from '@shared/ipc/result';
import { api } from '../ipc/api';
import { useGallery } from './gallery';
import { toastError, useToasts } from './toasts';

/** The library as a whole: its status, albums and tags. */
interface LibraryState {
  status: LibraryStatus | null;
  albums: GalleryAlbum[];
  tags: GalleryTag[];
  rescanning: boolean;
  /** The "index was rebuilt" notice was closed. */
  rebuiltSeen: boolean;
  load(): Promise<void>;
  loadTags(): Promise<void>;
  rescan(): Promise<void>;
  /** Moves the library folder (the user picks the new one); the error text when it fails. */
  moveFolder(): Promise<{ ok: true; root: string | null } | { ok: false; error: WireError }>;
  moving: boolean;
  createAlbum(name: string): Promise<GalleryAlbum | null>;
  renameAlbum(id: string, name: string): Promise<boolean>;
  deleteAlbum(id: string): Promise<boolean>;
  dismissRebuilt(): void;
  setStatus(status: LibraryStatus): void;
  setAlbums(albums: GalleryAlbum[]): void;
}

export const useLibrary = create<LibraryState>((set, get) => ({
  status: null,
  albums: [],
  tags: [],
  rescanning: false,
  moving: false,
  rebuiltSeen: false,
  async load() {
    const [status, albums, tags] = await Promise.all([
      api().request('library.status', {}),
      api().request('albums.list', {}),
      api().request('gallery.tags', {}),
    ]);
    if (status.ok) set({ status: status.value });
    if (albums.ok) set({ albums: albums.value });
    if (tags.ok) set({ tags: tags.value });
  },
  async loadTags() {
    const tags = await api().request('gallery.tags', {});
    if (tags.ok) set({ tags: tags.value });
  },
  async rescan() {
    if (get().rescanning) return;
    set({ rescanning: true });
    const result = await api().request('library.rescan', {});
    set({ rescanning: false });
    if (!result.ok) {
      toastError(result.error);
      return;
    }
    useToasts.getState().show({ kind: 'rescanned', report: result.value });
    const status = await api().request('library.status', {});
    if (status.ok) set({ status: status.value });
    void useGallery.getState().reload();
  },
  async moveFolder() {
    const before = get().status?.root ?? null;
    set({ moving: true });
    const result = await api().request('library.move', { to: null });
    set({ moving: false });
    if (!result.ok) return { ok: false, error: result.error };
    set({ status: result.value });
    // Cancelling the folder picker leaves everything as it was.
    return { ok: true, root: result.value.root === before ? null : result.value.root };
  },
  async createAlbum(name) {
    const result = await api().request('albums.create', { name });
    if (!result.ok) {
      toastError(result.error);
      return null;
    }
    set((state) => ({
      albums: state.albums.some((album) => album.id === result.value.id)
        ? state.albums
        : [...state.albums, result.value],
    }));
    return result.value;
  },
  async renameAlbum(id, name) {
    const result = await api().request('albums.rename', { id, name });
    if (!result.ok) {
      toastError(result.error);
      return false;
    }
    set((state) => ({ albums: state.albums.map((album) => (album.id === id ? result.value : album)) }));
    return true;
  },
  async deleteAlbum(id) {
    const result = await api().request('albums.delete', { id });
    if (!result.ok) {
      toastError(result.error);
      return false;
    }
    set((state) => ({ albums: state.albums.filter((album) => album.id !== id) }));
    if (useGallery.getState().query.albumId === id) useGallery.getState().setQuery({ albumId: undefined });
    return true;
  },
  dismissRebuilt: () => set({ rebuiltSeen: true }),
  setStatus: (status) => set({ status }),
  setAlbums: (albums) => set({ albums }),
}));
