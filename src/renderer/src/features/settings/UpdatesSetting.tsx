import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '@shared/domain/settings';
import type { UpdateCheck } from '@shared/ipc/contract';
import type { WireError } from '@shared/ipc/result';
import { errorText } from '../../components/errorText';
import { api } from '../../ipc/api';
import { useSettings } from '../../store/stores';

/** Updates: opt in to a check at start, or check now. Nothing is ever downloaded unasked. */
export function UpdatesSetting({ view }: { view: SettingsView }) {
  const { t } = useTranslation();
  const update = useSettings((state) => state.update);
  const [checking, setChecking] = useState(false);
  const [outcome, setOutcome] = useState<UpdateCheck | null>(null);
  const [error, setError] = useState<WireError | null>(null);

  const check = async () => {
    setChecking(true);
    setError(null);
    const result = await api().request('app.checkForUpdates', {});
    setChecking(false);
    if (result.ok) setOutcome(result.value);
    else setError(result.error);
  };

  return (
    <div className="setting">
      <span className="field-label">{t('settings.updates.title')}</span>
      <label className="toggle toggle-spaced">
        <input
          type="checkbox"
          data-testid="auto-update-toggle"
          checked={view.autoUpdate}
          onChange={(event) => void update({ autoUpdate: event.target.checked })}
        />
        <span>
          <strong>{t('settings.updates.auto')}</strong>
          <span className="help">{t('settings.updates.autoHelp')}</span>
        </span>
      </label>
      <div className="input-row">
        <button
          type="button"
          className="secondary"
          data-testid="check-updates"
          disabled={checking}
          onClick={() => void check()}
        >
          {checking ? t('settings.updates.checking') : t('settings.updates.check')}
        </button>
      </div>
      {outcome && (
        <p className="help" role="status" data-testid="update-result" data-state={outcome.state}>
          {t(`settings.updates.states.${outcome.state}`, {
            current: outcome.current,
            latest: outcome.latest ?? '',
            message: outcome.message ?? '',
          })}
        </p>
      )}
      {error && (
        <p className="alert alert-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </div>
  );
}
