import { describe, expect, it } from 'vitest';
import { batchPrompts, PROMPT_HISTORY_MAX, promptLength, rememberPrompt } from './prompts';

describe('prompt history', () => {
  it('keeps the newest first, each prompt once, trimmed', () => {
    let history = rememberPrompt([], 'a cat');
    history = rememberPrompt(history, '  a dog\n');
    history = rememberPrompt(history, 'a cat');
    expect(history).toEqual(['a cat', 'a dog']);
  });

  it('does not remember blank prompts', () => {
    expect(rememberPrompt(['a cat'], '   \n ')).toEqual(['a cat']);
  });

  it(`keeps at most ${PROMPT_HISTORY_MAX}`, () => {
    let history: string[] = [];
    for (let index = 0; index < PROMPT_HISTORY_MAX + 25; index += 1) {
      history = rememberPrompt(history, `prompt ${index}`);
    }
    expect(history).toHaveLength(PROMPT_HISTORY_MAX);
    expect(history[0]).toBe(`prompt ${PROMPT_HISTORY_MAX + 24}`);
    expect(history.at(-1)).toBe('prompt 25');
  });
});

describe('batch prompts', () => {
  it('one per line, trimmed, blank lines left out', () => {
    expect(batchPrompts('  a red fox \n\n   \nblue whale\r\n\tgreen frog\t\n')).toEqual([
      'a red fox',
      'blue whale',
      'green frog',
    ]);
  });

  it('nothing from an empty or blank text', () => {
    expect(batchPrompts('')).toEqual([]);
    expect(batchPrompts('\n  \n')).toEqual([]);
  });
});

describe('promptLength', () => {
  it('counts the trimmed text the way core and KIE check it', () => {
    expect(promptLength('  猫 cat \n')).toBe(5);
    expect(promptLength('🍌')).toBe(2);
  });
});
