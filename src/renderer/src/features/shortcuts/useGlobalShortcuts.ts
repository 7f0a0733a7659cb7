import { useEffect } from 'react';
import { overlayAllowsKey } from '../../components/useOverlay';
import { isTextField } from '../compose/textFields';
import { useShortcuts } from '../../store/shortcuts';
import { useCompose } from '../../store/stores';

function typingIn(target: EventTarget | null): boolean {
  return isTextField(target) || target instanceof HTMLSelectElement;
}

/**
 * App-wide keys, never while the focus is in a text field: "?" opens the shortcuts sheet (over
 * the viewer or a dialog too, not over a question), Ctrl/Cmd+Enter generates (only when no modal
 * covers the page).
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey) {
        if (typingIn(event.target) || !overlayAllowsKey('help')) return;
        event.preventDefault();
        useShortcuts.getState().setOpen(true);
        return;
      }
      // Other text fields keep their own Enter; the prompt box handles this one itself.
      if (
        event.key === 'Enter' &&
        (event.ctrlKey || event.metaKey) &&
        !typingIn(event.target) &&
        overlayAllowsKey('page')
      ) {
        event.preventDefault();
        void useCompose.getState().submit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
