import { useTranslation } from 'react-i18next';
import { errorText } from '../../components/errorText';
import { useGallery } from '../../store/gallery';
import { hasFilters } from '../../store/galleryPages';
import { useSettings } from '../../store/stores';
import { FilterBar } from './FilterBar';
import { FilterChips } from './FilterChips';
import { GalleryGrid } from './GalleryGrid';
import { SelectionBar } from './SelectionBar';
import { WelcomeCard, wantsWelcome } from './WelcomeCard';

/** All images: search and filters, the selection bar and the virtualized grid. */
export function LibraryView() {
  return (
    <>
      <FilterBar />
      <FilterChips />
      <SelectionBar />
      <NewImagesPill />
      <GridArea />
    </>
  );
}

function NewImagesPill() {
  const { t } = useTranslation();
  const pending = useGallery((state) => state.pendingNew);
  const reload = useGallery((state) => state.reload);
  if (pending === 0) return null;
  return (
    <button type="button" className="new-pill" data-testid="gallery-new" onClick={() => void reload()}>
      {t('gallery.newImages', { count: pending })}
    </button>
  );
}

function GridArea() {
  const { t } = useTranslation();
  const loaded = useGallery((state) => state.loaded);
  const empty = useGallery((state) => state.items.length === 0);
  const error = useGallery((state) => state.error);
  const filtered = useGallery((state) => hasFilters(state.query));
  const clearFilters = useGallery((state) => state.clearFilters);
  const demo = useSettings((state) => state.view?.demoMode ?? false);
  const hasKey = useSettings((state) => (state.view?.apiKeyHint ?? null) !== null);
  const welcome = useSettings((state) => (wantsWelcome(state.view) ? state.view : null));
  if (error && empty) {
    return (
      <div className="alert alert-error gallery-error" role="alert" data-testid="gallery-error">
        <p>{errorText(t, error)}</p>
        <button type="button" className="link-button" onClick={() => void useGallery.getState().reload()}>
          {t('gallery.retry')}
        </button>
      </div>
    );
  }
  if (loaded && empty && filtered) {
    return (
      <div className="gallery-empty" data-testid="gallery-no-results">
        <p className="empty-title">{t('gallery.noResults')}</p>
        <button type="button" className="link-button" onClick={clearFilters}>
          {t('filters.clearAll')}
        </button>
      </div>
    );
  }
  if (loaded && empty && welcome) {
    return (
      <div className="gallery-empty gallery-welcome" data-testid="gallery-empty">
        <WelcomeCard view={welcome} />
      </div>
    );
  }
  if (loaded && empty) {
    return (
      <div className="gallery-empty" data-testid="gallery-empty">
        <div className="empty-art" aria-hidden="true" />
        <p className="empty-title">{t('gallery.empty')}</p>
        <p data-testid="gallery-empty-hint">
          {demo ? t('gallery.emptyHintDemo') : hasKey ? t('gallery.emptyHintReady') : t('gallery.emptyHint')}
        </p>
      </div>
    );
  }
  return <GalleryGrid />;
}
