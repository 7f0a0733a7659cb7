import { i18n } from '../../i18n';
import { useAgain } from '../../store/again';
import { useGallery } from '../../store/gallery';
import { idsOf } from '../../store/galleryPages';
import { selectedInOrder, useSelection } from '../../store/selection';
import { openRun } from '../runs/openRun';
import { compareSelection } from './openCompare';

/**
 * C in the gallery grid: compares the 2–4 selected images; with one picture of an A/B run
 * selected (or only focused), opens that run as a compare board.
 */
export function compareKey(): void {
  const selection = useSelection.getState();
  const { items } = useGallery.getState();
  const ids = selectedInOrder(selection, idsOf(items));
  if (ids.length <= 1) {
    const id = ids[0] ?? selection.focus;
    const run = items.find((item) => item.id === id)?.params.run;
    if (run) {
      void openRun(i18n.t.bind(i18n), run.id);
      return;
    }
  }
  compareSelection();
}

/** A in the gallery grid: "Again ×N" for the focused picture. */
export function againKey(id: string): void {
  const image = useGallery.getState().items.find((item) => item.id === id);
  if (image) useAgain.getState().open(image);
}
