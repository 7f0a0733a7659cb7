import { useEffect } from 'react';
import { isTextField } from '../compose/textFields';
import { useShortcuts } from '../../store/shortcuts';
import { useCompose } from '../../store/stores';

/** Whether a dialog (settings, viewer, log, confirm, this sheet) has the keyboard. */
function dialogOpen(): boolean {
  return document.querySelector('[aria-modal="true"], [role="alertdialog"]') !== null;
}

function typingIn(target: EventTarget | null): boolean {
  return isTextField(target) || target instanceof HTMLSelectElement;
}

/**
 * App-wide keys: "?" opens the shortcuts sheet and Ctrl/Cmd+Enter generates, both only when no
 * dialog is open and the focus is not in a text field.
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey) {
        if (typingIn(event.target) || dialogOpen()) return;
        event.preventDefault();
        useShortcuts.getState().setOpen(true);
        return;
      }
      // Other text fields keep their own Enter; the prompt box handles this one itself.
      if (
        event.key === 'Enter' &&
        (event.ctrlKey || event.metaKey) &&
        !typingIn(event.target) &&
        !dialogOpen()
      ) {
        event.preventDefault();
        void useCompose.getState().submit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
