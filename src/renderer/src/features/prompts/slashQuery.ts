/**
 * The `/word` being typed at the caret, if any: a slash at the start of the prompt or after
 * white space, followed by no white space up to the caret. `a/b` and `https://` do not count.
 */
export interface SlashQuery {
  /** Index of the slash. */
  start: number;
  /** Index of the caret (the end of the token). */
  end: number;
  /** What follows the slash. */
  query: string;
}

const MAX_QUERY = 40;

export function slashQuery(text: string, caret: number | null): SlashQuery | null {
  if (caret === null || caret < 1 || caret > text.length) return null;
  const before = text.slice(Math.max(0, caret - MAX_QUERY - 1), caret);
  const match = /(?:^|\s)\/([^\s/]*)$/u.exec(before);
  if (!match) return null;
  const query = match[1] ?? '';
  const start = caret - query.length - 1;
  // A slash found only because the window cut the text is not at a word start.
  if (start > 0 && !/\s/u.test(text[start - 1] ?? '')) return null;
  return { start, end: caret, query };
}

/** The text with the token replaced by `insert`, and where the caret goes after it. */
export function replaceToken(
  text: string,
  token: SlashQuery,
  insert: string,
): { text: string; caret: number } {
  const next = text.slice(0, token.start) + insert + text.slice(token.end);
  return { text: next, caret: token.start + insert.length };
}
