import { MIN_SCALE } from '../viewer/useZoom';
import { PictureImage, PictureNote } from './PictureNote';
import { PANE_ATTRIBUTE, type SharedZoom } from './useSharedZoom';
import type { ComparePicture } from './useCompareImages';

interface PanesProps {
  pictures: readonly ComparePicture[];
  zoom: SharedZoom;
  transform: string;
}

/**
 * Two pictures side by side, or a board of three or four: each fitted into a box of the same
 * size, zoomed and panned together, with its caption and pixel size under it.
 */
export function ComparePanes({ pictures, zoom, transform }: PanesProps) {
  return (
    <div
      className={`compare-panes compare-panes-${pictures.length}`}
      data-testid="compare-panes"
      {...zoom.pointer}
      onPointerCancel={zoom.pointer.onPointerUp}
    >
      {pictures.map((picture, index) => (
        <figure
          key={`${index}-${picture.item.imageId}`}
          className="compare-pane"
          data-testid="compare-pane"
          data-image-id={picture.item.imageId}
        >
          <div
            className={zoom.state.scale > MIN_SCALE ? 'compare-pane-stage zoomed' : 'compare-pane-stage'}
            {...{ [PANE_ATTRIBUTE]: '' }}
          >
            <PictureImage picture={picture} transform={transform} />
          </div>
          <figcaption>
            <PictureNote picture={picture} scale={zoom.state.scale} pane={zoom.pane} />
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
