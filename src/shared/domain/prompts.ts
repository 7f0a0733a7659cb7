/** How many submitted prompts the history keeps. */
export const PROMPT_HISTORY_MAX = 200;

/**
 * A prompt's length as checked against a model's limit, by core, the simulator and the panel's
 * counter alike: UTF-16 units of the trimmed text (a CJK character counts 1, an emoji 2).
 */
export function promptLength(prompt: string): number {
  return prompt.trim().length;
}

/**
 * The history after `prompt` was submitted: newest first, each prompt once (sending one again
 * moves it to the front), at most PROMPT_HISTORY_MAX. Blank prompts are not remembered.
 */
export function rememberPrompt(history: readonly string[], prompt: string): string[] {
  const text = prompt.trim();
  if (text === '') return [...history];
  return [text, ...history.filter((item) => item !== text)].slice(0, PROMPT_HISTORY_MAX);
}

/** Batch mode: one prompt per line, trimmed, blank lines left out. */
export function batchPrompts(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
