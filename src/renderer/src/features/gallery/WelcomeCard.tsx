import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { priceRange } from '@shared/domain/pricing';
import type { SettingsView } from '@shared/domain/settings';
import { errorText } from '../../components/errorText';
import { api } from '../../ipc/api';
import { useSettings } from '../../store/stores';
import { keyRejected, useApiKeyEntry } from '../settings/useApiKeyEntry';

/** KIE's page where a signed-in user creates an API key. */
export const KIE_KEY_PAGE = 'https://kie.ai/api-key';

/** The welcome card is for a first start: no key, no Demo mode, and no answer given yet. */
export const wantsWelcome = (view: SettingsView | null): boolean =>
  view !== null && !view.welcomeDone && !view.hasApiKey && !view.demoMode;

/**
 * The first minute without a key: paste a KIE key (tested with KIE before it is kept), or try
 * Demo mode in one click, or put the choice off. Any answer is remembered by core
 * (`welcomeDone`), so the card does not come back on the next start.
 */
export function WelcomeCard({ view }: { view: SettingsView }) {
  const { t, i18n } = useTranslation();
  const entry = useApiKeyEntry();
  const [checking, setChecking] = useState(false);
  const [rejected, setRejected] = useState(false);
  const [busy, setBusy] = useState(false);
  const error = useSettings((state) => state.error);
  const update = useSettings((state) => state.update);
  const { min, max } = priceRange(view.costOverrides);
  const number = new Intl.NumberFormat(i18n.language);

  const saveKey = async (event: FormEvent) => {
    event.preventDefault();
    const typed = entry.checked();
    if (typed === null) return;
    // A first key is worth a check: a wrong paste is caught here, not at the first Generate.
    // KIE out of reach says nothing about the key, so it is kept then.
    setChecking(true);
    const test = await api().request('settings.testApiKey', { apiKey: typed });
    setChecking(false);
    const failure = test.ok ? (test.value.ok ? null : test.value.error) : test.error;
    if (failure && keyRejected(failure)) {
      setRejected(true);
      return;
    }
    await entry.save();
  };

  const choose = async (patch: { demoMode: true } | { welcomeDone: true }) => {
    setBusy(true);
    await update(patch);
    setBusy(false);
  };

  return (
    <section className="welcome-card" data-testid="welcome-card" aria-labelledby="welcome-title">
      <div className="welcome-head">
        <span className="brand-mark welcome-mark" aria-hidden="true" />
        <div>
          <h2 id="welcome-title">{t('welcome.title')}</h2>
          <p className="welcome-lead">{t('welcome.lead')}</p>
        </div>
      </div>
      <div className="welcome-options">
        <form className="welcome-option" data-testid="welcome-key" onSubmit={(event) => void saveKey(event)}>
          <h3>{t('welcome.keyTitle')}</h3>
          <p>
            {t('welcome.keyText')}{' '}
            <a href={KIE_KEY_PAGE} target="_blank" rel="noreferrer" data-testid="welcome-key-link">
              {t('welcome.keyLink')}
            </a>
          </p>
          <p className="help" data-testid="welcome-cost">
            {t('welcome.cost', { min: number.format(min), max: number.format(max) })}
          </p>
          <label className="welcome-field">
            <span className="visually-hidden">{t('settings.apiKey')}</span>
            <div className="input-row">
              <input
                data-testid="welcome-key-input"
                data-secret-field="kieApiKey"
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={entry.key}
                placeholder={t('settings.apiKeyPlaceholder')}
                aria-invalid={entry.invalid || rejected || undefined}
                onChange={(event) => {
                  entry.change(event.target.value);
                  setRejected(false);
                }}
              />
              <button
                type="submit"
                className="primary"
                data-testid="welcome-save-key"
                disabled={checking || entry.saving}
                aria-busy={checking || entry.saving}
              >
                {checking ? t('welcome.checkingKey') : t('welcome.saveKey')}
              </button>
            </div>
          </label>
          {entry.invalid && (
            <p className="field-error" role="alert" data-testid="welcome-key-error">
              {t('settings.invalidKey')}
            </p>
          )}
          {rejected && (
            <p className="field-error" role="alert" data-testid="welcome-key-error">
              {t('settings.testKeyRejected')}
            </p>
          )}
        </form>
        <div className="welcome-option">
          <h3>{t('welcome.demoTitle')}</h3>
          <p>{t('welcome.demoText')}</p>
          <button
            type="button"
            className="primary welcome-demo"
            data-testid="welcome-try-demo"
            disabled={busy}
            onClick={() => void choose({ demoMode: true })}
          >
            {t('welcome.tryDemo')}
          </button>
        </div>
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="welcome-error">
          {errorText(t, error)}
        </p>
      )}
      <p className="welcome-later">
        <button
          type="button"
          className="link-button"
          data-testid="welcome-dismiss"
          disabled={busy}
          onClick={() => void choose({ welcomeDone: true })}
        >
          {t('welcome.notNow')}
        </button>
      </p>
    </section>
  );
}
