import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WireError } from '@shared/ipc/result';
import { errorText } from '../../components/errorText';
import { api } from '../../ipc/api';

type CopyState = 'idle' | 'copying' | 'copied' | 'failed';

/** For bug reports: the diagnostics report (no secrets) to the clipboard, and the logs folder. */
export function DiagnosticsSetting() {
  const { t } = useTranslation();
  const [copy, setCopy] = useState<CopyState>('idle');
  const [error, setError] = useState<WireError | null>(null);

  useEffect(() => {
    if (copy !== 'copied' && copy !== 'failed') return;
    const timer = setTimeout(() => setCopy('idle'), 2_000);
    return () => clearTimeout(timer);
  }, [copy]);

  const copyDiagnostics = async () => {
    setError(null);
    setCopy('copying');
    const result = await api().request('app.diagnostics', {});
    if (!result.ok) {
      setCopy('idle');
      setError(result.error);
      return;
    }
    try {
      await navigator.clipboard.writeText(JSON.stringify(result.value, null, 2));
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  const openLogsFolder = async () => {
    setError(null);
    const result = await api().request('app.openLogsFolder', {});
    if (!result.ok) setError(result.error);
  };

  return (
    <div className="setting">
      <span className="field-label">{t('settings.diagnostics.title')}</span>
      <p className="help">{t('settings.diagnostics.help')}</p>
      <div className="input-row">
        <button
          type="button"
          className="secondary"
          data-testid="copy-diagnostics"
          disabled={copy === 'copying'}
          onClick={() => void copyDiagnostics()}
        >
          {copy === 'copied'
            ? t('settings.diagnostics.copied')
            : copy === 'failed'
              ? t('settings.diagnostics.copyFailed')
              : t('settings.diagnostics.copy')}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="open-logs-folder"
          onClick={() => void openLogsFolder()}
        >
          {t('settings.diagnostics.openLogsFolder')}
        </button>
      </div>
      {error && (
        <p className="alert alert-error" role="alert" data-testid="diagnostics-error">
          {errorText(t, error)}
        </p>
      )}
    </div>
  );
}
