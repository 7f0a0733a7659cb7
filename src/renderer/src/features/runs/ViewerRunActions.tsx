import { useTranslation } from 'react-i18next';
import type { GalleryImage } from '@shared/domain/image';
import { canRunAgain, useAgain } from '../../store/again';
import { openRun } from './openRun';

/** The viewer's Again (A) and, for a picture of an A/B run, Open run. */
export function ViewerRunActions({ image }: { image: GalleryImage }) {
  const { t } = useTranslation();
  const run = image.params.run;
  return (
    <>
      <button
        type="button"
        data-testid="viewer-again"
        title={canRunAgain(image) ? t('runs.againHint') : t('runs.againNotOurs')}
        disabled={!canRunAgain(image)}
        onClick={() => useAgain.getState().open(image)}
      >
        {t('runs.again')}
      </button>
      {run && (
        <button type="button" data-testid="viewer-open-run" onClick={() => void openRun(t, run.id)}>
          {t('runs.openRun')}
        </button>
      )}
    </>
  );
}
