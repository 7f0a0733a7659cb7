import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useGallery, useUi } from '../../store/stores';

export function Gallery() {
  const { t } = useTranslation();
  const { items, loaded, loading, hasMore, loadMore } = useGallery();
  const openViewer = useUi((state) => state.openViewer);
  const sentinel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const node = sentinel.current;
    if (!node) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void loadMore();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [loadMore, items.length]);

  return (
    <section className="gallery" aria-label={t('gallery.title')}>
      {loaded && items.length === 0 ? (
        <div className="gallery-empty" data-testid="gallery-empty">
          <div className="empty-art" aria-hidden="true" />
          <p className="empty-title">{t('gallery.empty')}</p>
          <p>{t('gallery.emptyHint')}</p>
        </div>
      ) : (
        <ul className="grid" data-testid="gallery-grid">
          {items.map((image) => (
            <li key={image.id} className="tile" data-testid="gallery-item" data-image-id={image.id}>
              <button
                type="button"
                className="tile-button"
                onClick={() => openViewer(image.id)}
                aria-label={t('gallery.open', { prompt: image.params.prompt })}
              >
                <img
                  src={image.url}
                  alt={image.params.prompt}
                  loading="lazy"
                  width={image.width}
                  height={image.height}
                />
                <span className="tile-caption">{image.params.prompt}</span>
                {image.demo && <span className="badge badge-demo tile-badge">{t('gallery.demoTag')}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {hasMore && (
        <div ref={sentinel} className="sentinel">
          {loading && t('gallery.loadMore')}
        </div>
      )}
    </section>
  );
}
