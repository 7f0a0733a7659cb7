import type { TFunction } from 'i18next';
import { useCompare } from '../../store/compare';
import { useGallery } from '../../store/gallery';
import { idsOf } from '../../store/galleryPages';
import { selectedInOrder, useSelection } from '../../store/selection';
import { useToasts } from '../../store/toasts';
import { canCompare } from './compareRules';

/** An image over the one it was made from: the original first, so the slider reveals the edit. */
export function compareWithParent(t: TFunction, parentId: string, imageId: string): void {
  useCompare.getState().open([
    { imageId: parentId, caption: t('compare.original') },
    { imageId, caption: t('compare.result') },
  ]);
}

/** The gallery's selection in display order, when it is 2–4 images; else a hint says so. */
export function compareSelection(): boolean {
  const ids = selectedInOrder(useSelection.getState(), idsOf(useGallery.getState().items));
  if (!canCompare(ids.length)) {
    useToasts.getState().show({ kind: 'compareNeeds' });
    return false;
  }
  useCompare.getState().open(ids.map((imageId) => ({ imageId })));
  return true;
}
