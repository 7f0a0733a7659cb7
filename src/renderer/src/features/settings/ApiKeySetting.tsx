import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '@shared/domain/settings';
import type { ApiKeyTest } from '@shared/ipc/contract';
import { errorText } from '../../components/errorText';
import { api } from '../../ipc/api';
import { saveSecret } from '../../store/secrets';
import { keyRejected, MIN_KEY_LENGTH, useApiKeyEntry } from './useApiKeyEntry';

/** The KIE API key: masked entry, save, remove, and "Test key" (which saves nothing). */
export function ApiKeySetting({ view, onSaved }: { view: SettingsView; onSaved(): void }) {
  const { t, i18n } = useTranslation();
  const { key, change, invalid, setInvalid, save } = useApiKeyEntry();
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<ApiKeyTest | null>(null);
  const unreadable = view.secretStorage.unreadable.includes('kieApiKey');

  const saveKey = async (event: FormEvent) => {
    event.preventDefault();
    if (await save()) {
      setTest(null);
      onSaved();
    }
  };

  const testKey = async () => {
    const typed = key.trim();
    if (typed !== '' && typed.length < MIN_KEY_LENGTH) {
      setInvalid(true);
      return;
    }
    setTesting(true);
    setTest(null);
    const result = await api().request('settings.testApiKey', { apiKey: typed === '' ? null : typed });
    setTesting(false);
    setTest(result.ok ? result.value : { ok: false, error: result.error });
  };

  return (
    <form className="setting" onSubmit={(event) => void saveKey(event)}>
      <label className="field">
        <span className="field-label">{t('settings.apiKey')}</span>
        <div className="input-row">
          <input
            data-testid="api-key-input"
            data-secret-field="kieApiKey"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            placeholder={t('settings.apiKeyPlaceholder')}
            aria-invalid={invalid || undefined}
            onChange={(event) => {
              change(event.target.value);
              setTest(null);
            }}
          />
          <button type="submit" className="primary" data-testid="save-api-key">
            {t('settings.save')}
          </button>
          <button
            type="button"
            className="secondary"
            data-testid="test-api-key"
            disabled={testing || (key.trim() === '' && !view.hasApiKey)}
            aria-busy={testing}
            onClick={() => void testKey()}
          >
            {testing ? t('settings.testingKey') : t('settings.testKey')}
          </button>
        </div>
      </label>
      {invalid && (
        <p className="field-error" role="alert">
          {t('settings.invalidKey')}
        </p>
      )}
      {test && (
        <p
          className={test.ok ? 'test-result test-result-ok' : 'test-result test-result-error'}
          role="status"
          data-testid="test-key-result"
          data-ok={test.ok}
        >
          {test.ok
            ? t('settings.testKeyOk', { balance: new Intl.NumberFormat(i18n.language).format(test.balance) })
            : keyRejected(test.error)
              ? t('settings.testKeyRejected')
              : t('settings.testKeyFailed', { reason: errorText(t, test.error) })}
        </p>
      )}
      <p className="help">
        {view.hasApiKey
          ? t('settings.apiKeySaved', { hint: view.apiKeyHint ?? '' })
          : unreadable
            ? t('secrets.unreadableField')
            : t('settings.apiKeyNone')}{' '}
        {view.hasApiKey && (
          <button
            type="button"
            className="link-button"
            data-testid="clear-api-key"
            onClick={() => void saveSecret('kieApiKey', null)}
          >
            {t('settings.remove')}
          </button>
        )}
      </p>
      <p className="help">{t('settings.testKeyHelp')}</p>
      <p className="help">
        {t('settings.apiKeyHelp')}{' '}
        <a href="https://kie.ai/api-key" target="_blank" rel="noreferrer">
          {t('settings.getKey')}
        </a>
      </p>
    </form>
  );
}
