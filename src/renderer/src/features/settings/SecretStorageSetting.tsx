import { useTranslation } from 'react-i18next';
import { WEAK_SECRET_STORAGE, type SettingsView, type WeakSecretStorage } from '@shared/domain/settings';
import { SelectField } from '../../components/SelectField';
import { useSettings } from '../../store/stores';

/**
 * How saved keys are kept on this computer, and, where the system has no keyring, the user's
 * answer about obfuscated storage with a way to change it.
 */
export function SecretStorageSetting({ view }: { view: SettingsView }) {
  const { t } = useTranslation();
  const update = useSettings((state) => state.update);
  const { mode, weakBackend } = view.secretStorage;
  const status =
    mode === 'keychain'
      ? t('secrets.storage.keychain')
      : mode === 'obfuscated'
        ? t('secrets.storage.obfuscated')
        : weakBackend
          ? t('secrets.storage.sessionNoKeyring')
          : t('secrets.storage.sessionUnavailable');
  const choices: Record<WeakSecretStorage, string> = {
    ask: t('secrets.choices.ask'),
    store: t('secrets.choices.store'),
    session: t('secrets.choices.session'),
  };

  return (
    <div className="setting">
      <p
        className={mode === 'keychain' ? 'help' : 'help secret-storage-weak'}
        role="status"
        data-testid="secret-storage-status"
        data-mode={mode}
      >
        {status}
      </p>
      {weakBackend && (
        <>
          <SelectField<WeakSecretStorage>
            label={t('secrets.choiceLabel')}
            testId="weak-storage-select"
            value={view.weakSecretStorage}
            options={WEAK_SECRET_STORAGE.map((choice) => ({ value: choice, label: choices[choice] }))}
            onChange={(choice) => void update({ weakSecretStorage: choice })}
          />
          <p className="help">{t('secrets.keyringHint')}</p>
        </>
      )}
    </div>
  );
}
