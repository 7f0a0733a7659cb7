import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '@shared/domain/settings';
import { errorText } from '../../components/errorText';
import { useOverlay } from '../../components/useOverlay';
import { useSecretFocus } from '../../store/secrets';
import { useSettings, useUi } from '../../store/stores';
import { ApiKeySetting } from './ApiKeySetting';
import { DiagnosticsSetting } from './DiagnosticsSetting';
import { UpdatesSetting } from './UpdatesSetting';
import { AppearanceSettings, JobSettings } from './GeneralSettings';
import { CostOverridesEditor } from '../compose/CostOverridesEditor';
import { PromptLibrarySetting } from '../prompts/PromptLibrarySetting';
import { LibraryFolderSetting } from './LibraryFolderSetting';
import { SecretStorageSetting } from './SecretStorageSetting';
import { TunnelSettings } from './TunnelSettings';
import { CloseButton } from '../../components/CloseButton';

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
  const { error, update } = useSettings();
  const [notice, setNotice] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);

  useOverlay(dialogRef, { onClose: () => openSettings(false) });
  // Opened from an "enter your key again" notice: that field, not the first one, takes the focus.
  useEffect(() => {
    const field = useSecretFocus.getState().take();
    const target = field && dialogRef.current?.querySelector<HTMLElement>(`[data-secret-field="${field}"]`);
    if (!target) return;
    target.focus();
    target.scrollIntoView({ block: 'center' });
  }, []);

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
        tabIndex={-1}
        aria-labelledby={`${id}-title`}
        data-testid="settings-dialog"
      >
        <div className="dialog-head">
          <h2 id={`${id}-title`}>{t('settings.title')}</h2>
          <CloseButton
            label={t('settings.close')}
            testId="settings-close"
            onClick={() => openSettings(false)}
          />
        </div>

        <h3 className="settings-section">{t('settings.sections.account')}</h3>
        <ApiKeySetting view={view} onSaved={() => setNotice(t('settings.saved'))} />
        <SecretStorageSetting view={view} />

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

        <h3 className="settings-section">{t('settings.sections.jobs')}</h3>
        <JobSettings view={view} />
        <details className="setting">
          <summary className="field-label">{t('pricing.title')}</summary>
          <CostOverridesEditor />
        </details>
        <details className="setting">
          <summary className="field-label" data-testid="prompt-library-summary">
            {t('promptLibrary.settingsTitle')}
          </summary>
          <PromptLibrarySetting />
        </details>

        <h3 className="settings-section">{t('settings.sections.appearance')}</h3>
        <AppearanceSettings view={view} />

        <h3 className="settings-section">{t('settings.sections.connection')}</h3>
        <TunnelSettings view={view} onSaved={() => setNotice(t('settings.saved'))} />

        <h3 className="settings-section">{t('settings.sections.library')}</h3>
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
        <UpdatesSetting view={view} />
        <DiagnosticsSetting />

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
