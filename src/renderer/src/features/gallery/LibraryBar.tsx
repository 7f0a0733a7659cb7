import { useTranslation } from 'react-i18next';
import { useGallery } from '../../store/gallery';
import { useLibrary } from '../../store/library';
import { useUi, type GalleryView } from '../../store/stores';

const VIEWS: GalleryView[] = ['library', 'albums', 'trash'];

/** Which part of the library is shown, its status, and the rescan button. */
export function LibraryBar() {
  const { t, i18n } = useTranslation();
  const view = useUi((state) => state.galleryView);
  const setView = useUi((state) => state.setGalleryView);
  const status = useLibrary((state) => state.status);
  const rescanning = useLibrary((state) => state.rescanning || (state.status?.scanning ?? false));
  const number = new Intl.NumberFormat(i18n.language);
  const labels: Record<GalleryView, string> = {
    library: t('library.viewAll'),
    albums: t('library.viewAlbums'),
    trash:
      status && status.trashed > 0
        ? t('library.viewTrashCount', { count: status.trashed })
        : t('library.viewTrash'),
  };
  return (
    <div className="library-bar">
      <div className="segmented" role="tablist" aria-label={t('library.views')}>
        {VIEWS.map((item) => (
          <button
            key={item}
            type="button"
            role="tab"
            aria-selected={view === item}
            data-testid={`view-${item}`}
            onClick={() => setView(item)}
          >
            {labels[item]}
          </button>
        ))}
      </div>
      <div className="library-status" data-testid="library-status" aria-live="polite">
        {status && (
          <>
            <span data-testid="library-count" data-count={status.images}>
              {t('library.images', { count: number.format(status.images) })}
            </span>
            {status.missing > 0 && (
              <button
                type="button"
                className="link-button missing-link"
                data-testid="library-missing"
                title={t('library.showMissing')}
                onClick={() => {
                  setView('library');
                  useGallery.getState().setQuery({ status: 'missing' });
                }}
              >
                {t('library.missing', { count: number.format(status.missing) })}
              </button>
            )}
          </>
        )}
        <button
          type="button"
          className="secondary"
          data-testid="library-rescan"
          disabled={rescanning}
          aria-busy={rescanning}
          title={status ? t('library.rescanHint', { folder: status.root }) : undefined}
          onClick={() => void useLibrary.getState().rescan()}
        >
          {rescanning ? t('library.rescanning') : t('library.rescan')}
        </button>
      </div>
    </div>
  );
}

/** Shown once after the index had to be rebuilt from the files. */
export function RebuiltNotice() {
  const { t } = useTranslation();
  const rebuilt = useLibrary((state) => (state.rebuiltSeen ? null : (state.status?.rebuilt ?? null)));
  const dismiss = useLibrary((state) => state.dismissRebuilt);
  if (!rebuilt) return null;
  return (
    <div className="banner banner-info" role="status" data-testid="library-rebuilt">
      <span>
        {t('library.rebuilt', { count: rebuilt.recovered })}{' '}
        {rebuilt.reason === 'corrupt' ? t('library.rebuiltCorrupt') : t('library.rebuiltMissing')}
      </span>
      <button type="button" className="link-button" onClick={dismiss}>
        {t('library.dismiss')}
      </button>
    </div>
  );
}
