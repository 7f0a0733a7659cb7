import { useTranslation } from 'react-i18next';
import { useCompose } from '../../store/stores';

/**
 * Gallery images picked with "Use as reference". Image-to-image is a later release: they are
 * kept here, shown, and not sent yet.
 */
export function ReferenceChips() {
  const { t } = useTranslation();
  const references = useCompose((state) => state.references);
  const remove = useCompose((state) => state.removeReference);
  if (references.length === 0) return null;
  return (
    <div className="references" data-testid="compose-references">
      <span className="field-label">{t('compose.references')}</span>
      <ul className="reference-list">
        {references.map((reference, index) => (
          <li
            key={reference.id}
            className="reference-chip"
            data-testid="reference-chip"
            data-image-id={reference.id}
          >
            <img src={reference.thumbUrl} alt={t('compose.referenceAlt', { number: index + 1 })} />
            <button
              type="button"
              className="reference-remove"
              data-testid="reference-remove"
              aria-label={t('compose.referenceRemove', { number: index + 1 })}
              title={t('compose.referenceRemove', { number: index + 1 })}
              onClick={() => remove(reference.id)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <p className="help">{t('compose.referencesLater')}</p>
    </div>
  );
}
