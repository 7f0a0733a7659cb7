import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseButton } from '../../components/CloseButton';
import { useOverlay } from '../../components/useOverlay';
import { useCompare, type CompareItem } from '../../store/compare';
import { MIN_SCALE } from '../viewer/useZoom';
import { ComparePanes } from './ComparePanes';
import { CompareSlider } from './CompareSlider';
import { compareLayout, splitForKey } from './compareRules';
import { useCompareImages } from './useCompareImages';
import { useSharedZoom } from './useSharedZoom';
import './compare.css';

/** The compare view: open while the compare store holds 2–4 pictures. */
export function CompareView() {
  const items = useCompare((state) => state.items);
  return items ? <CompareBody items={items} /> : null;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

function CompareBody({ items }: { items: CompareItem[] }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const close = useCompare((state) => state.close);
  const pictures = useCompareImages(items);
  const [twoUp, setTwoUp] = useState<'slider' | 'sideBySide'>('slider');
  const [split, setSplit] = useState(50);
  const layout = compareLayout(items.length, twoUp);
  const rootRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const zoom = useSharedZoom(bodyRef, items.map((item) => item.imageId).join(','));
  const { scale, x, y } = zoom.state;
  const transform = `translate(${x}px, ${y}px) scale(${scale})`;

  // Only while the compare view is the topmost overlay (a question over it keeps its keys).
  const onKey = (event: KeyboardEvent) => {
    if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const moved = layout === 'slider' ? splitForKey(split, event.key, event.shiftKey) : null;
    if (moved !== null) setSplit(moved);
    else if (event.key === '+' || event.key === '=') zoom.zoomBy(1.25);
    else if (event.key === '-' || event.key === '_') zoom.zoomBy(0.8);
    else if (event.key === '0') zoom.reset();
    else if (event.key.toLowerCase() === 's' && items.length === 2)
      setTwoUp((current) => (current === 'slider' ? 'sideBySide' : 'slider'));
    else return;
    event.preventDefault();
  };
  useOverlay(rootRef, { onClose: close, initialFocus: closeRef, onKey });

  const factor = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(scale);
  const [before, after] = pictures;

  return (
    <div
      className="overlay compare-overlay"
      onMouseDown={(event) => event.target === event.currentTarget && close()}
    >
      <div
        ref={rootRef}
        className="compare-window"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid="compare-view"
        data-layout={layout}
        data-count={items.length}
      >
        <header className="compare-bar">
          <h2 id={titleId}>{t('compare.title', { count: items.length })}</h2>
          {items.length === 2 && (
            <div className="compare-toggle" role="group" aria-label={t('compare.layout')}>
              <button
                type="button"
                data-testid="compare-layout-slider"
                aria-pressed={twoUp === 'slider'}
                title={t('compare.layoutHint')}
                onClick={() => setTwoUp('slider')}
              >
                {t('compare.slider')}
              </button>
              <button
                type="button"
                data-testid="compare-layout-side"
                aria-pressed={twoUp === 'sideBySide'}
                title={t('compare.layoutHint')}
                onClick={() => setTwoUp('sideBySide')}
              >
                {t('compare.sideBySide')}
              </button>
            </div>
          )}
          <div className="compare-zoom" role="group" aria-label={t('compare.zoom')}>
            <button
              type="button"
              data-testid="compare-zoom-out"
              aria-label={t('viewer.zoomOut')}
              title={t('viewer.zoomOut')}
              onClick={() => zoom.zoomBy(0.8)}
            >
              −
            </button>
            <button
              type="button"
              className="zoom-level"
              data-testid="compare-zoom-reset"
              data-scale={scale.toFixed(2)}
              aria-label={scale > MIN_SCALE ? t('compare.zoomedBy', { factor }) : t('viewer.zoomFitted')}
              title={t('viewer.zoomReset')}
              onClick={zoom.reset}
            >
              {scale > MIN_SCALE ? `×${factor}` : t('viewer.zoomFit')}
            </button>
            <button
              type="button"
              data-testid="compare-zoom-in"
              aria-label={t('viewer.zoomIn')}
              title={t('viewer.zoomIn')}
              onClick={() => zoom.zoomBy(1.25)}
            >
              +
            </button>
          </div>
          <CloseButton
            ref={closeRef}
            label={t('compare.close')}
            testId="compare-close"
            onClick={close}
            className="icon-button compare-close"
          />
        </header>
        <div
          ref={bodyRef}
          className="compare-body"
          data-testid="compare-body"
          data-scale={scale.toFixed(2)}
          data-x={Math.round(x)}
          data-y={Math.round(y)}
        >
          {layout === 'slider' && before && after ? (
            <CompareSlider
              before={before}
              after={after}
              split={split}
              setSplit={setSplit}
              zoom={zoom}
              transform={transform}
            />
          ) : (
            <ComparePanes pictures={pictures} zoom={zoom} transform={transform} />
          )}
        </div>
      </div>
    </div>
  );
}
