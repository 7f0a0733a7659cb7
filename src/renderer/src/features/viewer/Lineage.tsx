import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { GalleryImage } from '@shared/domain/image';
import { useReferenceCache } from '../../store/referenceCache';
import { useViewer } from '../../store/viewer';
import { madeFrom } from './madeFrom';

const NO_IDS: readonly string[] = [];

/** "Made from" and "Used for": one row of same-sized thumbnails each; library images open on click. */
export function Lineage({ imageId }: { imageId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const detail = useViewer((state) => (state.detail?.image.id === imageId ? state.detail : null));
  const referenceIds = detail?.image.params.references ?? NO_IDS;
  const references = useReferenceCache((state) => state.byId);
  const resolve = useReferenceCache((state) => state.resolve);
  useEffect(() => {
    if (referenceIds.length > 0) void resolve(referenceIds);
  }, [referenceIds, resolve]);
  if (!detail) return null;
  const sources = madeFrom(referenceIds, references, detail.parents);
  if (sources.length + detail.children.length === 0) return null;
  return (
    <section className="viewer-section" data-testid="viewer-lineage" aria-label={t('viewer.lineage')}>
      {sources.length > 0 && (
        <>
          <h3 id={`${id}-from`}>{t('viewer.parents')}</h3>
          <ul className="lineage-list" aria-labelledby={`${id}-from`}>
            {sources.map((source) => (
              <li key={source.kind === 'image' ? `i:${source.image.id}` : `r:${source.reference.id}`}>
                {source.kind === 'image' ? (
                  <ImageThumb image={source.image} testId="lineage-reference" />
                ) : (
                  <span
                    className="lineage-thumb"
                    data-testid="lineage-reference"
                    title={source.reference.name}
                  >
                    <img src={source.reference.thumbUrl} alt={source.reference.name} loading="lazy" />
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {detail.children.length > 0 && (
        <>
          <h3 id={`${id}-for`}>{t('viewer.children')}</h3>
          <ul className="lineage-list" aria-labelledby={`${id}-for`}>
            {detail.children.map((child) => (
              <li key={child.id}>
                <ImageThumb image={child} testId="lineage-item" />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ImageThumb({ image, testId }: { image: GalleryImage; testId: string }) {
  const { t } = useTranslation();
  const open = useViewer((state) => state.open);
  return (
    <button
      type="button"
      className="lineage-thumb"
      data-testid={testId}
      data-image-id={image.id}
      aria-label={t('gallery.open', { prompt: image.params.prompt })}
      title={image.params.prompt}
      onClick={() => open(image.id, image)}
    >
      <img src={image.thumbUrl} alt="" loading="lazy" />
    </button>
  );
}
