import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useJobImages } from '../../store/jobImages';
import { useViewer } from '../../store/viewer';
import { useCardTabIndex } from './cardFocus';

/** Shown on a card; a job of more images says how many more it has. */
const SHOWN = 4;

/** A finished job's images, each opening in the viewer: the card's link to its results. */
export function JobImages({ ids }: { ids: string[] }) {
  const { t } = useTranslation();
  const tabIndex = useCardTabIndex();
  const byId = useJobImages((state) => state.byId);
  const resolve = useJobImages((state) => state.resolve);
  // Asked for again whenever some are unknown (first shown, or the gallery was reset).
  const missing = ids.filter((id) => !(id in byId)).join(',');
  useEffect(() => {
    if (missing !== '') void resolve(missing.split(','));
  }, [missing, resolve]);
  return (
    <ul className="job-images" data-testid="job-images" aria-label={t('jobs.images', { count: ids.length })}>
      {ids.slice(0, SHOWN).map((id, index) => {
        const image = byId[id];
        const label = t('jobs.openImage', { number: index + 1 });
        return (
          <li key={id}>
            <button
              type="button"
              className="job-image"
              data-testid="job-image"
              data-image-id={id}
              data-gone={image === null}
              tabIndex={tabIndex}
              disabled={image === null}
              title={image === null ? t('jobs.imageGone') : label}
              aria-label={image === null ? t('jobs.imageGone') : label}
              onClick={() => image && useViewer.getState().open(id, image)}
            >
              {image ? <img src={image.thumbUrl} alt="" /> : <span aria-hidden="true">{index + 1}</span>}
            </button>
          </li>
        );
      })}
      {ids.length > SHOWN && <li className="job-images-more">+{ids.length - SHOWN}</li>}
    </ul>
  );
}
