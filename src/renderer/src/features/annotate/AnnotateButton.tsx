import { useTranslation } from 'react-i18next';
import type { StagedReference } from '@shared/domain/reference';
import { useAnnotate } from '../../store/annotate';

/** On a tray chip: opens the reference in the annotation editor (a marked copy with its marks). */
export function AnnotateButton({ reference, number }: { reference: StagedReference; number: number }) {
  const { t } = useTranslation();
  const open = useAnnotate((state) => state.open);
  const marked = reference.annotatedFrom !== undefined;
  const label = marked
    ? t('annotate.reopen', { number, name: reference.name })
    : t('annotate.open', { number, name: reference.name });
  return (
    <button
      type="button"
      className={marked ? 'reference-annotate reference-annotated' : 'reference-annotate'}
      data-testid="reference-annotate"
      data-annotated={marked ? 'true' : 'false'}
      aria-label={label}
      title={label}
      onClick={() => void open(reference)}
    >
      <svg viewBox="0 0 20 20" width="12" height="12" aria-hidden="true">
        <path
          d="M4 16 L5 12 L13 4 L16 7 L8 15 Z M11.5 5.5 L14.5 8.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinejoin="round"
        />
      </svg>
    </button>
  );
}
