import type { Api } from '../ipc/api';
import { useGallery } from './gallery';
import { useJobImages } from './jobImages';
import { useLibrary } from './library';
import { collectOpenedReferences } from './openedReferences';
import { useSelection } from './selection';
import { useCompose, useCredits, useJobs, useSettings, useTunnel, useUi } from './stores';
import { useToasts } from './toasts';
import { useTrash } from './trash';
import { useViewer } from './viewer';

/** The one place where pushed events become store updates. */
export function bindEvents(api: Api): () => void {
  const offs = [
    api.on('job.updated', (job) => {
      const before = useJobs.getState().byId[job.id];
      useJobs.getState().upsert(job);
      // Seen failing live (not read at start): worth a word even when its card is out of view.
      if (before && before.state !== job.state && (job.state === 'failed' || job.state === 'unknown-outcome'))
        useToasts.getState().show({ kind: 'jobFailed', job });
    }),
    api.on('jobs.cleared', ({ ids, reset }) => {
      if (reset) void useJobs.getState().load();
      else useJobs.getState().removed(ids);
    }),
    api.on('notice.clicked', ({ jobId, imageId }) => {
      if (imageId !== null) useViewer.getState().open(imageId);
      else useJobs.getState().reveal(jobId);
    }),
    api.on('queue.changed', (queue) => {
      const before = useJobs.getState().queue;
      useJobs.getState().setQueue(queue);
      // KIE said "no credits": the panel's balance is stale, so its refusal would come too late.
      if (queue.reason === 'credits' && before?.reason !== 'credits') void useCredits.getState().refresh();
    }),
    // The counts follow as library.changed, which core pushes once per burst of new images.
    api.on('gallery.added', (image) => useGallery.getState().added(image)),
    api.on('gallery.changed', (change) => {
      useGallery.getState().changed(change);
      useSelection.getState().prune(change.removedIds);
      useViewer.getState().changed(change);
      useJobImages.getState().changed(change);
      if (useUi.getState().galleryView === 'trash' && (change.reset || change.removedIds.length > 0))
        void useTrash.getState().load();
    }),
    api.on('albums.changed', (albums) => useLibrary.getState().setAlbums(albums)),
    api.on('library.changed', (status) => useLibrary.getState().setStatus(status)),
    api.on('references.opened', () => void collectOpenedReferences()),
    api.on('tunnel.changed', (status) => useTunnel.getState().received(status)),
    api.on('credits.changed', (credits) => useCredits.getState().received(credits)),
    api.on('settings.changed', (view) => {
      const previous = useSettings.getState().view;
      useSettings.getState().received(view);
      // Another mode or another key: another balance.
      if (previous?.demoMode !== view.demoMode || previous?.apiKeyHint !== view.apiKeyHint)
        void useCredits.getState().refresh();
      if (!previous) useCompose.getState().adoptDefaults(view);
      if (previous && previous.libraryPath !== view.libraryPath) {
        void useLibrary.getState().load();
        void useGallery.getState().reload();
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}
