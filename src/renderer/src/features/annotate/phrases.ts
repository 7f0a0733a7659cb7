import type { TFunction } from 'i18next';
import type { MarkPhrase } from '@shared/domain/marks';

/** A phrase in the user's language; with several references, which image it is in. */
export function phraseText(t: TFunction, phrase: MarkPhrase, imageNumber: number | null): string {
  const base =
    phrase.kind === 'text'
      ? t('annotate.phrases.text', { text: phrase.text })
      : t(`annotate.phrases.${phrase.kind}`, { color: t(`annotate.colors.${phrase.color}`) });
  return imageNumber === null ? base : t('annotate.phrases.inImage', { phrase: base, number: imageNumber });
}

/** Chinese, Japanese and full-width text is written without spaces between words. */
const CLOSE_SCRIPT = /[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]/u;
const WORD = /[\p{L}\p{N}]/u;

/**
 * `value` with `phrase` in place of its selection (`start`–`end`), and where the caret goes
 * after it. A space is added where the phrase would otherwise run into a neighbouring word,
 * never in Chinese text.
 */
export function insertPhrase(
  value: string,
  start: number,
  end: number,
  phrase: string,
): { value: string; caret: number } {
  const before = value.slice(0, start);
  const after = value.slice(end);
  const last = before.slice(-1);
  const next = after.slice(0, 1);
  const joins = (a: string, b: string) =>
    a !== '' && b !== '' && !CLOSE_SCRIPT.test(a) && !CLOSE_SCRIPT.test(b);
  const lead = joins(last, phrase.slice(0, 1)) && !/\s/u.test(last) ? ' ' : '';
  const trail = joins(phrase.slice(-1), next) && WORD.test(next) ? ' ' : '';
  const inserted = `${lead}${phrase}${trail}`;
  return { value: before + inserted + after, caret: before.length + lead.length + phrase.length };
}
