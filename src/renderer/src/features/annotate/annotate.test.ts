import { describe, expect, it } from 'vitest';
import type { Mark } from '@shared/domain/marks';
import { draftMark, extendDraft, startDraft } from './draft';
import {
  marksChanged,
  pushHistory,
  redoHistory,
  startHistory,
  UNDO_LIMIT,
  undoHistory,
  withoutMark,
} from './history';
import { insertPhrase } from './phrases';
import { editorKeyAction } from './shortcuts';

const box = (x: number): Mark => ({ kind: 'rect', color: 'red', width: 4, from: [x, 0], to: [x + 10, 10] });

describe('undo and redo', () => {
  it('steps back and forth; a new change drops what was undone', () => {
    const [a, b, c] = [box(1), box(2), box(3)];
    let history = startHistory([]);
    history = pushHistory(history, [a]);
    history = pushHistory(history, [a, b]);
    history = undoHistory(history);
    expect(history.present).toEqual([a]);
    history = redoHistory(history);
    expect(history.present).toEqual([a, b]);
    history = undoHistory(undoHistory(history));
    expect(history.present).toEqual([]);
    expect(undoHistory(history)).toBe(history);
    history = pushHistory(history, [c]);
    expect(history.future).toEqual([]);
    expect(redoHistory(history)).toBe(history);
  });

  it('keeps at most UNDO_LIMIT steps', () => {
    let history = startHistory([]);
    for (let i = 0; i < UNDO_LIMIT + 20; i += 1) history = pushHistory(history, [box(i)]);
    expect(history.past).toHaveLength(UNDO_LIMIT);
  });

  it('Delete takes the selected mark, or the last one', () => {
    const marks = [box(1), box(2), box(3)];
    expect(withoutMark(marks, 0)).toEqual(marks.slice(1));
    expect(withoutMark(marks, null)).toEqual(marks.slice(0, 2));
    expect(withoutMark(marks, 9)).toEqual(marks.slice(0, 2));
    expect(withoutMark([], null)).toEqual([]);
  });

  it('knows unsaved marks: undoing back to the start is not a change', () => {
    const start = [box(1)];
    let history = startHistory(start);
    expect(marksChanged(start, history.present)).toBe(false);
    history = pushHistory(history, [...start, box(2)]);
    expect(marksChanged(start, history.present)).toBe(true);
    expect(marksChanged(start, undoHistory(history).present)).toBe(false);
  });
});

describe('a mark being drawn', () => {
  const options = { constrain: false, minStep: 2, maxPoints: 5 };

  it('a click is no box; a drag is', () => {
    const draft = startDraft('rect', 'blue', 6, [10, 10]);
    expect(draftMark(draft, 3)).toBeNull();
    expect(draftMark(extendDraft(draft, [40, 30], options), 3)).toEqual({
      kind: 'rect',
      color: 'blue',
      width: 6,
      from: [10, 10],
      to: [40, 30],
    });
  });

  it('Shift makes a square and snaps an arrow to 45°', () => {
    const square = extendDraft(startDraft('ellipse', 'red', 4, [0, 0]), [30, -10], {
      ...options,
      constrain: true,
    });
    expect(square.to).toEqual([30, -30]);
    const arrow = extendDraft(startDraft('arrow', 'red', 4, [0, 0]), [100, 10], {
      ...options,
      constrain: true,
    });
    expect(arrow.to[0]).toBeCloseTo(Math.hypot(100, 10));
    expect(arrow.to[1]).toBeCloseTo(0);
  });

  it('a brush keeps samples that move far enough, up to the point budget; one dab is a dot', () => {
    let draft = startDraft('brush', 'green', 8, [0, 0]);
    expect(draftMark(draft, 3)).toMatchObject({ kind: 'brush', points: [[0, 0]] });
    for (const point of [
      [1, 0],
      [3, 0],
      [3.5, 0],
      [6, 0],
      [9, 0],
      [12, 0],
      [15, 0],
    ] as [number, number][]) {
      draft = extendDraft(draft, point, options);
    }
    expect(draft.points).toEqual([
      [0, 0],
      [3, 0],
      [6, 0],
      [9, 0],
      [12, 0],
    ]);
  });
});

describe('editor keys', () => {
  const key = (
    value: string,
    mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {},
  ) =>
    editorKeyAction({ key: value, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

  it.each([
    ['r', {}, { kind: 'tool', tool: 'rect' }],
    ['O', {}, { kind: 'tool', tool: 'ellipse' }],
    ['a', {}, { kind: 'tool', tool: 'arrow' }],
    ['b', {}, { kind: 'tool', tool: 'brush' }],
    ['t', {}, { kind: 'tool', tool: 'text' }],
    ['v', {}, { kind: 'tool', tool: 'select' }],
    ['1', {}, { kind: 'color', color: 'red' }],
    ['8', {}, { kind: 'color', color: 'black' }],
    ['[', {}, { kind: 'size', delta: -1 }],
    [']', {}, { kind: 'size', delta: 1 }],
    ['Delete', {}, { kind: 'delete' }],
    ['z', { ctrlKey: true }, { kind: 'undo' }],
    ['Z', { ctrlKey: true, shiftKey: true }, { kind: 'redo' }],
    ['z', { metaKey: true, shiftKey: true }, { kind: 'redo' }],
    ['y', { ctrlKey: true }, { kind: 'redo' }],
    ['s', { ctrlKey: true }, { kind: 'save' }],
    ['Enter', { metaKey: true }, { kind: 'save' }],
  ] as const)('%s %o → %o', (value, mods, action) => {
    expect(key(value, mods)).toEqual(action);
  });

  it.each([
    ['9', {}],
    ['Enter', {}],
    [' ', {}],
    ['r', { altKey: true }],
    ['r', { ctrlKey: true }],
    ['R', { shiftKey: true }],
  ] as const)('%s %o does nothing in the editor', (value, mods) => {
    expect(key(value, mods)).toBeNull();
  });
});

describe('inserting a phrase at the caret', () => {
  it.each([
    [
      'at the end, after a word',
      'Make it blue',
      12,
      12,
      'inside the red box',
      'Make it blue inside the red box',
    ],
    [
      'between words',
      'Paint gold please',
      6,
      6,
      'inside the red box',
      'Paint inside the red box gold please',
    ],
    [
      'before punctuation',
      'Paint it gold, then',
      13,
      13,
      'inside the red box',
      'Paint it gold inside the red box, then',
    ],
    ['over a selection', 'Paint THIS gold', 6, 10, 'the red box', 'Paint the red box gold'],
    ['into an empty prompt', '', 0, 0, 'inside the red box', 'inside the red box'],
    ['into Chinese, with no spaces', '把涂成金色', 1, 1, '红色方框内', '把红色方框内涂成金色'],
    ['a Chinese phrase after Latin text', 'Make ', 5, 5, '红色方框内', 'Make 红色方框内'],
  ])('%s', (_name, value, start, end, phrase, expected) => {
    const result = insertPhrase(value, start, end, phrase);
    expect(result.value).toBe(expected);
    expect(result.value.slice(0, result.caret).endsWith(phrase)).toBe(true);
  });
});
