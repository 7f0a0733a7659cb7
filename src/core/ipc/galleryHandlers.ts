import type { AnyEvent } from '@shared/ipc/contract';
import {
  MAX_BULK_IDS,
  type galleryRoutes,
  type LibraryStatus,
  type ReconcileReport,
} from '@shared/ipc/galleryRoutes';
import { AppError } from '@shared/ipc/result';
import type { GalleryLibrary } from '../gallery/library';
import type { Shell } from '../ports';
import { inspectImage } from '../gallery/inspect';
import type { HandlerMap } from './router';

export interface GalleryHandlerDeps {
  library: GalleryLibrary;
  shell: Shell;
  emit(event: AnyEvent): void;
  libraryStatus(): LibraryStatus;
  rescan(): Promise<ReconcileReport>;
  moveLibrary(to: string): Promise<LibraryStatus>;
  /** Localized title for the library folder picker. */
  moveTitle(): string;
  /** Localized title for the export folder picker. */
  exportTitle(): string;
}

type GalleryHandlers = Pick<HandlerMap, keyof typeof galleryRoutes>;

/** Small pushes for small changes; a big bulk action asks the renderer to reload instead. */
const MAX_PUSHED_IMAGES = 200;

export function createGalleryHandlers(deps: GalleryHandlerDeps): GalleryHandlers {
  const { library } = deps;
  const changed = (ids: readonly string[]): void => {
    if (ids.length === 0) return;
    if (ids.length > MAX_PUSHED_IMAGES) {
      deps.emit({ name: 'gallery.changed', payload: { images: [], removedIds: [], reset: true } });
      return;
    }
    const images = ids.flatMap((id) => {
      const record = library.index.get(id);
      return record && !record.trashed ? [library.toWire(record)] : [];
    });
    deps.emit({ name: 'gallery.changed', payload: { images, removedIds: [], reset: false } });
  };
  const removed = (ids: readonly string[]): void => {
    if (ids.length === 0) return;
    deps.emit({ name: 'gallery.changed', payload: { images: [], removedIds: [...ids], reset: false } });
    deps.emit({ name: 'library.changed', payload: deps.libraryStatus() });
  };
  const albumsChanged = (): void => deps.emit({ name: 'albums.changed', payload: library.index.albums() });
  /** Runs a bulk index update and pushes the images it touched. */
  const bulk = (ids: readonly string[], update: () => number): { count: number } => {
    const count = update();
    changed(ids);
    return { count };
  };

  return {
    'gallery.query': ({ query, cursor, limit }) => library.query(query, cursor, limit),
    'gallery.count': ({ query }) => ({ count: library.index.count(query) }),
    'gallery.ids': ({ query }) => ({
      ids: library.index.ids(query, MAX_BULK_IDS),
      total: library.index.count(query),
    }),
    'gallery.get': ({ id }) => library.get(id),
    'gallery.detail': ({ id }) => library.detail(id),
    'gallery.setFavourite': ({ ids, favourite }) =>
      bulk(ids, () => library.index.setFavourite(ids, favourite)),
    'gallery.setRating': ({ ids, rating }) => bulk(ids, () => library.index.setRating(ids, rating)),
    'gallery.tag': ({ ids, add, remove }) =>
      bulk(ids, () => {
        const added = add.length > 0 ? library.index.addTags(ids, add) : 0;
        const removedCount = remove.length > 0 ? library.index.removeTags(ids, remove) : 0;
        return added + removedCount;
      }),
    'gallery.tags': () => library.index.allTags(),
    'albums.list': () => library.index.albums(),
    'albums.create': ({ name }) => {
      const album = library.index.createAlbum(name);
      albumsChanged();
      return album;
    },
    'albums.rename': ({ id, name }) => {
      if (!library.index.renameAlbum(id, name)) throw new AppError('NOT_FOUND', 'That album does not exist.');
      albumsChanged();
      const album = library.index.albums().find((item) => item.id === id);
      if (!album) throw new AppError('NOT_FOUND', 'That album does not exist.');
      return album;
    },
    'albums.delete': ({ id }) => {
      const deleted = library.index.deleteAlbum(id);
      albumsChanged();
      return { count: deleted ? 1 : 0 };
    },
    'albums.add': ({ albumId, ids }) => {
      if (!library.index.albums().some((album) => album.id === albumId))
        throw new AppError('NOT_FOUND', 'That album does not exist.');
      const count = library.index.addToAlbum(albumId, ids);
      albumsChanged();
      changed(ids);
      return { count };
    },
    'albums.remove': ({ albumId, ids }) => {
      const count = library.index.removeFromAlbum(albumId, ids);
      albumsChanged();
      changed(ids);
      return { count };
    },
    'gallery.trash': async ({ ids }) => {
      const trashed = await library.trash(ids);
      removed(trashed);
      if (trashed.length > 0) albumsChanged();
      return { count: trashed.length };
    },
    'gallery.restore': async ({ ids }) => {
      const restored = await library.restore(ids);
      changed(restored);
      if (restored.length > 0) {
        deps.emit({ name: 'library.changed', payload: deps.libraryStatus() });
        albumsChanged();
      }
      return { count: restored.length };
    },
    'gallery.trashList': ({ limit }) => library.trashList(limit),
    'gallery.purge': async ({ ids }) => {
      const count = await library.purge(ids);
      deps.emit({ name: 'library.changed', payload: deps.libraryStatus() });
      return { count };
    },
    'gallery.forget': ({ ids }) => {
      const forgotten = library.forget(ids);
      removed(forgotten);
      return { count: forgotten.length };
    },
    'gallery.export': async ({ ids }) => {
      const folder = await deps.shell.pickFolder(deps.exportTitle());
      if (folder === null) return { count: 0, folder: null };
      return { count: await library.exportTo(ids, folder), folder };
    },
    'gallery.reveal': async ({ id }) => {
      deps.shell.revealInFolder(await library.filePath(id));
      return {};
    },
    'gallery.open': async ({ id }) => {
      await deps.shell.openPath(await library.filePath(id));
      return {};
    },
    'gallery.copyImage': async ({ id }) => {
      await deps.shell.copyImageToClipboard(await library.filePath(id));
      return {};
    },
    'gallery.startDrag': async ({ ids }) => {
      const paths = (await Promise.all(ids.map((id) => library.filePath(id).catch(() => null)))).filter(
        (path): path is string => path !== null,
      );
      if (paths.length > 0) deps.shell.startDrag(paths);
      return {};
    },
    'library.status': () => deps.libraryStatus(),
    'images.inspect': ({ base64, name }) => inspectImage(Buffer.from(base64, 'base64'), name),
    'library.rescan': () => deps.rescan(),
    'library.move': async ({ to }) => {
      const folder = to ?? (await deps.shell.pickFolder(deps.moveTitle()));
      return folder === null ? deps.libraryStatus() : deps.moveLibrary(folder);
    },
  };
}
