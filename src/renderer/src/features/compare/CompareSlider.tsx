import { useRef, useState, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_SCALE } from '../viewer/useZoom';
import { splitAt } from './compareRules';
import { PictureImage, PictureNote } from './PictureNote';
import { PANE_ATTRIBUTE, type SharedZoom } from './useSharedZoom';
import type { ComparePicture } from './useCompareImages';

interface SliderProps {
  before: ComparePicture;
  after: ComparePicture;
  split: number;
  setSplit(split: number): void;
  zoom: SharedZoom;
  transform: string;
}

/**
 * Two pictures in one box, the second over the first and cut at the divider. Dragging moves the
 * divider while the pictures are fitted, and pans them while zoomed; the divider's own handle
 * always moves it. Both are fitted into the same box, so pictures of different ratios are each
 * centred in it and the divider cuts both at the same place on screen.
 */
export function CompareSlider({ before, after, split, setSplit, zoom, transform }: SliderProps) {
  const { t, i18n } = useTranslation();
  const stage = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState(false);

  const moveTo = (event: PointerEvent<HTMLElement>) => {
    const box = stage.current?.getBoundingClientRect();
    if (box) setSplit(splitAt(event.clientX, box));
  };
  const startSplitDrag = (event: PointerEvent<HTMLElement>) => {
    if (event.button !== 0) return;
    event.stopPropagation();
    event.currentTarget.setPointerCapture(event.pointerId);
    setDragging(true);
    moveTo(event);
  };
  const pointer = {
    onPointerDown(event: PointerEvent<HTMLDivElement>) {
      if (zoom.state.scale > MIN_SCALE) zoom.pointer.onPointerDown(event);
      else startSplitDrag(event);
    },
    onPointerMove(event: PointerEvent<HTMLDivElement>) {
      if (dragging) moveTo(event);
      else zoom.pointer.onPointerMove(event);
    },
    onPointerUp(event: PointerEvent<HTMLDivElement>) {
      if (dragging) {
        if (event.currentTarget.hasPointerCapture(event.pointerId)) {
          event.currentTarget.releasePointerCapture(event.pointerId);
        }
        setDragging(false);
      } else zoom.pointer.onPointerUp(event);
    },
  };
  const percent = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 }).format(split);

  return (
    <div className="compare-slider-wrap">
      <div
        ref={stage}
        className={zoom.state.scale > MIN_SCALE ? 'compare-slider-stage zoomed' : 'compare-slider-stage'}
        data-testid="compare-slider-stage"
        {...{ [PANE_ATTRIBUTE]: '' }}
        {...pointer}
        onPointerCancel={pointer.onPointerUp}
      >
        <div className="compare-layer">
          <PictureImage picture={before} transform={transform} />
        </div>
        <div className="compare-layer" style={{ clipPath: `inset(0 0 0 ${split}%)` }}>
          <PictureImage picture={after} transform={transform} />
        </div>
        <div
          className="compare-split"
          role="slider"
          tabIndex={0}
          data-testid="compare-split"
          data-split={split.toFixed(1)}
          aria-label={t('compare.divider')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(split)}
          aria-valuetext={t('compare.dividerAt', { percent })}
          style={{ left: `${split}%` }}
          onPointerDown={startSplitDrag}
        >
          <span className="compare-split-grip" aria-hidden="true">
            ⇔
          </span>
        </div>
      </div>
      <div className="compare-slider-notes">
        <PictureNote
          picture={before}
          scale={zoom.state.scale}
          pane={zoom.pane}
          className="compare-note compare-note-before"
        />
        <PictureNote
          picture={after}
          scale={zoom.state.scale}
          pane={zoom.pane}
          className="compare-note compare-note-after"
        />
      </div>
    </div>
  );
}
