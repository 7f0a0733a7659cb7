import { z } from 'zod';
import { PROMPT_HISTORY_MAX, rememberPrompt } from '@shared/domain/prompts';
import type { Logger } from '../log/logger';
import type { KeyValueStore } from '../ports';

const HISTORY_KEY = 'promptHistory';
const storedSchema = z.array(z.string()).max(PROMPT_HISTORY_MAX * 2);

/**
 * The prompts the user submitted, newest first, in the settings key/value store. Kept in core
 * rather than the renderer's localStorage: the harness serves the renderer from a new origin on
 * every start (localStorage would be empty), and Electron and the harness share core's store.
 */
export class PromptHistory {
  private items: string[];

  constructor(
    private readonly store: KeyValueStore,
    private readonly log: Logger,
  ) {
    const parsed = storedSchema.safeParse(store.get(HISTORY_KEY) ?? []);
    if (!parsed.success) log.warn('Prompt history was unreadable and starts empty');
    this.items = parsed.success ? parsed.data.slice(0, PROMPT_HISTORY_MAX) : [];
  }

  list(limit: number): string[] {
    return this.items.slice(0, limit);
  }

  record(prompt: string): void {
    const next = rememberPrompt(this.items, prompt);
    if (next.length === this.items.length && next.every((item, index) => item === this.items[index])) return;
    this.items = next;
    try {
      this.store.set(HISTORY_KEY, next);
    } catch (error) {
      // Losing a history entry is not worth failing the job the user just submitted.
      this.log.warn('Could not save the prompt history', { error });
    }
  }
}
