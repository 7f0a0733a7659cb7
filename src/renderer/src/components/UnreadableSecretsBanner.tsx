import { useTranslation } from 'react-i18next';
import type { SecretName } from '@shared/domain/settings';
import { openSecretField, unreadableInUse } from '../store/secrets';
import { useSettings } from '../store/stores';

/**
 * A saved key exists but cannot be decrypted on this computer (another computer's copy, a
 * keyring that changed or is locked): ask for it again, with a button straight to its field.
 */
export function UnreadableSecretsBanner() {
  const { t } = useTranslation();
  const view = useSettings((state) => state.view);
  const names = unreadableInUse(view);
  if (names.length === 0) return null;
  const text: Record<SecretName, string> = {
    kieApiKey: t('secrets.unreadable.kieApiKey'),
    ngrokAuthtoken: t('secrets.unreadable.ngrokAuthtoken'),
    webhookHmacKey: t('secrets.unreadable.webhookHmacKey'),
  };
  return (
    <>
      {names.map((name) => (
        <div
          key={name}
          className="banner banner-warn banner-action"
          role="status"
          data-testid="unreadable-secret-banner"
          data-secret={name}
        >
          <span>{text[name]}</span>
          <button
            type="button"
            className="link-button"
            data-testid="reenter-secret"
            onClick={() => openSecretField(name)}
          >
            {t('secrets.reenter')}
          </button>
        </div>
      ))}
    </>
  );
}
