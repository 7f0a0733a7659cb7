import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { GalleryImage } from '@shared/domain/image';
import { useReferenceCache } from '../../store/referenceCache';
import { useViewer } from '../../store/viewer';

/** Images this one was made from, and images made from it; click one to open it. */
export function Lineage({ imageId }: { imageId: string }) {
  const { t } = useTranslation();
  const detail = useViewer((state) => (state.detail?.image.id === imageId ? state.detail : null));
  const referenceIds = detail?.image.params.references ?? NO_IDS;
  if (!detail || detail.parents.length + detail.children.length + referenceIds.length === 0) return null;
  return (
    <section className="viewer-section" data-testid="viewer-lineage" aria-label={t('viewer.lineage')}>
      <h3>{t('viewer.lineage')}</h3>
      {referenceIds.length > 0 && <ReferenceRow ids={referenceIds} />}
      {detail.parents.length > 0 && <LineageRow label={t('viewer.parents')} images={detail.parents} />}
      {detail.children.length > 0 && <LineageRow label={t('viewer.children')} images={detail.children} />}
    </section>
  );
}

const NO_IDS: readonly string[] = [];

/**
 * The reference images the image was made from, in the order KIE got them — dropped files as
 * well as gallery images (those also show, clickable, under parents).
 */
function ReferenceRow({ ids }: { ids: readonly string[] }) {
  const { t } = useTranslation();
  const byId = useReferenceCache((state) => state.byId);
  const resolve = useReferenceCache((state) => state.resolve);
  useEffect(() => {
    void resolve(ids);
  }, [ids, resolve]);
  const known = ids.flatMap((id) => (byId[id] ? [byId[id]] : []));
  if (known.length === 0) return null;
  return (
    <div className="lineage-row">
      <span className="field-label">{t('viewer.references')}</span>
      <ul className="lineage-list">
        {known.map((reference) => (
          <li key={reference.id}>
            <span className="lineage-thumb" data-testid="lineage-reference" title={reference.name}>
              <img src={reference.thumbUrl} alt={reference.name} loading="lazy" />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function LineageRow({ label, images }: { label: string; images: GalleryImage[] }) {
  const { t } = useTranslation();
  const open = useViewer((state) => state.open);
  return (
    <div className="lineage-row">
      <span className="field-label">{label}</span>
      <ul className="lineage-list">
        {images.map((image) => (
          <li key={image.id}>
            <button
              type="button"
              className="lineage-thumb"
              data-testid="lineage-item"
              data-image-id={image.id}
              aria-label={t('gallery.open', { prompt: image.params.prompt })}
              title={image.params.prompt}
              onClick={() => open(image.id, image)}
            >
              <img src={image.thumbUrl} alt="" loading="lazy" />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
