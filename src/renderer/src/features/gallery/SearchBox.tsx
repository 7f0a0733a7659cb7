import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { overlayAllowsKey } from '../../components/useOverlay';
import { useGallery } from '../../store/gallery';

/** Full-text search over prompts, tags, album names and models; Ctrl/Cmd+F focuses it. */
export function SearchBox() {
  const { t } = useTranslation();
  const draft = useGallery((state) => state.searchDraft);
  const setDraft = useGallery((state) => state.setSearchDraft);
  const ref = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
        if (!overlayAllowsKey('page')) return;
        event.preventDefault();
        ref.current?.focus();
        ref.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <input
      ref={ref}
      type="search"
      className="gallery-search"
      data-testid="gallery-search"
      value={draft}
      placeholder={t('filters.searchPlaceholder')}
      aria-label={t('filters.search')}
      title={t('filters.searchShortcut')}
      onChange={(event) => setDraft(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && draft !== '') {
          event.preventDefault();
          event.stopPropagation();
          useGallery.getState().setQuery({ text: undefined });
        }
      }}
    />
  );
}
