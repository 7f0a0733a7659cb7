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
      disabled={!enabled}
      title={enabled ? t('compare.selectionHint') : t('compare.needs')}
      onClick={() => compareSelection()}
    >
      {t('compare.open')}
    </button>
  );
}
