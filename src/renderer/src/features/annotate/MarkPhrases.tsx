import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { markPhrases } from '@shared/domain/marks';
import { useAnnotate } from '../../store/annotate';
import { useCompose } from '../../store/compose';
import { insertPhrase, phraseText } from './phrases';

/**
 * Under the prompt, once marks are saved on a reference in the tray: phrases that refer to them
 * ("inside the red box", a note's words), inserted at the caret on click.
 */
export function MarkPhrases({ box }: { box: RefObject<HTMLTextAreaElement | null> }) {
  const { t } = useTranslation();
  const references = useCompose((state) => state.references);
  const savedMarks = useAnnotate((state) => state.savedMarks);
  const hidden = useAnnotate((state) => state.phrasesHidden);
  const hide = useAnnotate((state) => state.hidePhrases);
  const shown = references.flatMap((reference, index) => {
    const marks = savedMarks[reference.id];
    if (!marks || hidden[reference.id]) return [];
    const number = references.length > 1 ? index + 1 : null;
    return markPhrases(marks).map((phrase) => ({ id: reference.id, text: phraseText(t, phrase, number) }));
  });
  const texts = [...new Set(shown.map((item) => item.text))];
  if (texts.length === 0) return null;

  const insert = (phrase: string) => {
    const element = box.current;
    const prompt = useCompose.getState().prompt;
    const start = element?.selectionStart ?? prompt.length;
    const end = element?.selectionEnd ?? prompt.length;
    const next = insertPhrase(prompt, start, end, phrase);
    useCompose.getState().setPrompt(next.value);
    // After React has put the new text in the box: the caret goes right after the phrase.
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(next.caret, next.caret);
    });
  };

  return (
    <div
      className="mark-phrases"
      role="group"
      aria-label={t('annotate.phrases.title')}
      data-testid="mark-phrases"
    >
      <span className="field-label">{t('annotate.phrases.title')}</span>
      <ul>
        {texts.map((text) => (
          <li key={text}>
            <button
              type="button"
              className="mark-phrase"
              data-testid="mark-phrase"
              title={t('annotate.phrases.insert', { phrase: text })}
              onClick={() => insert(text)}
            >
              {text}
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="link-button"
        data-testid="mark-phrases-hide"
        onClick={() => hide([...new Set(shown.map((item) => item.id))])}
      >
        {t('annotate.phrases.hide')}
      </button>
    </div>
  );
}
