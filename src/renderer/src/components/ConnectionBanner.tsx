import { useTranslation } from 'react-i18next';
import { useUi } from '../store/stores';

export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useUi((state) => state.connection);
  if (connection !== 'closed') return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="connection-banner">
      {t('app.offline')}
    </div>
  );
}
