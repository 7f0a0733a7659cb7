/**
 * Which overlays are open, in the order they opened: the last one has the keyboard. Pure (no
 * DOM), so the rules below are tested without a browser; useOverlay.ts wires it to the page.
 */

/** A dialog or alertdialog is modal (traps Tab, hides the page from keys); a popover is not. */
export type OverlayKind = 'dialog' | 'alertdialog' | 'popover';

export interface OverlayStack<Entry extends { readonly kind: OverlayKind }> {
  /** Adds an overlay on top; the returned function removes it (wherever it is by then). */
  push(entry: Entry): () => void;
  top(): Entry | undefined;
  /** The topmost modal overlay, and the entries above it (popovers opened inside it). */
  topModal(): { modal: Entry; above: readonly Entry[] } | undefined;
  entries(): readonly Entry[];
}

export function createOverlayStack<Entry extends { readonly kind: OverlayKind }>(): OverlayStack<Entry> {
  let entries: Entry[] = [];
  return {
    push(entry) {
      entries = [...entries, entry];
      return () => {
        entries = entries.filter((item) => item !== entry);
      };
    },
    top: () => entries[entries.length - 1],
    topModal() {
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const modal = entries[index];
        if (modal && isModal(modal.kind)) return { modal, above: entries.slice(index + 1) };
      }
      return undefined;
    },
    entries: () => entries,
  };
}

export function isModal(kind: OverlayKind): boolean {
  return kind !== 'popover';
}

/**
 * App-wide keys and the overlays open now (bottom first). `page` keys act on what is behind every
 * overlay (Ctrl/Cmd+Enter generates, Ctrl/Cmd+F searches, Ctrl/Cmd+V adds references), so any
 * modal stops them. `help` ("?") only opens the shortcuts sheet on top: fine over the viewer or
 * Settings, but a question waiting for its answer comes first.
 */
export function globalKeyAllowed(kinds: readonly OverlayKind[], key: 'page' | 'help'): boolean {
  if (key === 'page') return !kinds.some(isModal);
  return kinds[kinds.length - 1] !== 'alertdialog';
}

/**
 * Tab inside a modal: the index (among its `count` focusable elements) to move the focus to, or
 * null to let the browser move it. `current` is -1 when the focus is not on one of them.
 */
export function trappedTabTarget(count: number, current: number, backwards: boolean): number | null {
  if (count === 0) return null;
  if (current < 0) return backwards ? count - 1 : 0;
  if (backwards && current === 0) return count - 1;
  if (!backwards && current === count - 1) return 0;
  return null;
}
