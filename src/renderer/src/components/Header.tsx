import { useTranslation } from 'react-i18next';
import { useShortcuts } from '../store/shortcuts';
import { useCredits, useSettings, useUi } from '../store/stores';
import { TunnelStatusLine } from '../features/settings/TunnelStatusLine';
import { errorText, missingKey } from './errorText';

export function Header() {
  const { t, i18n } = useTranslation();
  const demo = useSettings((state) => state.view?.demoMode ?? false);
  const { credits, loading, error, refresh } = useCredits();
  const openSettings = useUi((state) => state.openSettings);
  const openShortcuts = useShortcuts((state) => state.setOpen);
  const balance =
    credits === null ? t('credits.unknown') : new Intl.NumberFormat(i18n.language).format(credits.balance);
  const checked = credits
    ? ` ${t('credits.checked', {
        time: new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(
          new Date(credits.checkedAt),
        ),
      })}`
    : '';
  return (
    <header className="header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1>{t('app.name')}</h1>
        {demo && (
          <span className="badge badge-demo" data-testid="demo-badge" title={t('app.demoBadgeHint')}>
            {t('app.demoBadge')}
          </span>
        )}
      </div>
      <div className="header-actions">
        <TunnelStatusLine compact />
        <button
          type="button"
          className="credits"
          data-testid="header-credits"
          onClick={() => void refresh()}
          title={
            // No key yet is not a failure to read the balance: it simply has nothing to show.
            error && missingKey(error)
              ? t('credits.noKey')
              : error
                ? t('credits.error', { message: errorText(t, error) })
                : `${t('credits.refresh')}${checked}`
          }
          aria-busy={loading}
        >
          <span className="credits-label">{t('credits.label')}</span>
          <strong>{balance}</strong>
          {credits?.demo && <span className="credits-demo">{t('credits.demo')}</span>}
        </button>
        <button
          type="button"
          className="icon-button icon-button-text"
          data-testid="open-shortcuts"
          aria-label={t('shortcuts.open')}
          title={t('shortcuts.open')}
          aria-keyshortcuts="?"
          onClick={() => openShortcuts(true)}
        >
          ?
        </button>
        <button
          type="button"
          className="icon-button"
          data-testid="open-settings"
          aria-label={t('app.openSettings')}
          title={t('app.openSettings')}
          onClick={() => openSettings(true)}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
              fill="currentColor"
              d="M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7Zm8.94 4.56-.02-2.12-2.08-.63a7 7 0 0 0-.6-1.44l1-1.92-1.5-1.5-1.92 1a7 7 0 0 0-1.44-.6l-.63-2.08h-2.12l-.63 2.08a7 7 0 0 0-1.44.6l-1.92-1-1.5 1.5 1 1.92a7 7 0 0 0-.6 1.44l-2.08.63v2.12l2.08.63c.14.5.34.99.6 1.44l-1 1.92 1.5 1.5 1.92-1c.45.26.94.46 1.44.6l.63 2.08h2.12l.63-2.08c.5-.14.99-.34 1.44-.6l1.92 1 1.5-1.5-1-1.92c.26-.45.46-.94.6-1.44l2.1-.63Z"
            />
          </svg>
        </button>
      </div>
    </header>
  );
}
