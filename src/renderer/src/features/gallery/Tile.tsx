import { memo, type DragEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { GalleryImage } from '@shared/domain/image';
import { api } from '../../ipc/api';
import { runsInElectron } from '../../ipc/pickBridge';
import { useGallery } from '../../store/gallery';
import { dragIds, forgetImages, setFavourite } from '../../store/galleryActions';
import { idsOf } from '../../store/galleryPages';
import { noteGalleryDrag } from '../../store/referenceActions';
import { DRAG_IMAGE_MIME } from '../../store/referenceRules';
import { useLibrary } from '../../store/library';
import { useSelection } from '../../store/selection';
import { toastError } from '../../store/toasts';
import { useViewer } from '../../store/viewer';
import { TileRunActions } from '../runs/TileRunActions';

/** The DOM id of a tile, for the grid's aria-activedescendant. */
export function tileDomId(id: string): string {
  return `tile-${id}`;
}

function onClick(id: string, event: MouseEvent) {
  useSelection.getState().click(id, idsOf(useGallery.getState().items), {
    range: event.shiftKey,
    toggle: event.ctrlKey || event.metaKey,
  });
}

const MIME: Record<GalleryImage['format'], string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

function onDragStart(id: string, event: DragEvent) {
  const ids = dragIds(id);
  const wanted = new Set(ids);
  const dragged = useGallery.getState().items.filter((item) => wanted.has(item.id));
  const urls = dragged.map((item) => new URL(item.url, window.location.href).href);
  event.dataTransfer.effectAllowed = 'copy';
  event.dataTransfer.setData('text/uri-list', urls.join('\r\n'));
  event.dataTransfer.setData('text/plain', urls.join('\n'));
  // Dropped on the window, the tiles become references (staged from the library, for lineage).
  event.dataTransfer.setData(DRAG_IMAGE_MIME, ids.join('\n'));
  // In Electron the main process starts a native file drag instead of the browser's; its files,
  // dropped back onto the window, are recognised as these images.
  if (runsInElectron()) {
    noteGalleryDrag(ids);
    event.preventDefault();
    void api()
      .request('gallery.startDrag', { ids })
      .then((result) => {
        if (!result.ok) toastError(result.error);
      });
    return;
  }
  // A browser cannot drag files it does not have; Chromium's DownloadURL makes the drop on the
  // desktop or a folder save the picture itself (one file: the type holds a single URL).
  const first = dragged.find((item) => item.id === id) ?? dragged[0];
  if (first) {
    const href = new URL(first.url, window.location.href).href;
    const name = first.fileName.replace(/:/g, '_');
    event.dataTransfer.setData('DownloadURL', `${MIME[first.format]}:${name}:${href}`);
  }
}

export const Tile = memo(function Tile({ image }: { image: GalleryImage }) {
  const { t } = useTranslation();
  const selected = useSelection((state) => state.selected.has(image.id));
  const focused = useSelection((state) => state.focus === image.id);
  const missing = image.status === 'missing';
  return (
    <div
      role="gridcell"
      id={tileDomId(image.id)}
      className={missing ? 'tile tile-missing' : 'tile'}
      data-testid="gallery-item"
      data-image-id={image.id}
      data-selected={selected}
      data-focused={focused}
      data-status={image.status}
      data-favourite={image.favourite}
      data-rating={image.rating}
      aria-selected={selected}
      aria-label={image.params.prompt}
      title={image.params.prompt}
      draggable={!missing}
      onClick={(event) => onClick(image.id, event)}
      onDoubleClick={() => useViewer.getState().open(image.id)}
      onDragStart={(event) => onDragStart(image.id, event)}
    >
      <img
        src={image.thumbUrl}
        alt=""
        loading="lazy"
        decoding="async"
        draggable={false}
        onError={(event) => event.currentTarget.classList.add('img-failed')}
      />
      <span className="tile-caption">{image.params.prompt}</span>
      <span className="tile-badges">
        {image.demo && <span className="badge badge-demo">{t('gallery.demoTag')}</span>}
        {image.origin === 'imported' && (
          <span className="badge badge-imported">{t('gallery.importedTag')}</span>
        )}
        {missing && <span className="badge badge-missing">{t('gallery.missingTag')}</span>}
      </span>
      <button
        type="button"
        tabIndex={-1}
        className={image.favourite ? 'tile-star tile-star-on' : 'tile-star'}
        data-testid="tile-favourite"
        aria-pressed={image.favourite}
        aria-label={t('gallery.favouriteToggle')}
        title={image.favourite ? t('gallery.unfavourite') : t('gallery.favourite')}
        onClick={(event) => {
          event.stopPropagation();
          void setFavourite([image.id], !image.favourite);
        }}
        onDoubleClick={(event) => event.stopPropagation()}
      >
        {image.favourite ? '♥' : '♡'}
      </button>
      <TileRunActions image={image} />
      {image.rating > 0 && (
        <span className="tile-rating" aria-label={t('gallery.ratingValue', { rating: image.rating })}>
          {'★'.repeat(image.rating)}
        </span>
      )}
      {missing && <MissingActions id={image.id} />}
    </div>
  );
});

function MissingActions({ id }: { id: string }) {
  const { t } = useTranslation();
  const rescanning = useLibrary((state) => state.rescanning);
  return (
    <span className="tile-missing-actions" onDoubleClick={(event) => event.stopPropagation()}>
      <button
        type="button"
        tabIndex={-1}
        data-testid="tile-forget"
        onClick={(event) => {
          event.stopPropagation();
          void forgetImages([id]);
        }}
      >
        {t('gallery.forget')}
      </button>
      <button
        type="button"
        tabIndex={-1}
        data-testid="tile-rescan"
        disabled={rescanning}
        onClick={(event) => {
          event.stopPropagation();
          void useLibrary.getState().rescan();
        }}
      >
        {t('library.rescan')}
      </button>
    </span>
  );
}
