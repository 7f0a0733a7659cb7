import { useId, type HTMLAttributes, type ReactNode, type RefObject } from 'react';
import { Modal } from './Modal';

interface QuestionDialogProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title' | 'role'> {
  title: ReactNode;
  /** What the answers mean; the dialog's description. */
  body: ReactNode;
  /** The safe answer: it has the focus, so a stray Enter never does the risky thing. */
  safeRef: RefObject<HTMLElement | null>;
  /** Esc or a click outside: the question is put aside without a yes. */
  onDismiss(): void;
  testId: string;
  /** The answer buttons, the safe one among them. */
  children: ReactNode;
}

/**
 * A modal question (alertdialog) over everything else, even over another dialog. The rest of the
 * props (data attributes) go to the dialog element.
 */
export function QuestionDialog({
  title,
  body,
  safeRef,
  onDismiss,
  testId,
  children,
  ...dialogProps
}: QuestionDialogProps) {
  const id = useId();
  return (
    <Modal
      {...dialogProps}
      kind="alertdialog"
      overlayClassName="overlay-top"
      className="dialog dialog-small"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      data-testid={testId}
      initialFocus={safeRef}
      onClose={onDismiss}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`}>{body}</div>
      <div className="dialog-actions">{children}</div>
    </Modal>
  );
}
