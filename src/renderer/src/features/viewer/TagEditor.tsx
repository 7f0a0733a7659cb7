import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { tagImages } from '../../store/galleryActions';
import { useViewer } from '../../store/viewer';

/** The open image's tags: remove one with its ×, add one by typing it. */
export function TagEditor({ imageId }: { imageId: string }) {
  const { t } = useTranslation();
  const tags = useViewer((state) => (state.detail?.image.id === imageId ? state.detail.tags : null));
  const [draft, setDraft] = useState('');
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const name = draft.trim();
    if (name === '') return;
    if (await tagImages([imageId], { add: [name], remove: [] })) setDraft('');
  };
  return (
    <section className="viewer-section" data-testid="viewer-tags" aria-label={t('tags.title')}>
      <h3>{t('tags.title')}</h3>
      <div className="tag-list">
        {(tags ?? []).map((tag) => (
          <button
            key={tag}
            type="button"
            className="chip"
            data-testid="viewer-tag"
            aria-label={t('tags.removeOne', { tag })}
            title={t('tags.removeOne', { tag })}
            onClick={() => void tagImages([imageId], { add: [], remove: [tag] })}
          >
            {tag} <span aria-hidden="true">×</span>
          </button>
        ))}
        {tags !== null && tags.length === 0 && <span className="muted">{t('tags.none')}</span>}
      </div>
      <form className="tag-form" onSubmit={(event) => void add(event)}>
        <input
          type="text"
          data-testid="viewer-tag-input"
          aria-label={t('tags.name')}
          placeholder={t('tags.name')}
          maxLength={64}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" disabled={draft.trim() === ''} data-testid="viewer-tag-add">
          {t('tags.add')}
        </button>
      </form>
    </section>
  );
}
