import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { GalleryImage } from '@shared/domain/image';
import { canRunAgain, useAgain } from '../../store/again';
import { openRun } from './openRun';
import { variantLetter, variantValue } from './runText';
import './runs.css';

const stop = (event: MouseEvent) => event.stopPropagation();

/**
 * A tile's Again (next to its heart, on hover) and, for a picture of an A/B run, the run's badge,
 * which opens the run as a compare board. The grid's keys do the same: A and C.
 */
export function TileRunActions({ image }: { image: GalleryImage }) {
  const { t } = useTranslation();
  const run = image.params.run;
  return (
    <>
      {canRunAgain(image) && (
        <button
          type="button"
          tabIndex={-1}
          className="tile-again"
          data-testid="tile-again"
          aria-label={t('runs.again')}
          title={t('runs.againHint')}
          onClick={(event) => {
            event.stopPropagation();
            useAgain.getState().open(image);
          }}
          onDoubleClick={stop}
        >
          ↻
        </button>
      )}
      {run && (
        <button
          type="button"
          tabIndex={-1}
          className="tile-run"
          data-testid="tile-run"
          data-run-id={run.id}
          title={t('runs.badgeHint', {
            letter: variantLetter(run.index),
            size: run.size,
            value: variantValue(t, run.vary, run.label),
          })}
          onClick={(event) => {
            event.stopPropagation();
            void openRun(t, run.id);
          }}
          onDoubleClick={stop}
        >
          {t('runs.badge', { letter: variantLetter(run.index) })}
        </button>
      )}
    </>
  );
}
