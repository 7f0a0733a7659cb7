import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { GalleryImage } from '@shared/domain/image';
import { useOverlay } from '../../components/useOverlay';
import { useGallery } from '../../store/gallery';
import { trashImages } from '../../store/galleryActions';
import { useViewer, useViewerImage } from '../../store/viewer';
import { compareWithParent } from '../compare/openCompare';
import { useAgain } from '../../store/again';
import { ViewerSidebar } from './ViewerSidebar';
import { ViewerStage } from './ViewerStage';
import { useZoom } from './useZoom';

export function Viewer() {
  const image = useViewerImage();
  return image ? <ViewerBody image={image} /> : null;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

function ViewerBody({ image }: { image: GalleryImage }) {
  const { t } = useTranslation();
  const close = useViewer((state) => state.close);
  const step = useViewer((state) => state.step);
  const index = useGallery((state) => state.items.findIndex((item) => item.id === image.id));
  const count = useGallery((state) => state.items.length);
  const hasMore = useGallery((state) => state.hasMore);
  const hasPrev = index > 0;
  const hasNext = index >= 0 && (index < count - 1 || hasMore);
  const stageRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const zoom = useZoom(stageRef, image.id);
  const { zoomBy, reset } = zoom;

  const rootRef = useRef<HTMLDivElement>(null);

  // Only while the viewer is the topmost overlay: a sheet or question over it keeps its keys.
  const onKey = (event: KeyboardEvent) => {
    if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'ArrowRight') void step(1);
    else if (event.key === 'ArrowLeft') void step(-1);
    else if (event.key === '+' || event.key === '=') zoomBy(1.25);
    else if (event.key === '-' || event.key === '_') zoomBy(0.8);
    else if (event.key === '0') reset();
    else if (event.key === 'Delete') void trashImages([image.id]);
    else if (event.key.toLowerCase() === 'c') {
      const detail = useViewer.getState().detail;
      const parent = detail?.image.id === image.id ? detail.parents[0] : undefined;
      if (!parent) return;
      compareWithParent(t, parent.id, image.id);
    } else if (event.key.toLowerCase() === 'a') useAgain.getState().open(image);
    else return;
    event.preventDefault();
  };
  useOverlay(rootRef, { onClose: close, initialFocus: closeRef, onKey });

  return (
    <div
      ref={rootRef}
      className="overlay"
      role="dialog"
      aria-modal="true"
      tabIndex={-1}
      aria-label={image.params.prompt}
      data-testid="viewer"
      data-image-id={image.id}
    >
      <div className="viewer">
        <div className="viewer-main">
          <ViewerStage ref={stageRef} image={image} zoom={zoom} />
          <button
            type="button"
            className="viewer-nav viewer-nav-prev"
            data-testid="viewer-prev"
            aria-label={t('viewer.previous')}
            title={t('viewer.previous')}
            disabled={!hasPrev}
            onClick={() => void step(-1)}
          >
            ‹
          </button>
          <button
            type="button"
            className="viewer-nav viewer-nav-next"
            data-testid="viewer-next"
            aria-label={t('viewer.next')}
            title={t('viewer.next')}
            disabled={!hasNext}
            onClick={() => void step(1)}
          >
            ›
          </button>
        </div>
        <ViewerSidebar image={image} closeRef={closeRef} />
      </div>
    </div>
  );
}
