import type { Credits } from '@shared/domain/credits';
import { MODELS, type AspectRatio, type ModelId, type OutputFormat } from '@shared/domain/models';
import { batchPrompts, promptLength } from '@shared/domain/prompts';

/**
 * The compose panel's rules, pure so they are easy to test: the prompt counter, what a submit
 * sends, what it costs against the balance, and the prompt history's ↑/↓ recall.
 */

/** The counter turns to a warning from this share of the model's limit. */
export const NEAR_LIMIT = 0.9;
/** The panel warns when the balance pays for fewer than this many images of the chosen model. */
export const LOW_BALANCE_IMAGES = 10;

export type CounterLevel = 'ok' | 'near' | 'over';

export function counterLevel(length: number, limit: number): CounterLevel {
  if (length > limit) return 'over';
  return length >= Math.ceil(limit * NEAR_LIMIT) ? 'near' : 'ok';
}

/** The prompts a submit sends: the whole text, or in batch mode one per non-blank line. */
export function promptsOf(text: string, batch: boolean): string[] {
  if (batch) return batchPrompts(text);
  return text.trim() === '' ? [] : [text];
}

/** What the counter measures: the prompt, or in batch mode its longest line (each is one prompt). */
export function measuredLength(text: string, batch: boolean): number {
  return Math.max(0, ...promptsOf(text, batch).map(promptLength));
}

export type PromptProblem = { kind: 'empty' } | { kind: 'tooLong'; over: number; line: number | null };

/** Why the prompt cannot be sent with `model`, or null. `line` (1-based) names a batch line. */
export function promptProblem(text: string, model: ModelId, batch = false): PromptProblem | null {
  const prompts = promptsOf(text, batch);
  if (prompts.length === 0) return { kind: 'empty' };
  const limit = MODELS[model].promptMaxChars;
  const index = prompts.findIndex((prompt) => promptLength(prompt) > limit);
  if (index < 0) return null;
  const over = promptLength(prompts[index] ?? '') - limit;
  return { kind: 'tooLong', over, line: batch ? index + 1 : null };
}

/**
 * Each task's prompt, in the order they are submitted: every prompt `imagesPerPrompt` times
 * before the next one (one KIE task per image).
 */
export function planTasks(text: string, batch: boolean, imagesPerPrompt: number): string[] {
  return promptsOf(text, batch).flatMap((prompt) => Array.from({ length: imagesPerPrompt }, () => prompt));
}

/**
 * What the balance says about a submit costing `total` credits, `perImage` each:
 * - `free`: Demo mode, nothing is charged;
 * - `unknown`: no balance read yet (or it belongs to Demo mode): let core and KIE decide;
 * - `insufficient`: the balance is below the cost, so submit is refused;
 * - `low`: enough for this, but fewer than LOW_BALANCE_IMAGES images are left.
 */
export type CreditStanding = 'free' | 'unknown' | 'ok' | 'low' | 'insufficient';

export function creditStanding(
  credits: Credits | null,
  demo: boolean,
  perImage: number,
  total: number,
): CreditStanding {
  if (demo) return 'free';
  if (credits === null || credits.demo) return 'unknown';
  if (credits.balance < total) return 'insufficient';
  return credits.balance < perImage * LOW_BALANCE_IMAGES ? 'low' : 'ok';
}

/** The aspect ratio and format to keep when switching to `model`: its default for one it lacks. */
export function fitToModel(
  model: ModelId,
  current: { aspectRatio: AspectRatio; outputFormat: OutputFormat },
): { aspectRatio: AspectRatio; outputFormat: OutputFormat } {
  const spec = MODELS[model];
  return {
    aspectRatio: spec.aspectRatios.includes(current.aspectRatio)
      ? current.aspectRatio
      : (spec.aspectRatios[0] ?? current.aspectRatio),
    outputFormat: spec.outputFormats.includes(current.outputFormat)
      ? current.outputFormat
      : (spec.outputFormats[0] ?? current.outputFormat),
  };
}

/** Where the caret is in the prompt box, for ↑/↓ recall in a multi-line prompt. */
export interface CaretPlace {
  onFirstLine: boolean;
  onLastLine: boolean;
}

export function caretPlace(text: string, selectionStart: number, selectionEnd: number): CaretPlace {
  return {
    onFirstLine: !text.slice(0, selectionStart).includes('\n'),
    onLastLine: !text.slice(selectionEnd).includes('\n'),
  };
}

/**
 * ↑/↓ in the prompt box, as in a shell. `index` is the history entry on show (0 = newest), or
 * null when the box holds the user's own text. ↑ in an empty box recalls the newest prompt; while
 * a recalled prompt is on show unchanged, ↑ goes further back and ↓ forward, and ↓ past the
 * newest empties the box again. In a recalled multi-line prompt the arrows move the caret until it
 * reaches the first (↑) or last (↓) line. Null: the key is left to the text box.
 */
export function stepHistory(
  history: readonly string[],
  index: number | null,
  prompt: string,
  direction: 'older' | 'newer',
  caret: CaretPlace = { onFirstLine: true, onLastLine: true },
): { index: number | null; prompt: string } | null {
  const browsing = index !== null && history[index] === prompt && prompt !== '';
  const at = browsing ? index : null;
  if (at === null && prompt !== '') return null;
  if (direction === 'older') {
    if (at !== null && !caret.onFirstLine) return null;
    const next = at === null ? 0 : at + 1;
    const recalled = history[next];
    return recalled === undefined ? null : { index: next, prompt: recalled };
  }
  if (at === null || !caret.onLastLine) return null;
  if (at === 0) return { index: null, prompt: '' };
  return { index: at - 1, prompt: history[at - 1] ?? '' };
}

/** The history entries matching `query` (case-insensitive, every word), newest first. */
export function searchHistory(history: readonly string[], query: string): string[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...history];
  return history.filter((item) => {
    const text = item.toLocaleLowerCase();
    return words.every((word) => text.includes(word));
  });
}
