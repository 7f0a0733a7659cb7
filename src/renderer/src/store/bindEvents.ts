import type { Api } from '../ipc/api';
import { useCompose, useCredits, useGallery, useJobs, useSettings, useTunnel } from './stores';

/** The one place where pushed events become store updates. */
export function bindEvents(api: Api): () => void {
  const offs = [
    api.on('job.updated', (job) => useJobs.getState().upsert(job)),
    api.on('queue.changed', (queue) => useJobs.getState().setQueue(queue)),
    api.on('gallery.added', (image) => useGallery.getState().prepend(image)),
    api.on('tunnel.changed', (status) => useTunnel.getState().received(status)),
    api.on('credits.changed', (credits) => useCredits.getState().received(credits)),
    api.on('settings.changed', (view) => {
      const previous = useSettings.getState().view;
      useSettings.getState().received(view);
      if (previous?.demoMode !== view.demoMode) void useCredits.getState().refresh();
      if (!previous) useCompose.getState().adoptDefaults(view);
    }),
  ];
  return () => offs.forEach((off) => off());
}
