import { useTranslation } from 'react-i18next';
import { useSettings, useTunnel } from '../../store/stores';

export function TunnelStatusLine({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const status = useTunnel((state) => state.status);
  const demo = useSettings((state) => state.view?.demoMode ?? false);
  if (compact && demo) {
    // Demo jobs are called back by the built-in simulator on this computer, tunnel or not.
    return (
      <span
        className="tunnel-pill tunnel-up"
        data-testid="tunnel-pill"
        data-state="demo"
        title={t('tunnel.demoCallbacks')}
      >
        {t('tunnel.states.up')}
      </span>
    );
  }
  if (!status) return null;
  const lastCallback = status.lastCallbackAt
    ? new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' }).format(new Date(status.lastCallbackAt))
    : null;
  if (compact) {
    return (
      <span
        className={`tunnel-pill tunnel-${status.state}`}
        data-testid="tunnel-pill"
        data-state={status.mode === 'off' ? 'off' : status.state}
        title={status.publicUrl ?? status.lastError ?? ''}
      >
        {status.mode === 'off' ? t('tunnel.pollingOnly') : t(`tunnel.states.${status.state}`)}
      </span>
    );
  }
  return (
    <div className="tunnel-status" data-testid="tunnel-status" data-state={status.state}>
      <span className={`tunnel-pill tunnel-${status.state}`}>{t(`tunnel.states.${status.state}`)}</span>
      {status.publicUrl && <span className="mono">{status.publicUrl}</span>}
      {status.lastError && <span className="tunnel-error">{status.lastError}</span>}
      {lastCallback && <span>{t('tunnel.lastCallback', { time: lastCallback })}</span>}
    </div>
  );
}
