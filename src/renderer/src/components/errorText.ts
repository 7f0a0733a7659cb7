import type { TFunction } from 'i18next';
import type { WireError } from '@shared/ipc/result';

/** A plain-language line for an error value, in the user's language, with KIE's words when given. */
export function errorText(t: TFunction, error: WireError): string {
  if (error.code === 'UNAUTHORIZED' && error.details?.['reason'] === 'missing-key')
    return t('errors.missingKey');
  const base = t(`errors.${error.code}`);
  const kie = error.details?.['kieMessage'];
  return typeof kie === 'string' && kie.trim() !== ''
    ? `${base} ${t('errors.detail', { message: kie })}`
    : base;
}
