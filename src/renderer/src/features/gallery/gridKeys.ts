import type { KeyboardEvent } from 'react';
import type { Virtualizer } from '@tanstack/react-virtual';
import { useGallery } from '../../store/gallery';
import { actionIds, trashImages } from '../../store/galleryActions';
import { idsOf } from '../../store/galleryPages';
import { useSelection } from '../../store/selection';
import { useViewer } from '../../store/viewer';
import { againKey, compareKey } from '../compare/compareKeys';
import { moveIndex, rowOfItem, type GridLayout, type GridMove } from './layout';

const MOVES: Record<string, GridMove> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Home: 'home',
  End: 'end',
};

/**
 * The grid's keyboard: arrows move (and select, like a file manager; Ctrl/Cmd moves focus only,
 * Shift extends), Space toggles, Enter opens, Ctrl/Cmd+A selects all loaded, C compares the
 * selection (or opens the focused picture's A/B run), A makes the focused one again, Delete/Backspace moves to "Recently deleted", Esc clears the selection.
 */
export function gridKeyHandler(
  layout: GridLayout,
  rowHeight: number,
  virtualizer: Virtualizer<HTMLDivElement, Element>,
): (event: KeyboardEvent<HTMLDivElement>) => void {
  return (event) => {
    if (event.target !== event.currentTarget) return;
    const order = idsOf(useGallery.getState().items);
    const selection = useSelection.getState();
    const current = selection.focus === null ? -1 : order.indexOf(selection.focus);
    const command = event.ctrlKey || event.metaKey;
    const move = MOVES[event.key];
    if (move) {
      event.preventDefault();
      const viewport = virtualizer.scrollElement?.clientHeight ?? rowHeight;
      const next =
        current < 0 ? 0 : moveIndex(layout, current, move, Math.max(1, Math.floor(viewport / rowHeight)));
      const id = order[next];
      if (id === undefined) return;
      if (event.shiftKey) selection.moveFocus(id, order, true);
      else if (command) selection.moveFocus(id, order, false);
      else selection.click(id, order, { range: false, toggle: false });
      virtualizer.scrollToIndex(rowOfItem(layout, next), { align: 'auto' });
      return;
    }
    if (event.key === 'Enter' && selection.focus !== null) {
      event.preventDefault();
      useViewer.getState().open(selection.focus);
    } else if (event.key === ' ' && selection.focus !== null) {
      event.preventDefault();
      selection.toggle(selection.focus);
    } else if (command && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      selection.selectAll(order);
    } else if (!command && !event.altKey && event.key.toLowerCase() === 'c') {
      event.preventDefault();
      compareKey();
    } else if (!command && !event.altKey && event.key.toLowerCase() === 'a' && selection.focus !== null) {
      event.preventDefault();
      againKey(selection.focus);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      void trashImages(actionIds());
    } else if (event.key === 'Escape' && selection.selected.size > 0) {
      event.preventDefault();
      selection.clear();
    }
  };
}
