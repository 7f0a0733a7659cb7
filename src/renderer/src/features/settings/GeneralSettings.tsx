import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { THEMES, type Language, type SettingsView, type Theme } from '@shared/domain/settings';
import { SelectField } from '../../components/SelectField';
import { useSettings } from '../../store/stores';

/** What the concurrency control offers; the stored setting allows more (for scripts). */
export const CONCURRENCY_MIN = 1;
export const CONCURRENCY_MAX = 8;

/** Jobs at once and notifications; every change applies at once. */
export function JobSettings({ view }: { view: SettingsView }) {
  const { t } = useTranslation();
  const update = useSettings((state) => state.update);
  // The box may be empty or out of range while typing; only whole numbers in range are saved.
  const [draft, setDraft] = useState(String(view.concurrency));
  const commit = (text: string) => {
    setDraft(text);
    const value = Number(text);
    if (
      Number.isInteger(value) &&
      value >= CONCURRENCY_MIN &&
      value <= CONCURRENCY_MAX &&
      value !== view.concurrency
    )
      void update({ concurrency: value });
  };
  return (
    <div className="setting">
      <label className="field field-inline">
        <span className="field-label">{t('settings.concurrency')}</span>
        <span className="range-row">
          <input
            type="range"
            min={CONCURRENCY_MIN}
            max={CONCURRENCY_MAX}
            step={1}
            value={Math.min(CONCURRENCY_MAX, view.concurrency)}
            aria-hidden="true"
            tabIndex={-1}
            onChange={(event) => commit(event.target.value)}
          />
          <input
            type="number"
            className="number-input"
            data-testid="concurrency-input"
            min={CONCURRENCY_MIN}
            max={CONCURRENCY_MAX}
            step={1}
            value={draft}
            onChange={(event) => commit(event.target.value)}
            onBlur={() => setDraft(String(view.concurrency))}
          />
        </span>
      </label>
      <p className="help">{t('settings.concurrencyHelp')}</p>
      <label className="toggle toggle-spaced">
        <input
          type="checkbox"
          data-testid="notifications-toggle"
          checked={view.notifications}
          onChange={(event) => void update({ notifications: event.target.checked })}
        />
        <span>
          <strong>{t('settings.notifications')}</strong>
          <span className="help">{t('settings.notificationsHelp')}</span>
        </span>
      </label>
    </div>
  );
}

/** Language and light/dark theme. */
export function AppearanceSettings({ view }: { view: SettingsView }) {
  const { t } = useTranslation();
  const update = useSettings((state) => state.update);
  return (
    <div className="setting field-row">
      <SelectField<Language>
        label={t('settings.language')}
        testId="language-select"
        value={view.language}
        options={[
          { value: 'system', label: t('settings.languageSystem') },
          { value: 'en', label: t('settings.languageEn') },
          { value: 'zh-CN', label: t('settings.languageZh') },
        ]}
        onChange={(language) => void update({ language })}
      />
      <SelectField<Theme>
        label={t('settings.theme')}
        testId="theme-select"
        value={view.theme}
        options={THEMES.map((theme) => ({ value: theme, label: t(`settings.themes.${theme}`) }))}
        onChange={(theme) => void update({ theme })}
      />
    </div>
  );
}
