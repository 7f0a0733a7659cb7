import { useRef, type HTMLAttributes, type ReactNode, type RefObject } from 'react';
import { useOverlay } from './useOverlay';

interface ModalProps extends Omit<HTMLAttributes<HTMLDivElement>, 'role' | 'aria-modal'> {
  /** An alertdialog asks a question; give it `initialFocus` on the safe answer. */
  kind?: 'dialog' | 'alertdialog';
  /** Every modal is named by its visible title. */
  'aria-labelledby': string;
  onClose(): void;
  initialFocus?: RefObject<HTMLElement | null>;
  /** Extra classes for the backdrop (`overlay-top` for questions over other dialogs). */
  overlayClassName?: string;
  children: ReactNode;
}

/**
 * A modal dialog on a backdrop: a click on the backdrop closes it, and useOverlay gives it the
 * focus, Tab, Esc and the way back. The rest of the props go to the dialog element.
 */
export function Modal({
  kind = 'dialog',
  onClose,
  initialFocus,
  overlayClassName,
  children,
  ...dialogProps
}: ModalProps) {
  const ref = useRef<HTMLDivElement>(null);
  useOverlay(ref, { kind, onClose, initialFocus });
  return (
    <div
      className={overlayClassName ? `overlay ${overlayClassName}` : 'overlay'}
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <div ref={ref} role={kind} aria-modal="true" tabIndex={-1} {...dialogProps}>
        {children}
      </div>
    </div>
  );
}
