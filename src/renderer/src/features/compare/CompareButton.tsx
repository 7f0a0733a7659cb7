import { useTranslation } from 'react-i18next';
import { canCompare } from './compareRules';
import { compareSelection } from './openCompare';

/** The selection bar's Compare: on for 2–4 selected images (C does the same in the grid). */
export function CompareButton({ count }: { count: number }) {
  const { t } = useTranslation();
  const enabled = canCompare(count);
  return (
    <button
      type="button"
      data-testid="bulk-compare"
      className="bar-icon-button"
      aria-label={t('compare.open')}
      disabled={!enabled}
      title={enabled ? t('compare.selectionHint') : t('compare.needs')}
      onClick={() => compareSelection()}
    >
      <span aria-hidden="true">⇆</span>
      <span className="bar-label">{t('compare.open')}</span>
    </button>
  );
}
