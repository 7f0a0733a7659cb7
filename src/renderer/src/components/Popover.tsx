import { useCallback, useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useOverlay } from './useOverlay';

interface PopoverProps {
  label: ReactNode;
  /** Accessible name of the trigger when `label` is only an icon or needs context. */
  ariaLabel?: string;
  testId: string;
  disabled?: boolean;
  className?: string;
  children: (close: () => void) => ReactNode;
}

/** A button with a small panel under it; Esc or a click outside closes it. */
export function Popover({ label, ariaLabel, testId, disabled, className, children }: PopoverProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);

  return (
    <div className={className ? `popover ${className}` : 'popover'} ref={root}>
      <button
        type="button"
        data-testid={testId}
        aria-label={ariaLabel}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        disabled={disabled}
        onClick={() => setOpen((value) => !value)}
      >
        {label}
      </button>
      {open && (
        <PopoverPanel id={id} ariaLabel={ariaLabel} root={root} onClose={close}>
          {children(close)}
        </PopoverPanel>
      )}
    </div>
  );
}

interface PanelProps {
  id: string;
  ariaLabel: string | undefined;
  /** The popover with its trigger: a click in there is not "outside". */
  root: RefObject<HTMLDivElement | null>;
  onClose(): void;
  children: ReactNode;
}

function PopoverPanel({ id, ariaLabel, root, onClose, children }: PanelProps) {
  const panel = useRef<HTMLDivElement>(null);
  useOverlay(panel, { kind: 'popover', onClose });
  useEffect(() => {
    const onDown = (event: MouseEvent) => {
      if (!(event.target instanceof Node && root.current?.contains(event.target))) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [root, onClose]);
  return (
    <div ref={panel} className="popover-panel" id={id} role="dialog" aria-label={ariaLabel}>
      {children}
    </div>
  );
}
