import { useEffect, useRef, type RefObject } from 'react';
import { createOverlayStack, globalKeyAllowed, trappedTabTarget, type OverlayKind } from './overlayStack';

interface OverlayEntry {
  readonly kind: OverlayKind;
  readonly element: HTMLElement;
  close(): void;
  onKey?(event: KeyboardEvent): void;
}

const overlays = createOverlayStack<OverlayEntry>();

/** Whether an app-wide key may act now, given the overlays that are open (see globalKeyAllowed). */
export function overlayAllowsKey(key: 'page' | 'help'): boolean {
  return globalKeyAllowed(
    overlays.entries().map((entry) => entry.kind),
    key,
  );
}

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'summary',
  '[tabindex]:not([tabindex="-1"])',
  '[contenteditable="true"]',
].join(', ');

/** The elements Tab can reach inside `root`, in order (hidden ones, as in a closed <details>, not). */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0 && element.getClientRects().length > 0,
  );
}

function focusInto(root: HTMLElement, initial: HTMLElement | null | undefined): void {
  const target = initial ?? focusables(root)[0] ?? root;
  target.focus();
}

const inside = (element: Element | null, entries: readonly OverlayEntry[]): boolean =>
  element !== null && entries.some((entry) => entry.element.contains(element));

/** Keys go to the topmost overlay only: Esc closes it, Tab stays in it if modal, the rest to it. */
function onKeyDown(event: KeyboardEvent): void {
  const top = overlays.top();
  if (!top || event.defaultPrevented || event.isComposing) return;
  if (event.key === 'Escape') {
    event.preventDefault();
    top.close();
    return;
  }
  const trap = overlays.topModal();
  if (event.key === 'Tab' && trap && !event.ctrlKey && !event.metaKey && !event.altKey) {
    // A popover opened inside the modal keeps the browser's order; the trap is the modal's edges.
    if (trap.above.length > 0 && inside(document.activeElement, trap.above)) return;
    const list = focusables(trap.modal.element);
    const current = list.findIndex((element) => element === document.activeElement);
    if (list.length === 0) {
      event.preventDefault();
      trap.modal.element.focus();
      return;
    }
    const next = trappedTabTarget(list.length, current, event.shiftKey);
    if (next === null) return;
    event.preventDefault();
    list[next]?.focus();
    return;
  }
  top.onKey?.(event);
}

/** A click or a script may still move the focus behind a modal: it is brought back in. */
function onFocusIn(event: FocusEvent): void {
  const trap = overlays.topModal();
  if (!trap || !(event.target instanceof Element)) return;
  if (inside(event.target, [trap.modal, ...trap.above])) return;
  focusInto(trap.modal.element, null);
}

let listening = false;
function listen(on: boolean): void {
  if (on === listening) return;
  listening = on;
  if (on) {
    window.addEventListener('keydown', onKeyDown);
    document.addEventListener('focusin', onFocusIn);
  } else {
    window.removeEventListener('keydown', onKeyDown);
    document.removeEventListener('focusin', onFocusIn);
  }
}

export interface OverlayOptions {
  /** 'dialog' (the default) and 'alertdialog' are modal; a 'popover' only takes Esc. */
  kind?: OverlayKind;
  /** Esc, or anything else that should close it: the owner hides the overlay. */
  onClose(): void;
  /** What takes the focus on open; otherwise the first control, or the overlay itself. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Other keys, only while this overlay is the topmost one (the viewer's arrows). */
  onKey?(event: KeyboardEvent): void;
}

/**
 * The one way an overlay takes the keyboard: on open the focus moves into it; while it is the
 * topmost overlay, Esc closes it (and only it) and Tab stays inside a modal one; on close the
 * focus goes back to the element that had it before, if that is still in the page. Listening in
 * the bubble phase on window lets a field inside handle Esc first (a search box clears itself).
 */
export function useOverlay(ref: RefObject<HTMLElement | null>, options: OverlayOptions): void {
  const { kind = 'dialog', initialFocus } = options;
  // The latest callbacks, so a re-render (with new closures) does not re-run the open effect.
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const remove = overlays.push({
      kind,
      element,
      close: () => latest.current.onClose(),
      onKey: (event) => latest.current.onKey?.(event),
    });
    listen(true);
    focusInto(element, initialFocus?.current);
    return () => {
      remove();
      if (overlays.entries().length === 0) listen(false);
      // Only when the focus went with the overlay: a click elsewhere that closed it keeps its own.
      const active = document.activeElement;
      const lost = active === null || active === document.body || element.contains(active);
      if (!lost) return;
      if (opener?.isConnected && opener !== document.body) opener.focus();
      else {
        const below = overlays.topModal();
        if (below) focusInto(below.modal.element, null);
      }
    };
  }, [ref, kind, initialFocus]);
}
