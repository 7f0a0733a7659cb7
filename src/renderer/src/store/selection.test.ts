import { describe, expect, it } from 'vitest';
import {
  EMPTY_SELECTION,
  clickSelect,
  moveFocus,
  pruneSelection,
  selectAll,
  selectedInOrder,
  type SelectionModel,
} from './selection';

const order = ['a', 'b', 'c', 'd', 'e', 'f'];
const plain = { range: false, toggle: false };
const shift = { range: true, toggle: false };
const ctrl = { range: false, toggle: true };
const both = { range: true, toggle: true };
const sorted = (state: SelectionModel) => [...state.selected].sort();

describe('selection', () => {
  it('a click selects one tile and sets the anchor', () => {
    const state = clickSelect(clickSelect(EMPTY_SELECTION, 'b', order, plain), 'd', order, plain);
    expect(sorted(state)).toEqual(['d']);
    expect(state.anchor).toBe('d');
    expect(state.focus).toBe('d');
  });

  it('Shift selects the range from the anchor, in either direction', () => {
    const anchored = clickSelect(EMPTY_SELECTION, 'c', order, plain);
    expect(sorted(clickSelect(anchored, 'e', order, shift))).toEqual(['c', 'd', 'e']);
    expect(sorted(clickSelect(anchored, 'a', order, shift))).toEqual(['a', 'b', 'c']);
  });

  it('a second Shift-click replaces the range but keeps the anchor', () => {
    let state = clickSelect(EMPTY_SELECTION, 'c', order, plain);
    state = clickSelect(state, 'f', order, shift);
    state = clickSelect(state, 'd', order, shift);
    expect(sorted(state)).toEqual(['c', 'd']);
    expect(state.anchor).toBe('c');
  });

  it('Ctrl/Cmd toggles one tile and moves the anchor', () => {
    let state = clickSelect(EMPTY_SELECTION, 'a', order, plain);
    state = clickSelect(state, 'c', order, ctrl);
    expect(sorted(state)).toEqual(['a', 'c']);
    state = clickSelect(state, 'a', order, ctrl);
    expect(sorted(state)).toEqual(['c']);
    expect(state.anchor).toBe('a');
  });

  it('Ctrl+Shift adds a range to the selection', () => {
    let state = clickSelect(EMPTY_SELECTION, 'a', order, plain);
    state = clickSelect(state, 'e', order, ctrl);
    state = clickSelect(state, 'f', order, both);
    expect(sorted(state)).toEqual(['a', 'e', 'f']);
  });

  it('Shift with no anchor (or one that left the view) selects just the tile', () => {
    expect(sorted(clickSelect(EMPTY_SELECTION, 'c', order, shift))).toEqual(['c']);
    const stale = { ...EMPTY_SELECTION, anchor: 'gone' };
    expect(sorted(clickSelect(stale, 'b', order, shift))).toEqual(['b']);
  });

  it('keyboard focus moves without selecting, and Shift extends from the anchor', () => {
    let state = clickSelect(EMPTY_SELECTION, 'b', order, plain);
    state = moveFocus(state, 'c', order, false);
    expect(sorted(state)).toEqual(['b']);
    expect(state.focus).toBe('c');
    state = moveFocus(state, 'd', order, true);
    expect(sorted(state)).toEqual(['b', 'c', 'd']);
  });

  it('select all, in display order', () => {
    const state = selectAll(EMPTY_SELECTION, order);
    expect(state.selected.size).toBe(6);
    expect(
      selectedInOrder(clickSelect(clickSelect(EMPTY_SELECTION, 'e', order, plain), 'b', order, ctrl), order),
    ).toEqual(['b', 'e']);
  });

  it('keeps selected ids that are not loaded, after the loaded ones', () => {
    const state = { ...EMPTY_SELECTION, selected: new Set(['z', 'e', 'y', 'b']) };
    expect(selectedInOrder(state, order)).toEqual(['b', 'e', 'z', 'y']);
  });

  it('prune drops removed ids and keeps the object when none was selected', () => {
    const state = clickSelect(clickSelect(EMPTY_SELECTION, 'a', order, plain), 'c', order, shift);
    expect(pruneSelection(state, ['x'])).toBe(state);
    const pruned = pruneSelection(state, ['b', 'a']);
    expect(sorted(pruned)).toEqual(['c']);
    expect(pruned.anchor).toBeNull();
    expect(pruned.focus).toBe('c');
  });
});
