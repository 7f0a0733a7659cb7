import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MARK_COLOR_HEX, MAX_MARK_TEXT, type MarkColor, type MarkPoint } from '@shared/domain/marks';

interface NoteInputProps {
  /** The note's top-left corner, in CSS pixels from the picture's corner. */
  at: MarkPoint;
  /** The note's size as it will be drawn, in CSS pixels. */
  fontSize: number;
  color: MarkColor;
  /** The text to place (Enter, or the focus leaving), or null to drop it (Esc). */
  onDone(text: string | null): void;
}

/**
 * The text of a note, typed where it will appear. Enter places it, Esc drops it (and only it:
 * the editor stays open), and clicking elsewhere places what was typed.
 */
export function NoteInput({ at, fontSize, color, onDone }: NoteInputProps) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);
  // Enter and Esc finish it; the blur that follows must not finish it again.
  const done = useRef(false);
  const finish = (value: string | null) => {
    if (done.current) return;
    done.current = true;
    onDone(value);
  };
  useEffect(() => {
    input.current?.focus({ preventScroll: true });
  }, []);
  return (
    <input
      ref={input}
      type="text"
      className="annotate-note-input"
      data-testid="annotate-note-input"
      aria-label={t('annotate.noteLabel')}
      placeholder={t('annotate.notePlaceholder')}
      maxLength={MAX_MARK_TEXT}
      value={text}
      style={{
        left: at[0],
        top: at[1],
        fontSize: Math.max(12, fontSize),
        color: MARK_COLOR_HEX[color],
      }}
      onChange={(event) => setText(event.target.value)}
      onKeyDown={(event) => {
        if (event.nativeEvent.isComposing) return;
        if (event.key === 'Enter') {
          event.preventDefault();
          finish(text);
        } else if (event.key === 'Escape') {
          event.preventDefault();
          finish(null);
        }
      }}
      onBlur={() => finish(text)}
    />
  );
}
