import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_BULK_IDS } from '@shared/ipc/galleryRoutes';
import { Popover } from '../../components/Popover';
import { SelectField } from '../../components/SelectField';
import { useGallery } from '../../store/gallery';
import {
  exportImages,
  forgetImages,
  removeFromAlbum,
  selectAllMatching,
  setFavourite,
  setRating,
  trashImages,
} from '../../store/galleryActions';
import { idsOf } from '../../store/galleryPages';
import { selectedInOrder, useSelection } from '../../store/selection';
import { useSelectionBar } from '../../store/selectionBar';
import { AlbumPicker } from './AlbumPicker';
import { TagPicker } from './TagPicker';
import { CloseButton } from '../../components/CloseButton';
import { CompareButton } from '../compare/CompareButton';

/**
 * Tells the grid and the toasts how much of the gallery's bottom the bar takes, whenever its
 * size changes (it wraps when the window is narrow), and that it took none once it is gone.
 */
function useRoomReport(): (node: HTMLDivElement | null) => (() => void) | undefined {
  return useCallback((node: HTMLDivElement | null) => {
    if (!node) return undefined;
    const { setRoom } = useSelectionBar.getState();
    const report = () =>
      setRoom(Math.ceil(node.offsetHeight + (parseFloat(getComputedStyle(node).bottom) || 0)));
    const observer = new ResizeObserver(report);
    observer.observe(node);
    report();
    return () => {
      observer.disconnect();
      setRoom(0);
    };
  }, []);
}

/** The selected ids in display order; read at click time so the bar need not re-render on scroll. */
function currentIds(): string[] {
  return selectedInOrder(useSelection.getState(), idsOf(useGallery.getState().items));
}

export function SelectionBar() {
  const { t, i18n } = useTranslation();
  const selected = useSelection((state) => state.selected);
  const count = selected.size;
  const clear = useSelection((state) => state.clear);
  const albumId = useGallery((state) => state.query.albumId);
  // Offered once everything loaded is selected and more images match than are loaded.
  const moreToSelect = useGallery((state) =>
    state.total !== null && count < Math.min(state.total, MAX_BULK_IDS) && count >= state.items.length
      ? Math.min(state.total, MAX_BULK_IDS)
      : null,
  );
  const measure = useRoomReport();
  const anyMissing = useGallery(
    (state) => count > 0 && state.items.some((item) => item.status === 'missing' && selected.has(item.id)),
  );
  if (count === 0) return null;
  return (
    <div ref={measure} className="selection-dock">
      <div
        className="selection-bar"
        role="toolbar"
        aria-label={t('selection.label')}
        data-testid="selection-bar"
      >
        <span className="selection-count" data-testid="selection-count" data-count={count} aria-live="polite">
          {t('selection.count', { count: new Intl.NumberFormat(i18n.language).format(count) })}
        </span>
        {moreToSelect !== null && (
          <button
            type="button"
            className="link-button"
            data-testid="select-all-matching"
            onClick={() => void selectAllMatching()}
          >
            {t('selection.selectAllMatching', {
              count: new Intl.NumberFormat(i18n.language).format(moreToSelect),
            })}
          </button>
        )}
        <CompareButton count={count} />
        <button
          type="button"
          className="bar-icon-button"
          data-testid="bulk-favourite"
          title={t('selection.favourite')}
          onClick={() => void setFavourite(currentIds(), true)}
        >
          <span className="fav-mark" aria-hidden="true">
            ♥
          </span>
          <span className="bar-label">{t('selection.favourite')}</span>
        </button>
        <button
          type="button"
          className="bar-icon-button"
          data-testid="bulk-unfavourite"
          title={t('selection.unfavourite')}
          onClick={() => void setFavourite(currentIds(), false)}
        >
          <span aria-hidden="true">♡</span>
          <span className="bar-label">{t('selection.unfavourite')}</span>
        </button>
        <SelectField<number | ''>
          hideLabel
          label={t('selection.rate')}
          testId="bulk-rating"
          value=""
          options={[
            { value: '', label: t('selection.rate') },
            ...[5, 4, 3, 2, 1].map((rating) => ({ value: rating, label: '★'.repeat(rating) })),
            { value: 0, label: t('rating.clear') },
          ]}
          onChange={(rating) => {
            if (rating !== '') void setRating(currentIds(), rating);
          }}
        />
        <Popover testId="bulk-album" label={t('selection.album')} ariaLabel={t('selection.album')}>
          {(close) => <AlbumPicker ids={currentIds} onDone={close} />}
        </Popover>
        <Popover testId="bulk-tag" label={t('selection.tag')} ariaLabel={t('selection.tag')}>
          {(close) => <TagPicker ids={currentIds} onDone={close} />}
        </Popover>
        {albumId !== undefined && (
          <button
            type="button"
            data-testid="bulk-album-remove"
            onClick={() => void removeFromAlbum(albumId, currentIds())}
          >
            {t('selection.removeFromAlbum')}
          </button>
        )}
        <button type="button" data-testid="bulk-export" onClick={() => void exportImages(currentIds())}>
          {t('selection.export')}
        </button>
        {anyMissing && (
          <button
            type="button"
            data-testid="bulk-forget"
            onClick={() => {
              const selected = new Set(currentIds());
              const missing = useGallery
                .getState()
                .items.filter((item) => item.status === 'missing' && selected.has(item.id))
                .map((item) => item.id);
              void forgetImages(missing);
            }}
          >
            {t('gallery.forget')}
          </button>
        )}
        <button
          type="button"
          className="danger-button"
          data-testid="bulk-trash"
          onClick={() => void trashImages(currentIds())}
        >
          {t('selection.trash')}
        </button>
        <CloseButton label={t('selection.clear')} testId="selection-clear" onClick={clear} />
      </div>
    </div>
  );
}
