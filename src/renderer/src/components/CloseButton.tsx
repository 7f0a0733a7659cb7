import type { Ref } from 'react';

interface CloseButtonProps {
  /** What it closes or clears: read out by screen readers and shown as the tooltip. */
  label: string;
  testId: string;
  onClick(): void;
  className?: string;
  ref?: Ref<HTMLButtonElement>;
}

/** The × that closes a dialog, a panel or a toast, or clears a selection. */
export function CloseButton({ label, testId, onClick, className = 'icon-button', ref }: CloseButtonProps) {
  return (
    <button
      ref={ref}
      type="button"
      className={className}
      data-testid={testId}
      aria-label={label}
      title={label}
      onClick={onClick}
    >
      ×
    </button>
  );
}
