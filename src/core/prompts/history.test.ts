import { describe, expect, it } from 'vitest';
import { PROMPT_HISTORY_MAX } from '@shared/domain/prompts';
import { createLogger, MemorySink } from '../log/logger';
import { memoryStore } from '../testing/memoryPorts';
import { PromptHistory } from './history';

const logger = () => createLogger({ sinks: [new MemorySink()] });

describe('PromptHistory', () => {
  it('records newest first, once each, and persists across restarts', () => {
    const store = memoryStore();
    const history = new PromptHistory(store, logger());
    history.record('a cat');
    history.record('a dog');
    history.record(' a cat ');
    expect(history.list(10)).toEqual(['a cat', 'a dog']);
    expect(new PromptHistory(store, logger()).list(1)).toEqual(['a cat']);
  });

  it(`keeps ${PROMPT_HISTORY_MAX}`, () => {
    const history = new PromptHistory(memoryStore(), logger());
    for (let index = 0; index < PROMPT_HISTORY_MAX + 5; index += 1) history.record(`p${index}`);
    expect(history.list(PROMPT_HISTORY_MAX + 50)).toHaveLength(PROMPT_HISTORY_MAX);
  });

  it('starts empty from an unreadable value, and a failing store does not throw', () => {
    const sink = new MemorySink();
    const store = memoryStore({ promptHistory: 'not a list' });
    store.set = () => {
      throw new Error('disk full');
    };
    const history = new PromptHistory(store, createLogger({ sinks: [sink] }));
    expect(history.list(10)).toEqual([]);
    expect(() => history.record('a cat')).not.toThrow();
    expect(history.list(10)).toEqual(['a cat']);
    expect(sink.entries.map((entry) => entry.message)).toEqual([
      'Prompt history was unreadable and starts empty',
      'Could not save the prompt history',
    ]);
  });
});
