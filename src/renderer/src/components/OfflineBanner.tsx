import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useJobs, useUi } from '../store/stores';

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/**
 * KIE cannot be reached: the queue paused for `offline`, or the OS reports no network. Not the
 * same as the app's own backend being gone (ConnectionBanner), which says that instead.
 */
export function OfflineBanner() {
  const { t } = useTranslation();
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine);
  const kieUnreachable = useJobs((state) => state.queue?.paused === true && state.queue.reason === 'offline');
  const pending = useJobs((state) => state.queue?.pending ?? 0);
  const backendGone = useUi((state) => state.connection === 'reconnecting' || state.connection === 'down');
  if (backendGone || (online && !kieUnreachable)) return null;
  return (
    <div className="banner banner-offline" role="status" data-testid="offline-banner">
      <span className="banner-dot" aria-hidden="true" />
      {t('app.kieOffline')}
      {pending > 0 && <span className="banner-count"> {t('jobs.pending', { count: pending })}</span>}
    </div>
  );
}
