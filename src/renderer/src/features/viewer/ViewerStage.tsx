import { useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { GalleryImage } from '@shared/domain/image';
import { useViewer } from '../../store/viewer';
import { fromCentre, zoomLevel, type Size, type Zoom } from './useZoom';

interface StageProps {
  ref: Ref<HTMLDivElement>;
  image: GalleryImage;
  zoom: Zoom;
}

/** The image, zoomable and pannable; or, when comparing, the image over its parent with a slider. */
export function ViewerStage({ ref, image, zoom }: StageProps) {
  const { t } = useTranslation();
  const parent = useViewer((state) =>
    state.detail?.image.id === image.id ? (state.detail.parents[0] ?? null) : null,
  );
  const [compare, setCompare] = useState<{ id: string; split: number } | null>(null);
  const comparing = parent !== null && compare?.id === image.id;
  const split = comparing ? compare.split : 50;
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
      onDoubleClick={(event) => {
        if (!comparing) zoom.toggle(fromCentre(event.currentTarget, event.clientX, event.clientY));
      }}
      {...(comparing ? {} : zoom.pointer)}
    >
      {comparing && parent ? (
        <div className="compare" data-testid="viewer-compare-view">
          <img src={parent.url} alt={t('viewer.parentAlt')} draggable={false} />
          <img
            src={image.url}
            alt={image.params.prompt}
            data-testid="viewer-image"
            draggable={false}
            style={{ clipPath: `inset(0 0 0 ${split}%)` }}
          />
          <span className="compare-line" style={{ left: `${split}%` }} aria-hidden="true" />
          <input
            type="range"
            className="compare-slider"
            data-testid="viewer-compare-slider"
            aria-label={t('viewer.compareSlider')}
            min={0}
            max={100}
            value={split}
            onChange={(event) => setCompare({ id: image.id, split: Number(event.target.value) })}
          />
        </div>
      ) : (
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
      )}
      <div
        className="stage-tools"
        onDoubleClick={(event) => event.stopPropagation()}
        onPointerDown={(event) => event.stopPropagation()}
      >
        {parent !== null && (
          <button
            type="button"
            data-testid="viewer-compare"
            aria-pressed={comparing}
            onClick={() => {
              zoom.reset();
              setCompare(comparing ? null : { id: image.id, split: 50 });
            }}
          >
            {t('viewer.compare')}
          </button>
        )}
        {!comparing && (
          <>
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
          </>
        )}
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
