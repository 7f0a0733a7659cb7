import type { Mark } from '@shared/domain/marks';

/**
 * The marks with undo and redo. Pure, so the editor's store and its tests share it. Each state
 * is a whole list: marks are immutable values, so a step costs one array, not a copy of points.
 */
export interface MarksHistory {
  past: readonly (readonly Mark[])[];
  present: readonly Mark[];
  future: readonly (readonly Mark[])[];
}

/** Undo steps kept: far more than anyone undoes, few enough to bound memory. */
export const UNDO_LIMIT = 200;

export function startHistory(marks: readonly Mark[]): MarksHistory {
  return { past: [], present: marks, future: [] };
}

/** A new state; what was undone before it is gone, as in every editor. */
export function pushHistory(history: MarksHistory, present: readonly Mark[]): MarksHistory {
  if (present === history.present) return history;
  return { past: [...history.past, history.present].slice(-UNDO_LIMIT), present, future: [] };
}

export function undoHistory(history: MarksHistory): MarksHistory {
  const previous = history.past[history.past.length - 1];
  if (!previous) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redoHistory(history: MarksHistory): MarksHistory {
  const [next, ...rest] = history.future;
  if (!next) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}

/** The marks without the one at `index` (the selected one), or without the last one. */
export function withoutMark(marks: readonly Mark[], index: number | null): readonly Mark[] {
  if (marks.length === 0) return marks;
  const at = index !== null && index >= 0 && index < marks.length ? index : marks.length - 1;
  return marks.filter((_, position) => position !== at);
}

/** Whether the marks differ from those the editor opened with (same marks, same order). */
export function marksChanged(initial: readonly Mark[], present: readonly Mark[]): boolean {
  return initial.length !== present.length || initial.some((mark, index) => mark !== present[index]);
}
