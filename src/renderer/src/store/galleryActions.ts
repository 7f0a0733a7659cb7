import type { GalleryImage } from '@shared/domain/image';
import type { Result } from '@shared/ipc/result';
import { api } from '../ipc/api';
import { useConfirm } from './confirm';
import { useGallery } from './gallery';
import { idsOf } from './galleryPages';
import { useLibrary } from './library';
import { addGalleryReferences } from './referenceActions';
import { selectedInOrder, useSelection } from './selection';
import { useCompose } from './stores';
import { toastError, useToasts } from './toasts';
import { useTrash } from './trash';
import { neighbourId, useViewer } from './viewer';

/**
 * What the gallery's buttons and keys do. Each action calls core, keeps the loaded pages in
 * step (optimistically where the answer is predictable) and reports through a toast.
 */

/** The contract's cap on ids per bulk request; bigger selections go in several requests. */
export const BULK_MAX = 10_000;
/** The contract's cap for one native drag. */
export const DRAG_MAX = 100;
/** Restored images are fetched one by one up to this many; beyond it the view reloads. */
const ABSORB_MAX = 50;

export function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < list.length; start += size) out.push(list.slice(start, start + size));
  return out;
}

/** Runs a bulk request per chunk; the summed count, or null after the first failure (toasted). */
async function bulk(
  ids: readonly string[],
  send: (ids: string[]) => Promise<Result<{ count: number }>>,
): Promise<number | null> {
  let total = 0;
  for (const part of chunk(ids, BULK_MAX)) {
    const result = await send(part);
    if (!result.ok) {
      toastError(result.error);
      return null;
    }
    total += result.value.count;
  }
  return total;
}

/** The ids the selection bar and Delete act on: the selection, or else the focused tile. */
export function actionIds(): string[] {
  const selection = useSelection.getState();
  const selected = selectedInOrder(selection, idsOf(useGallery.getState().items));
  if (selected.length > 0) return selected;
  return selection.focus !== null ? [selection.focus] : [];
}

/**
 * Selects every image the current query matches, not only the loaded pages (up to the bulk
 * limit; the bar then shows how many of how many). False when the gallery changed meanwhile.
 */
export async function selectAllMatching(): Promise<boolean> {
  const { query, generation } = useGallery.getState();
  const result = await api().request('gallery.ids', { query });
  if (!result.ok) {
    toastError(result.error);
    return false;
  }
  if (useGallery.getState().generation !== generation) return false;
  useSelection.getState().selectIds(result.value.ids);
  return true;
}

function refreshDetailIfShown(changed: readonly string[]): void {
  const open = useViewer.getState().imageId;
  if (open !== null && changed.includes(open)) void useViewer.getState().loadDetail();
}

export async function setFavourite(targets: readonly string[], favourite: boolean): Promise<void> {
  if (targets.length === 0) return;
  useGallery.getState().patchLocal(targets, { favourite });
  const done = await bulk(targets, (part) => api().request('gallery.setFavourite', { ids: part, favourite }));
  if (done === null) void useGallery.getState().reload();
  refreshDetailIfShown(targets);
}

export async function setRating(targets: readonly string[], rating: number): Promise<void> {
  if (targets.length === 0) return;
  useGallery.getState().patchLocal(targets, { rating });
  const done = await bulk(targets, (part) => api().request('gallery.setRating', { ids: part, rating }));
  if (done === null) void useGallery.getState().reload();
  refreshDetailIfShown(targets);
}

export async function tagImages(
  targets: readonly string[],
  change: { add: string[]; remove: string[] },
): Promise<boolean> {
  if (targets.length === 0 || change.add.length + change.remove.length === 0) return false;
  const done = await bulk(targets, (part) => api().request('gallery.tag', { ids: part, ...change }));
  if (done === null) return false;
  if (targets.length > 1) useToasts.getState().show({ kind: 'tagged', count: targets.length });
  void useLibrary.getState().loadTags();
  refreshDetailIfShown(targets);
  // A tag query's results depend on tags, which the renderer cannot match by itself.
  if (useGallery.getState().query.tag !== undefined) void useGallery.getState().reload();
  return true;
}

export async function addToAlbum(albumId: string, targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  const done = await bulk(targets, (part) => api().request('albums.add', { albumId, ids: part }));
  if (done === null) return;
  const album = useLibrary.getState().albums.find((item) => item.id === albumId)?.name ?? '';
  useToasts.getState().show({ kind: 'albumAdded', count: targets.length, album });
  refreshDetailIfShown(targets);
}

export async function removeFromAlbum(albumId: string, targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  const done = await bulk(targets, (part) => api().request('albums.remove', { albumId, ids: part }));
  if (done === null) return;
  if (useGallery.getState().query.albumId === albumId) useGallery.getState().removeLocal(targets);
  refreshDetailIfShown(targets);
}

export async function createAlbumWith(name: string, targets: readonly string[]): Promise<void> {
  const album = await useLibrary.getState().createAlbum(name);
  if (album) await addToAlbum(album.id, targets);
}

/** To "Recently deleted", with an Undo toast. The images leave the view at once. */
export async function trashImages(targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  const viewer = useViewer.getState();
  if (viewer.imageId !== null && targets.includes(viewer.imageId)) {
    const items = useGallery.getState().items;
    const next = neighbourId(items, viewer.imageId, 1) ?? neighbourId(items, viewer.imageId, -1);
    if (next !== null && !targets.includes(next)) viewer.open(next);
    else viewer.close();
  }
  useGallery.getState().removeLocal(targets);
  useSelection.getState().prune(targets);
  const done = await bulk(targets, (part) => api().request('gallery.trash', { ids: part }));
  if (done === null) {
    void useGallery.getState().reload();
    return;
  }
  useToasts.getState().show({ kind: 'trashed', ids: [...targets] });
  void refreshStatus();
}

/** Back from "Recently deleted" into the gallery, where they are shown again if they match. */
export async function restoreImages(targets: readonly string[], quiet = false): Promise<void> {
  if (targets.length === 0) return;
  const done = await bulk(targets, (part) => api().request('gallery.restore', { ids: part }));
  if (done === null) return;
  useTrash.getState().drop(targets);
  useToasts.getState().settle(targets);
  if (!quiet) useToasts.getState().show({ kind: 'restored', count: done });
  void refreshStatus();
  if (targets.length > ABSORB_MAX) {
    void useGallery.getState().reload();
    return;
  }
  const fetched = await Promise.all(targets.map((id) => api().request('gallery.get', { id })));
  const images = fetched.flatMap((result) => (result.ok ? [result.value] : []));
  useGallery.getState().absorb(images);
}

/** From "Recently deleted" to the OS trash, after a yes. */
export async function purgeImages(targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  if (!(await useConfirm.getState().ask({ kind: 'purge', count: targets.length }))) return;
  const done = await bulk(targets, (part) => api().request('gallery.purge', { ids: part }));
  if (done === null) {
    void useTrash.getState().load();
    return;
  }
  useTrash.getState().drop(targets);
  useToasts.getState().settle(targets);
  useToasts.getState().show({ kind: 'purged', count: done });
  void refreshStatus();
}

/** Missing images the user no longer wants listed. */
export async function forgetImages(targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  if (!(await useConfirm.getState().ask({ kind: 'forget', count: targets.length }))) return;
  const viewer = useViewer.getState();
  if (viewer.imageId !== null && targets.includes(viewer.imageId)) viewer.close();
  const done = await bulk(targets, (part) => api().request('gallery.forget', { ids: part }));
  if (done === null) return;
  useGallery.getState().removeLocal(targets);
  useSelection.getState().prune(targets);
  useToasts.getState().show({ kind: 'forgotten', count: done });
  void refreshStatus();
}

export async function exportImages(targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  let count = 0;
  let folder: string | null = null;
  for (const part of chunk(targets, BULK_MAX)) {
    const result = await api().request('gallery.export', { ids: part });
    if (!result.ok) {
      toastError(result.error);
      return;
    }
    // A null folder: the user closed the folder picker.
    if (result.value.folder === null) return;
    count += result.value.count;
    folder = result.value.folder;
  }
  useToasts.getState().show({ kind: 'exported', count, folder });
}

async function refreshStatus(): Promise<void> {
  const status = await api().request('library.status', {});
  if (status.ok) useLibrary.getState().setStatus(status.value);
}

/** Runs a single-image host action (reveal, open, copy) and reports failures. */
export async function imageCommand(
  route: 'gallery.reveal' | 'gallery.open' | 'gallery.copyImage',
  id: string,
): Promise<void> {
  const result = await api().request(route, { id });
  if (!result.ok) toastError(result.error);
  else if (route === 'gallery.copyImage') useToasts.getState().show({ kind: 'copied' });
}

/** What a drag from tile `id` carries: the selection when the tile is part of it. */
export function dragIds(id: string): string[] {
  const selection = useSelection.getState();
  if (!selection.selected.has(id)) return [id];
  return selectedInOrder(selection, idsOf(useGallery.getState().items)).slice(0, DRAG_MAX);
}

export function reuseSettings(image: GalleryImage): void {
  useCompose.getState().reuse(image.params);
  useViewer.getState().close();
  useToasts.getState().show({ kind: 'reused' });
}

/** "Use as reference": the image is staged from the library, so the result's lineage shows it. */
export function addAsReference(image: GalleryImage): Promise<void> {
  return addGalleryReferences([image.id], { announce: true });
}
