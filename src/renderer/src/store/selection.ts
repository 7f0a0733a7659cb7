import { create } from 'zustand';

/**
 * Selection in the gallery grid. `anchor` is where a Shift-range starts; `focus` is the tile
 * the keyboard is on (the grid's active descendant), which need not be selected.
 */
export interface SelectionModel {
  selected: ReadonlySet<string>;
  anchor: string | null;
  focus: string | null;
}

export interface ClickModifiers {
  /** Shift: select the range from the anchor. */
  range: boolean;
  /** Ctrl/Cmd: toggle one tile, or add the range to what is selected. */
  toggle: boolean;
}

export const EMPTY_SELECTION: SelectionModel = { selected: new Set(), anchor: null, focus: null };

function rangeIds(order: readonly string[], from: string, to: string): string[] {
  const start = order.indexOf(from);
  const end = order.indexOf(to);
  if (start < 0 || end < 0) return [to];
  const [low, high] = start <= end ? [start, end] : [end, start];
  return order.slice(low, high + 1);
}

/** A click on a tile, with the usual desktop modifiers. `order` is the displayed order. */
export function clickSelect(
  state: SelectionModel,
  id: string,
  order: readonly string[],
  modifiers: ClickModifiers,
): SelectionModel {
  if (modifiers.range) {
    const anchor = state.anchor !== null && order.includes(state.anchor) ? state.anchor : id;
    const range = rangeIds(order, anchor, id);
    const selected = new Set(modifiers.toggle ? [...state.selected, ...range] : range);
    return { selected, anchor, focus: id };
  }
  if (modifiers.toggle) {
    const selected = new Set(state.selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    return { selected, anchor: id, focus: id };
  }
  return { selected: new Set([id]), anchor: id, focus: id };
}

/** Keyboard focus moves to `id`; with Shift the selection becomes the range from the anchor. */
export function moveFocus(
  state: SelectionModel,
  id: string,
  order: readonly string[],
  extend: boolean,
): SelectionModel {
  if (!extend) return { ...state, focus: id };
  const anchor = state.anchor ?? state.focus ?? id;
  return { selected: new Set(rangeIds(order, anchor, id)), anchor, focus: id };
}

export function selectAll(state: SelectionModel, order: readonly string[]): SelectionModel {
  return { selected: new Set(order), anchor: state.anchor ?? order[0] ?? null, focus: state.focus };
}

/** Drops ids that left the gallery; the same object when none of them was selected or focused. */
export function pruneSelection(state: SelectionModel, removedIds: readonly string[]): SelectionModel {
  const removed = new Set(removedIds);
  const hit = [...state.selected].some((id) => removed.has(id));
  const anchorGone = state.anchor !== null && removed.has(state.anchor);
  const focusGone = state.focus !== null && removed.has(state.focus);
  if (!hit && !anchorGone && !focusGone) return state;
  return {
    selected: hit ? new Set([...state.selected].filter((id) => !removed.has(id))) : state.selected,
    anchor: anchorGone ? null : state.anchor,
    focus: focusGone ? null : state.focus,
  };
}

/**
 * The selected ids in display order (bulk actions and drags keep the order the user sees), then
 * the selected ones not loaded yet ("select all matching"), in the order they were selected.
 */
export function selectedInOrder(state: SelectionModel, order: readonly string[]): string[] {
  if (state.selected.size === 0) return [];
  const shown = order.filter((id) => state.selected.has(id));
  if (shown.length === state.selected.size) return shown;
  const seen = new Set(shown);
  return [...shown, ...[...state.selected].filter((id) => !seen.has(id))];
}

interface SelectionState extends SelectionModel {
  click(id: string, order: readonly string[], modifiers: ClickModifiers): void;
  moveFocus(id: string, order: readonly string[], extend: boolean): void;
  toggle(id: string): void;
  selectAll(order: readonly string[]): void;
  /** Selects exactly these ids, loaded or not ("select all matching"). */
  selectIds(ids: readonly string[]): void;
  clear(): void;
  prune(removedIds: readonly string[]): void;
}

export const useSelection = create<SelectionState>((set) => ({
  ...EMPTY_SELECTION,
  click: (id, order, modifiers) => set((state) => clickSelect(state, id, order, modifiers)),
  moveFocus: (id, order, extend) => set((state) => moveFocus(state, id, order, extend)),
  toggle: (id) => set((state) => clickSelect(state, id, [], { range: false, toggle: true })),
  selectAll: (order) => set((state) => selectAll(state, order)),
  selectIds: (ids) => set((state) => ({ selected: new Set(ids), anchor: state.anchor ?? ids[0] ?? null })),
  clear: () => set({ selected: new Set(), anchor: null }),
  prune: (removedIds) => set((state) => pruneSelection(state, removedIds)),
}));
