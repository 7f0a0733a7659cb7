import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '@shared/domain/settings';
import { TUNNEL_MODES, type TunnelMode } from '@shared/domain/tunnel';
import { useSettings } from '../../store/stores';
import { TunnelStatusLine } from './TunnelStatusLine';

/** How KIE's callbacks reach this computer: ngrok, the user's own public URL, or polling only. */
export function TunnelSettings({ view, onSaved }: { view: SettingsView; onSaved(): void }) {
  const { t } = useTranslation();
  const { update, setSecret } = useSettings();
  const [token, setToken] = useState('');
  const [hmac, setHmac] = useState('');
  const [callbackUrl, setCallbackUrl] = useState(view.publicCallbackUrl);

  const saveSecret = async (name: 'ngrokAuthtoken' | 'webhookHmacKey', value: string, clear: () => void) => {
    if (await setSecret(name, value.trim() === '' ? null : value.trim())) {
      clear();
      onSaved();
    }
  };

  return (
    <div className="setting">
      <label className="field">
        <span className="field-label">{t('tunnel.mode')}</span>
        <select
          data-testid="tunnel-mode-select"
          value={view.tunnelMode}
          onChange={(event) => void update({ tunnelMode: event.target.value as TunnelMode })}
        >
          {TUNNEL_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {t(`tunnel.modes.${mode}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="help">{t(`tunnel.help.${view.tunnelMode}`)}</p>

      {view.tunnelMode === 'ngrok' && (
        <form
          className="field"
          onSubmit={(event) => {
            event.preventDefault();
            void saveSecret('ngrokAuthtoken', token, () => setToken(''));
          }}
        >
          <label className="field-label" htmlFor="ngrok-token">
            {t('tunnel.authtoken')}
          </label>
          <div className="input-row">
            <input
              id="ngrok-token"
              data-testid="ngrok-token-input"
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
            void saveSecret('webhookHmacKey', hmac, () => setHmac(''));
          }}
        >
          <label className="field-label" htmlFor="hmac-key">
            {t('tunnel.hmacKey')}
          </label>
          <div className="input-row">
            <input
              id="hmac-key"
              data-testid="hmac-key-input"
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
          <span className="help">{t('tunnel.hmacHelp')}</span>
        </form>
      )}
      <TunnelStatusLine />
    </div>
  );
}
