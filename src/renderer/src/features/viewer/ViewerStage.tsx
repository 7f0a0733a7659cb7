import { useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { GalleryImage } from '@shared/domain/image';
import { useViewer } from '../../store/viewer';
import { compareWithParent } from '../compare/openCompare';
import { fromCentre, zoomLevel, type Size, type Zoom } from './useZoom';

interface StageProps {
  ref: Ref<HTMLDivElement>;
  image: GalleryImage;
  zoom: Zoom;
}

/** The image, zoomable and pannable; "Compare with original" opens it over its parent in the compare view. */
export function ViewerStage({ ref, image, zoom }: StageProps) {
  const { t } = useTranslation();
  const parent = useViewer((state) =>
    state.detail?.image.id === image.id ? (state.detail.parents[0] ?? null) : null,
  );
  const { scale, x, y } = zoom.state;
  // The file's own size once it has loaded; the index's until then.
  const [loaded, setLoaded] = useState<{ id: string; size: Size } | null>(null);
  const natural = loaded?.id === image.id ? loaded.size : { width: image.width, height: image.height };

  return (
    <div
      ref={ref}
      className={scale > 1 ? 'viewer-stage zoomed' : 'viewer-stage'}
      data-testid="viewer-stage"
      data-scale={scale.toFixed(2)}
      onDoubleClick={(event) => zoom.toggle(fromCentre(event.currentTarget, event.clientX, event.clientY))}
      {...zoom.pointer}
    >
      <img
        src={image.url}
        alt={image.params.prompt}
        data-testid="viewer-image"
        draggable={false}
        style={{ transform: `translate(${x}px, ${y}px) scale(${scale})` }}
        onLoad={(event) =>
          setLoaded({
            id: image.id,
            size: { width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight },
          })
        }
      />
      <div
        className="stage-tools"
        onDoubleClick={(event) => event.stopPropagation()}
        onPointerDown={(event) => event.stopPropagation()}
      >
        {parent !== null && (
          <button
            type="button"
            data-testid="viewer-compare"
            title={t('viewer.compareHint')}
            onClick={() => compareWithParent(t, parent.id, image.id)}
          >
            {t('viewer.compare')}
          </button>
        )}
        <button
          type="button"
          data-testid="viewer-zoom-out"
          aria-label={t('viewer.zoomOut')}
          title={t('viewer.zoomOut')}
          onClick={() => zoom.zoomBy(0.8)}
        >
          −
        </button>
        <ZoomLevelButton level={zoomLevel(scale, natural, zoom.stage)} onClick={zoom.reset} />
        <button
          type="button"
          data-testid="viewer-zoom-in"
          aria-label={t('viewer.zoomIn')}
          title={t('viewer.zoomIn')}
          onClick={() => zoom.zoomBy(1.25)}
        >
          +
        </button>
      </div>
      {image.status === 'missing' && (
        <div className="stage-missing" role="status">
          {t('viewer.missingFile')}
        </div>
      )}
    </div>
  );
}

/** "Fit" when fitted, else the real percentage of the picture's size; a click fits it again. */
function ZoomLevelButton({ level, onClick }: { level: 'fit' | number | null; onClick(): void }) {
  const { t, i18n } = useTranslation();
  const percent =
    typeof level === 'number'
      ? new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(level)
      : '…';
  return (
    <button
      type="button"
      className="zoom-level"
      data-testid="viewer-zoom-reset"
      data-level={level === 'fit' ? 'fit' : percent}
      aria-label={level === 'fit' ? t('viewer.zoomFitted') : t('viewer.zoomAt', { percent })}
      title={t('viewer.zoomReset')}
      onClick={onClick}
    >
      {level === 'fit' ? t('viewer.zoomFit') : percent}
    </button>
  );
}
