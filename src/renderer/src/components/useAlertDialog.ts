import { useEffect, useRef, type RefObject } from 'react';

/**
 * Focus and keys for a modal question (an alertdialog): the cancel button takes the focus, so a
 * stray Enter never confirms; Esc answers "no" before anything underneath (the viewer, the
 * gallery) sees the key; on close the focus goes back to where it was.
 */
export function useAlertDialog(cancelRef: RefObject<HTMLButtonElement | null>, cancel: () => void): void {
  // The latest callback, so a re-render (with a new closure) does not re-run the focus effect.
  const latest = useRef(cancel);
  useEffect(() => {
    latest.current = cancel;
  });
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    cancelRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        latest.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      opener?.focus();
    };
  }, [cancelRef]);
}
