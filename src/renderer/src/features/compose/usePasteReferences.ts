import { useEffect } from 'react';
import { overlayAllowsKey } from '../../components/useOverlay';
import { addReferenceFiles } from '../../store/referenceActions';
import { isTextField } from './textFields';

/**
 * Ctrl/⌘+V anywhere adds pasted image files to the reference tray — in the prompt box too, not
 * while a modal covers the page. Only when a text field has the focus and the clipboard holds
 * text is the paste left to the field.
 */
export function usePasteReferences(): void {
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const data = event.clipboardData;
      // The tray is behind a modal then: a paste there would land out of sight.
      if (!data || event.defaultPrevented || !overlayAllowsKey('page')) return;
      const files = [...data.items]
        .filter((item) => item.kind === 'file')
        .map((item) => item.getAsFile())
        .filter((file): file is File => file !== null);
      const all = files.length > 0 ? files : [...data.files];
      if (all.length === 0) return;
      if (isTextField(event.target) && data.getData('text/plain').trim() !== '') return;
      event.preventDefault();
      void addReferenceFiles(all.map((file) => ({ file, isDirectory: false })));
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, []);
}
