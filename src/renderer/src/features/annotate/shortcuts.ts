import { MARK_COLORS, MARK_KINDS, type MarkColor } from '@shared/domain/marks';
import type { AnnotateTool } from '../../store/annotate';

/** One letter per tool: R box, O ellipse, A arrow, B brush, T note, V select. */
export const TOOL_KEYS: Record<AnnotateTool, string> = {
  select: 'v',
  rect: 'r',
  ellipse: 'o',
  arrow: 'a',
  brush: 'b',
  text: 't',
};

/** 1–8 pick the colours in palette order. */
export const COLOR_KEYS: readonly string[] = MARK_COLORS.map((_, index) => String(index + 1));
/** [ and ] step the size down and up. */
export const SIZE_KEYS = '[ ]';

export type EditorAction =
  | { kind: 'tool'; tool: AnnotateTool }
  | { kind: 'color'; color: MarkColor }
  | { kind: 'size'; delta: -1 | 1 }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'delete' }
  | { kind: 'save' };

interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** What a key does in the editor (outside a text field), or null. Pure, for tests. */
export function editorKeyAction(press: KeyPress): EditorAction | null {
  if (press.altKey) return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (press.ctrlKey || press.metaKey) {
    if (key === 'z') return press.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (key === 'y') return { kind: 'redo' };
    if (key === 's' || key === 'Enter') return { kind: 'save' };
    return null;
  }
  if (key === 'Delete' || key === 'Backspace') return { kind: 'delete' };
  if (press.shiftKey) return null;
  if (key === '[') return { kind: 'size', delta: -1 };
  if (key === ']') return { kind: 'size', delta: 1 };
  const tool = (Object.keys(TOOL_KEYS) as AnnotateTool[]).find((item) => TOOL_KEYS[item] === key);
  if (tool) return { kind: 'tool', tool };
  const color = MARK_COLORS[COLOR_KEYS.indexOf(key)];
  return color ? { kind: 'color', color } : null;
}

/** Keys the editor builds at run time from the palette and the mark kinds (the i18n test checks them). */
export function annotateTranslationKeys(): string[] {
  return [
    ...MARK_COLORS.map((color) => `annotate.colors.${color}`),
    ...MARK_KINDS.map((kind) => `annotate.phrases.${kind}`),
  ];
}
