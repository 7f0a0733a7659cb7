import { useTranslation } from 'react-i18next';
import { useUi } from '../store/stores';

/**
 * The web version's bridge to core is gone (`npm run web` stopped or restarted): say so, say
 * that nothing is sent meanwhile, and offer to try again now instead of waiting for the next try.
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useUi((state) => state.connection);
  const reconnectNow = useUi((state) => state.reconnectNow);
  if (connection !== 'reconnecting' && connection !== 'down') return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="connection-banner" data-state={connection}>
      <span>{connection === 'down' ? t('app.bridgeDown') : t('app.offline')}</span>
      <button
        type="button"
        className="link-button"
        data-testid="reconnect-now"
        onClick={() => reconnectNow()}
      >
        {t('app.reconnectNow')}
      </button>
    </div>
  );
}
