import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '@shared/domain/settings';
import { TUNNEL_MODES, type TunnelMode } from '@shared/domain/tunnel';
import { SelectField } from '../../components/SelectField';
import { saveSecret } from '../../store/secrets';
import { useSettings } from '../../store/stores';
import { TunnelStatusLine } from './TunnelStatusLine';

/** How KIE's callbacks reach this computer: ngrok, the user's own public URL, or polling only. */
export function TunnelSettings({ view, onSaved }: { view: SettingsView; onSaved(): void }) {
  const { t } = useTranslation();
  const update = useSettings((state) => state.update);
  const [token, setToken] = useState('');
  const [hmac, setHmac] = useState('');
  const [callbackUrl, setCallbackUrl] = useState(view.publicCallbackUrl);
  const { unreadable } = view.secretStorage;

  const saveField = async (name: 'ngrokAuthtoken' | 'webhookHmacKey', value: string, clear: () => void) => {
    if (await saveSecret(name, value.trim() === '' ? null : value.trim())) {
      clear();
      onSaved();
    }
  };

  return (
    <div className="setting">
      <SelectField<TunnelMode>
        label={t('tunnel.mode')}
        testId="tunnel-mode-select"
        value={view.tunnelMode}
        options={TUNNEL_MODES.map((mode) => ({ value: mode, label: t(`tunnel.modes.${mode}`) }))}
        onChange={(mode) => void update({ tunnelMode: mode })}
      />
      <p className="help">{t(`tunnel.help.${view.tunnelMode}`)}</p>

      {view.tunnelMode === 'ngrok' && (
        <form
          className="field"
          onSubmit={(event) => {
            event.preventDefault();
            void saveField('ngrokAuthtoken', token, () => setToken(''));
          }}
        >
          <label className="field-label" htmlFor="ngrok-token">
            {t('tunnel.authtoken')}
          </label>
          <div className="input-row">
            <input
              id="ngrok-token"
              data-testid="ngrok-token-input"
              data-secret-field="ngrokAuthtoken"
              type="password"
              autoComplete="off"
              value={token}
              placeholder={
                view.hasNgrokAuthtoken ? t('tunnel.authtokenSaved') : t('tunnel.authtokenPlaceholder')
              }
              onChange={(event) => setToken(event.target.value)}
            />
            <button type="submit" className="primary" data-testid="save-ngrok-token">
              {t('settings.save')}
            </button>
          </div>
          {unreadable.includes('ngrokAuthtoken') && (
            <span className="field-error">{t('secrets.unreadableField')}</span>
          )}
        </form>
      )}

      {view.tunnelMode === 'manual' && (
        <label className="field">
          <span className="field-label">{t('settings.callbackUrl')}</span>
          <input
            data-testid="callback-url-input"
            type="url"
            value={callbackUrl}
            placeholder="https://"
            onChange={(event) => setCallbackUrl(event.target.value)}
            onBlur={() => {
              if (callbackUrl.trim() !== view.publicCallbackUrl) {
                void update({ publicCallbackUrl: callbackUrl.trim() }).then((ok) => ok && onSaved());
              }
            }}
          />
          <span className="help">
            {t('settings.callbackUrlHelp', { local: view.callbackLocalUrl ?? '127.0.0.1' })}
          </span>
        </label>
      )}

      {view.tunnelMode !== 'off' && (
        <form
          className="field"
          onSubmit={(event) => {
            event.preventDefault();
            void saveField('webhookHmacKey', hmac, () => setHmac(''));
          }}
        >
          <label className="field-label" htmlFor="hmac-key">
            {t('tunnel.hmacKey')}
          </label>
          <div className="input-row">
            <input
              id="hmac-key"
              data-testid="hmac-key-input"
              data-secret-field="webhookHmacKey"
              type="password"
              autoComplete="off"
              value={hmac}
              placeholder={view.hasWebhookHmacKey ? t('tunnel.hmacSaved') : t('tunnel.hmacPlaceholder')}
              onChange={(event) => setHmac(event.target.value)}
            />
            <button type="submit" className="primary" data-testid="save-hmac-key">
              {t('settings.save')}
            </button>
          </div>
          {unreadable.includes('webhookHmacKey') && (
            <span className="field-error">{t('secrets.unreadableField')}</span>
          )}
          <span className="help">{t('tunnel.hmacHelp')}</span>
        </form>
      )}
      <TunnelStatusLine />
    </div>
  );
}
