import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { MODELS } from '@shared/domain/models';
import { useGallery, useUi } from '../../store/stores';

export function Viewer() {
  const { t, i18n } = useTranslation();
  const imageId = useUi((state) => state.viewerImageId);
  const openViewer = useUi((state) => state.openViewer);
  const image = useGallery((state) => state.items.find((item) => item.id === imageId) ?? null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!image) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') openViewer(null);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, [image, openViewer]);

  if (!image) return null;
  const created = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(image.createdAt),
  );
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-label={image.params.prompt}
      data-testid="viewer"
    >
      <div className="viewer">
        <img src={image.url} alt={image.params.prompt} />
        <aside className="viewer-info">
          <button
            ref={closeRef}
            type="button"
            className="icon-button viewer-close"
            data-testid="viewer-close"
            aria-label={t('viewer.close')}
            onClick={() => openViewer(null)}
          >
            ×
          </button>
          <dl>
            <dt>{t('viewer.prompt')}</dt>
            <dd className="viewer-prompt">{image.params.prompt}</dd>
            <dt>{t('viewer.model')}</dt>
            <dd>
              {t(`models.${MODELS[image.params.model].labelKey}`)}
              {image.demo && <span className="badge badge-demo">{t('gallery.demoTag')}</span>}
            </dd>
            <dt>{t('viewer.size')}</dt>
            <dd>
              {image.width} × {image.height} ·{' '}
              {new Intl.NumberFormat(i18n.language, {
                style: 'unit',
                unit: 'kilobyte',
                maximumFractionDigits: 0,
              }).format(image.bytes / 1024)}
            </dd>
            <dt>{t('viewer.created')}</dt>
            <dd>{created}</dd>
            <dt>{t('viewer.file')}</dt>
            <dd className="viewer-file">{image.fileName}</dd>
          </dl>
        </aside>
      </div>
    </div>
  );
}
