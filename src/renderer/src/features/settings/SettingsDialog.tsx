import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, SettingsView } from '@shared/domain/settings';
import { errorText } from '../../components/errorText';
import { useSettings, useUi } from '../../store/stores';
import { LibraryFolderSetting } from './LibraryFolderSetting';
import { TunnelSettings } from './TunnelSettings';

export function SettingsDialog() {
  const open = useUi((state) => state.settingsOpen);
  const view = useSettings((state) => state.view);
  // Mounted only while open, so its form state starts fresh every time.
  return open && view ? <SettingsBody view={view} /> : null;
}

function SettingsBody({ view }: { view: SettingsView }) {
  const { t } = useTranslation();
  const id = useId();
  const openSettings = useUi((state) => state.openSettings);
  const openLogs = useUi((state) => state.openLogs);
  const { error, update, setApiKey } = useSettings();
  const [key, setKey] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialogRef.current?.querySelector<HTMLElement>('input, select, button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') openSettings(false);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, [openSettings]);

  const saveKey = async (event: FormEvent) => {
    event.preventDefault();
    if (key.trim().length < 8) {
      setNotice(t('settings.invalidKey'));
      return;
    }
    if (await setApiKey(key.trim())) {
      setKey('');
      setNotice(t('settings.saved'));
    }
  };
  return (
    <div
      className="overlay"
      onMouseDown={(event) => event.target === event.currentTarget && openSettings(false)}
    >
      <div
        ref={dialogRef}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="settings-dialog"
      >
        <div className="dialog-head">
          <h2 id={`${id}-title`}>{t('settings.title')}</h2>
          <button
            type="button"
            className="icon-button"
            data-testid="settings-close"
            aria-label={t('settings.close')}
            onClick={() => openSettings(false)}
          >
            ×
          </button>
        </div>

        <form className="setting" onSubmit={(event) => void saveKey(event)}>
          <label className="field">
            <span className="field-label">{t('settings.apiKey')}</span>
            <div className="input-row">
              <input
                data-testid="api-key-input"
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={key}
                placeholder={t('settings.apiKeyPlaceholder')}
                onChange={(event) => setKey(event.target.value)}
              />
              <button type="submit" className="primary" data-testid="save-api-key">
                {t('settings.save')}
              </button>
            </div>
          </label>
          <p className="help">
            {view.hasApiKey
              ? t('settings.apiKeySaved', { hint: view.apiKeyHint ?? '' })
              : t('settings.apiKeyNone')}{' '}
            {view.hasApiKey && (
              <button
                type="button"
                className="link-button"
                data-testid="clear-api-key"
                onClick={() => void setApiKey(null)}
              >
                {t('settings.remove')}
              </button>
            )}
          </p>
          <p className="help">
            {t('settings.apiKeyHelp')}{' '}
            <a href="https://kie.ai/api-key" target="_blank" rel="noreferrer">
              {t('settings.getKey')}
            </a>
          </p>
        </form>

        <div className="setting">
          <label className="toggle">
            <input
              type="checkbox"
              data-testid="demo-toggle"
              checked={view.demoMode}
              onChange={(event) => void update({ demoMode: event.target.checked })}
            />
            <span>
              <strong>{t('settings.demo')}</strong>
              <span className="help">{t('settings.demoHelp')}</span>
            </span>
          </label>
        </div>

        <div className="setting">
          <label className="field">
            <span className="field-label">{t('settings.language')}</span>
            <select
              data-testid="language-select"
              value={view.language}
              onChange={(event) => void update({ language: event.target.value as Language })}
            >
              <option value="system">{t('settings.languageSystem')}</option>
              <option value="en">{t('settings.languageEn')}</option>
              <option value="zh-CN">{t('settings.languageZh')}</option>
            </select>
          </label>
        </div>

        <TunnelSettings view={view} onSaved={() => setNotice(t('settings.saved'))} />

        <LibraryFolderSetting
          path={view.libraryPath}
          onMoved={(root) => setNotice(t('settings.libraryMoved', { path: root }))}
        />

        <div className="setting">
          <button
            type="button"
            className="link-button"
            data-testid="open-logs"
            onClick={() => openLogs({ jobId: null })}
          >
            {t('logs.open')}
          </button>
        </div>

        {error && (
          <p className="alert alert-error" role="alert" data-testid="settings-error">
            {errorText(t, error)}
          </p>
        )}
        {notice && !error && (
          <p className="notice" role="status" data-testid="settings-notice">
            {notice}
          </p>
        )}
      </div>
    </div>
  );
}
