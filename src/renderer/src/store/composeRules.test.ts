import { describe, expect, it } from 'vitest';
import type { Credits } from '@shared/domain/credits';
import { MODELS } from '@shared/domain/models';
import {
  caretPlace,
  counterLevel,
  creditStanding,
  fitToModel,
  measuredLength,
  planTasks,
  promptProblem,
  searchHistory,
  stepHistory,
} from './composeRules';

const balance = (value: number, demo = false): Credits => ({
  balance: value,
  demo,
  checkedAt: '2026-11-25T04:00:00.000Z',
});

describe('prompt counter', () => {
  it.each([
    [0, 'ok'],
    [4499, 'ok'],
    [4500, 'near'],
    [5000, 'near'],
    [5001, 'over'],
  ] as const)('%i of 5000 is %s', (length, level) => {
    expect(counterLevel(length, 5000)).toBe(level);
  });

  it('measures the prompt, or in batch mode its longest line', () => {
    expect(measuredLength('  a cat  ', false)).toBe(5);
    expect(measuredLength('a cat\nthe longest line\n\n', true)).toBe(16);
    expect(measuredLength('', true)).toBe(0);
  });

  it('names the problem: empty, or how far over the limit (and which batch line)', () => {
    expect(promptProblem('  ', 'google/nano-banana')).toEqual({ kind: 'empty' });
    expect(promptProblem('\n\n', 'google/nano-banana', true)).toEqual({ kind: 'empty' });
    expect(promptProblem('x'.repeat(5000), 'google/nano-banana')).toBeNull();
    expect(promptProblem('x'.repeat(20_003), 'nano-banana-2')).toEqual({
      kind: 'tooLong',
      over: 3,
      line: null,
    });
    expect(promptProblem(`ok\n\n${'y'.repeat(10_001)}\nfine`, 'nano-banana-pro', true)).toEqual({
      kind: 'tooLong',
      over: 1,
      line: 2,
    });
  });

  // Each model's own limit, from its KIE page (see models.ts).
  it.each([
    ['google/nano-banana', 5000],
    ['google/nano-banana-edit', 5000],
    ['nano-banana-pro', 10_000],
    ['nano-banana-2', 20_000],
  ] as const)('%s takes %i characters; one more is over, and the counter says so', (model, limit) => {
    expect(MODELS[model].promptMaxChars).toBe(limit);
    expect(promptProblem('x'.repeat(limit), model)).toBeNull();
    expect(promptProblem('x'.repeat(limit + 1), model)).toEqual({ kind: 'tooLong', over: 1, line: null });
    expect(counterLevel(measuredLength('x'.repeat(limit), false), MODELS[model].promptMaxChars)).toBe('near');
    expect(counterLevel(limit + 1, MODELS[model].promptMaxChars)).toBe('over');
  });
});

describe('planTasks', () => {
  it('sends each prompt images-per-prompt times, in order', () => {
    expect(planTasks('a fox', false, 3)).toEqual(['a fox', 'a fox', 'a fox']);
    expect(planTasks(' a fox \n\n  \nb owl\n', true, 2)).toEqual(['a fox', 'a fox', 'b owl', 'b owl']);
  });

  it('keeps a prompt whole outside batch mode, line breaks and all', () => {
    expect(planTasks('a fox\nin the snow', false, 1)).toEqual(['a fox\nin the snow']);
  });

  it('plans nothing for an empty box', () => {
    expect(planTasks('  \n ', true, 4)).toEqual([]);
    expect(planTasks('', false, 2)).toEqual([]);
  });
});

describe('creditStanding', () => {
  it('is free in Demo mode, whatever the balance', () => {
    expect(creditStanding(balance(0), true, 4, 8)).toBe('free');
  });

  it('is unknown before a balance was read, or when it is the demo balance', () => {
    expect(creditStanding(null, false, 4, 8)).toBe('unknown');
    expect(creditStanding(balance(0, true), false, 4, 8)).toBe('unknown');
  });

  it('refuses below the cost, warns below ten images, else ok', () => {
    expect(creditStanding(balance(7), false, 4, 8)).toBe('insufficient');
    expect(creditStanding(balance(8), false, 4, 8)).toBe('low');
    expect(creditStanding(balance(39), false, 4, 8)).toBe('low');
    expect(creditStanding(balance(40), false, 4, 8)).toBe('ok');
  });
});

describe('fitToModel', () => {
  it('keeps values the model takes', () => {
    expect(fitToModel('nano-banana-pro', { aspectRatio: '21:9', outputFormat: 'jpeg' })).toEqual({
      aspectRatio: '21:9',
      outputFormat: 'jpeg',
    });
  });

  it('Nano Banana 2 offers 1:4, 4:1, 1:8 and 8:1; leaving it for Pro falls back to Pro’s default', () => {
    for (const ratio of ['1:4', '4:1', '1:8', '8:1'] as const) {
      expect(MODELS['nano-banana-2'].aspectRatios).toContain(ratio);
      expect(fitToModel('nano-banana-2', { aspectRatio: ratio, outputFormat: 'png' }).aspectRatio).toBe(
        ratio,
      );
      for (const model of ['google/nano-banana', 'google/nano-banana-edit', 'nano-banana-pro'] as const) {
        expect(MODELS[model].aspectRatios).not.toContain(ratio);
        expect(fitToModel(model, { aspectRatio: ratio, outputFormat: 'png' }).aspectRatio).toBe('1:1');
      }
    }
  });
});

describe('history recall with ↑ and ↓', () => {
  const history = ['newest', 'middle', 'oldest'];

  it('↑ in an empty box recalls the newest, then older ones; ↓ comes back and empties the box', () => {
    let state = stepHistory(history, null, '', 'older');
    expect(state).toEqual({ index: 0, prompt: 'newest' });
    state = stepHistory(history, state?.index ?? null, state?.prompt ?? '', 'older');
    expect(state).toEqual({ index: 1, prompt: 'middle' });
    state = stepHistory(history, state?.index ?? null, state?.prompt ?? '', 'older');
    expect(state).toEqual({ index: 2, prompt: 'oldest' });
    expect(stepHistory(history, 2, 'oldest', 'older')).toBeNull();
    state = stepHistory(history, 2, 'oldest', 'newer');
    expect(state).toEqual({ index: 1, prompt: 'middle' });
    expect(stepHistory(history, 0, 'newest', 'newer')).toEqual({ index: null, prompt: '' });
  });

  it('leaves the keys to the box when it holds the user’s own text, or an edited recall', () => {
    expect(stepHistory(history, null, 'my own words', 'older')).toBeNull();
    expect(stepHistory(history, 1, 'middle, edited', 'older')).toBeNull();
    expect(stepHistory(history, null, '', 'newer')).toBeNull();
    expect(stepHistory([], null, '', 'older')).toBeNull();
  });

  it('an emptied box starts again from the newest', () => {
    expect(stepHistory(history, 2, '', 'older')).toEqual({ index: 0, prompt: 'newest' });
  });

  it('in a recalled multi-line prompt, the arrows move the caret until the first or last line', () => {
    const multi = ['line one\nline two', 'older'];
    const text = multi[0] ?? '';
    const end = text.length;
    expect(stepHistory(multi, 0, text, 'older', caretPlace(text, end, end))).toBeNull();
    expect(stepHistory(multi, 0, text, 'older', caretPlace(text, 2, 2))).toEqual({
      index: 1,
      prompt: 'older',
    });
    expect(stepHistory(multi, 0, text, 'newer', caretPlace(text, 2, 2))).toBeNull();
    expect(stepHistory(multi, 0, text, 'newer', caretPlace(text, end, end))).toEqual({
      index: null,
      prompt: '',
    });
  });
});

describe('searchHistory', () => {
  it('matches every word, any case, newest first', () => {
    const history = ['A red fox in snow', 'a blue whale', 'red sunset over the sea'];
    expect(searchHistory(history, 'RED')).toEqual(['A red fox in snow', 'red sunset over the sea']);
    expect(searchHistory(history, 'red sea')).toEqual(['red sunset over the sea']);
    expect(searchHistory(history, '  ')).toEqual(history);
    expect(searchHistory(history, 'owl')).toEqual([]);
  });
});
