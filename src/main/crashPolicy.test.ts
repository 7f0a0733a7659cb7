import { describe, expect, it } from 'vitest';
import { CRASH_WINDOW_MS, crashPolicy } from './crashPolicy';

const now = 1_000_000;

describe('crashPolicy', () => {
  it.each([
    ['the first crash', [], 'reload'],
    ['a crash long ago', [now - 10 * CRASH_WINDOW_MS], 'reload'],
    ['a crash exactly a minute ago', [now - CRASH_WINDOW_MS], 'reload'],
    ['a crash just under a minute ago', [now - CRASH_WINDOW_MS + 1], 'show-error'],
    ['a crash a second ago', [now - 1_000], 'show-error'],
    ['a crash at the same instant', [now], 'show-error'],
    ['an old crash and a recent one', [now - 5 * CRASH_WINDOW_MS, now - 30_000], 'show-error'],
    ['several old crashes', [now - 3 * CRASH_WINDOW_MS, now - 2 * CRASH_WINDOW_MS], 'reload'],
    ['a time in the future (clock change)', [now + 5_000], 'reload'],
  ] as const)('%s: %s', (_name, history, expected) => {
    expect(crashPolicy(history, now)).toBe(expected);
  });
});
