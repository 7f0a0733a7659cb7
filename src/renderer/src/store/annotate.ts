import { create } from 'zustand';
import { markSizes, type Mark, type MarkColor, type MarkKind } from '@shared/domain/marks';
import type { StagedReference } from '@shared/domain/reference';
import type { WireError } from '@shared/ipc/result';
import {
  marksChanged,
  pushHistory,
  redoHistory,
  startHistory,
  undoHistory,
  withoutMark,
  type MarksHistory,
} from '../features/annotate/history';
import { api } from '../ipc/api';
import { useCompose } from './compose';
import { useReferenceCache } from './referenceCache';

export type AnnotateTool = MarkKind | 'select';

/** The editor, open on one tray reference. */
export interface AnnotateSession {
  /** The tray chip being edited: the saved copy takes its place. */
  trayId: string;
  /** The picture the marks go on: the chip's reference, or for a marked copy, its original. */
  original: StagedReference;
  /** `opening`: asking core for a marked copy's original and marks. */
  status: 'opening' | 'ready';
  /** A marked copy whose original or marks could not be read: new marks go on the copy itself. */
  reopenFailed: boolean;
}

interface AnnotateState {
  session: AnnotateSession | null;
  tool: AnnotateTool;
  color: MarkColor;
  /** Index into markSizes(). */
  sizeLevel: number;
  history: MarksHistory;
  /** The marks the editor opened with: anything else is unsaved. */
  initial: readonly Mark[];
  selected: number | null;
  saving: boolean;
  saveError: WireError | null;
  /** Marks of the copies saved (or opened) in this session, by copy id: the prompt's phrases. */
  savedMarks: Record<string, readonly Mark[]>;
  /** Copies whose phrases the user put away. */
  phrasesHidden: Record<string, true>;
  open(reference: StagedReference): Promise<void>;
  close(): void;
  setTool(tool: AnnotateTool): void;
  /** Picks the colour for new marks, and recolours the selected mark. */
  setColor(color: MarkColor): void;
  /** Picks the size for new marks, and resizes the selected mark (for a picture of `width` × `height`). */
  setSize(level: number, picture: { width: number; height: number }): void;
  commit(mark: Mark): void;
  undo(): void;
  redo(): void;
  clear(): void;
  /** Delete: the selected mark, or the last one drawn. */
  removeMark(): void;
  select(index: number | null): void;
  /**
   * Saves the marks drawn on a picture of `width` × `height`. The tray chip's id afterwards (the
   * saved copy's, or the chip's own when nothing changed) once the editor may close; null when
   * saving failed (saveError says why) or is not possible now.
   */
  save(picture: { width: number; height: number }): Promise<string | null>;
  hidePhrases(ids: readonly string[]): void;
}

const EMPTY: readonly Mark[] = [];

export function isDirty(state: Pick<AnnotateState, 'initial' | 'history'>): boolean {
  return marksChanged(state.initial, state.history.present);
}

/** The saved copy takes the chip's place in the tray; a second chip of the same file goes. */
function replaceInTray(trayId: string, next: StagedReference): void {
  useCompose.setState((state) => {
    const at = state.references.findIndex((item) => item.id === trayId);
    if (at < 0) return { references: [...state.references.filter((item) => item.id !== next.id), next] };
    return {
      references: state.references.flatMap((item, index) =>
        index === at ? [next] : item.id === next.id ? [] : [item],
      ),
    };
  });
}

function resized(mark: Mark, level: number, picture: { width: number; height: number }): Mark {
  const size = markSizes(picture.width, picture.height)[level];
  if (!size) return mark;
  return mark.kind === 'text' ? { ...mark, size: size.text } : { ...mark, width: size.stroke };
}

export const useAnnotate = create<AnnotateState>((set, get) => {
  /** A new list of marks, as one undo step. */
  const change = (marks: readonly Mark[], selected: number | null = null) =>
    set((state) => ({ history: pushHistory(state.history, marks), selected, saveError: null }));

  return {
    session: null,
    tool: 'rect',
    color: 'red',
    sizeLevel: 1,
    history: startHistory(EMPTY),
    initial: EMPTY,
    selected: null,
    saving: false,
    saveError: null,
    savedMarks: {},
    phrasesHidden: {},
    async open(reference) {
      const base = {
        history: startHistory(EMPTY),
        initial: EMPTY,
        selected: null,
        saving: false,
        saveError: null,
      };
      if (!reference.annotatedFrom) {
        set({
          ...base,
          session: { trayId: reference.id, original: reference, status: 'ready', reopenFailed: false },
        });
        return;
      }
      set({
        ...base,
        session: { trayId: reference.id, original: reference, status: 'opening', reopenFailed: false },
      });
      const result = await api().request('references.annotation', { id: reference.id });
      // Closed, or opened on another chip, while core answered.
      if (get().session?.trayId !== reference.id) return;
      if (!result.ok || result.value === null) {
        set({ session: { trayId: reference.id, original: reference, status: 'ready', reopenFailed: true } });
        return;
      }
      const { original, layer } = result.value;
      set((state) => ({
        session: { trayId: reference.id, original, status: 'ready', reopenFailed: false },
        history: startHistory(layer.marks),
        initial: layer.marks,
        savedMarks: { ...state.savedMarks, [reference.id]: layer.marks },
      }));
    },
    close: () => set({ session: null, selected: null, saving: false, saveError: null }),
    setTool: (tool) => set({ tool, selected: tool === 'select' ? get().selected : null }),
    setColor(color) {
      const { selected, history } = get();
      const mark = selected === null ? undefined : history.present[selected];
      set({ color });
      if (mark && mark.color !== color) {
        change(
          history.present.map((item, index) => (index === selected ? { ...item, color } : item)),
          selected,
        );
      }
    },
    setSize(level, picture) {
      const { selected, history } = get();
      set({ sizeLevel: level });
      const mark = selected === null ? undefined : history.present[selected];
      if (!mark) return;
      const next = resized(mark, level, picture);
      change(
        history.present.map((item, index) => (index === selected ? next : item)),
        selected,
      );
    },
    commit: (mark) => change([...get().history.present, mark]),
    undo: () => set((state) => ({ history: undoHistory(state.history), selected: null, saveError: null })),
    redo: () => set((state) => ({ history: redoHistory(state.history), selected: null, saveError: null })),
    clear() {
      if (get().history.present.length > 0) change(EMPTY);
    },
    removeMark() {
      const { history, selected } = get();
      if (history.present.length > 0) change(withoutMark(history.present, selected));
    },
    select: (selected) => set({ selected }),
    async save(picture) {
      const state = get();
      const session = state.session;
      if (!session || session.status !== 'ready' || state.saving) return null;
      if (!isDirty(state)) return session.trayId;
      set({ saving: true, saveError: null, selected: null });
      const marks = state.history.present;
      const result = await api().request('references.annotate', {
        originalId: session.original.id,
        layer: { version: 1, width: picture.width, height: picture.height, marks: [...marks] },
      });
      if (get().session !== session) return null;
      if (!result.ok) {
        // The editor stays open with every mark; the tray is as it was.
        set({ saving: false, saveError: result.error });
        return null;
      }
      const saved = result.value;
      useReferenceCache.getState().remember([saved]);
      replaceInTray(session.trayId, saved);
      set((current) => {
        const { [saved.id]: _shown, ...hidden } = current.phrasesHidden;
        return {
          saving: false,
          savedMarks: { ...current.savedMarks, [saved.id]: marks },
          phrasesHidden: hidden,
        };
      });
      return saved.id;
    },
    hidePhrases: (ids) =>
      set((state) => ({
        phrasesHidden: {
          ...state.phrasesHidden,
          ...Object.fromEntries(ids.map((id) => [id, true as const])),
        },
      })),
  };
});
