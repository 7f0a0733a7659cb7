import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

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

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        setOpen(false);
        root.current?.querySelector<HTMLButtonElement>('button')?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey, true);
    root.current?.querySelector<HTMLElement>('.popover-panel input, .popover-panel button')?.focus();
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

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
        <div className="popover-panel" id={id} role="dialog" aria-label={ariaLabel}>
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
