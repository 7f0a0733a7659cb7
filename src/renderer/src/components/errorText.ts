import type { TFunction } from 'i18next';
import type { WireError } from '@shared/ipc/result';

/** Core refused because no KIE key is saved (not: KIE said no to a key). */
export const missingKey = (error: WireError): boolean =>
  error.code === 'UNAUTHORIZED' && error.details?.['reason'] === 'missing-key';

/** A plain-language line for an error value, in the user's language, with KIE's words when given. */
export function errorText(t: TFunction, error: WireError): string {
  if (missingKey(error)) return t('errors.missingKey');
  if (error.details?.['reason'] === 'kie-host-not-allowed') {
    const hosts = error.details['allowedHosts'];
    return t('errors.kieHostNotAllowed', {
      host:
        typeof error.details['host'] === 'string' && error.details['host'] !== ''
          ? error.details['host']
          : '—',
      hosts: Array.isArray(hosts) ? hosts.join(', ') : 'api.kie.ai',
    });
  }
  const base = t(`errors.${error.code}`);
  const kie = error.details?.['kieMessage'];
  return typeof kie === 'string' && kie.trim() !== ''
    ? `${base} ${t('errors.detail', { message: kie })}`
    : base;
}
