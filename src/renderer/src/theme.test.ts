import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTheme } from './theme';

describe('resolveTheme', () => {
  it.each([
    ['system', false, 'light'],
    ['system', true, 'dark'],
    ['light', true, 'light'],
    ['light', false, 'light'],
    ['dark', false, 'dark'],
    ['dark', true, 'dark'],
  ] as const)('%s with the OS dark=%s → %s', (setting, prefersDark, expected) => {
    expect(resolveTheme(setting, prefersDark)).toBe(expected);
  });
});

describe('the stylesheet', () => {
  const css = readFileSync(join(import.meta.dirname, 'styles.css'), 'utf8');

  it('follows the explicit choice through color-scheme', () => {
    expect(css).toMatch(/:root\[data-theme='light'\]\s*{\s*color-scheme: light;/);
    expect(css).toMatch(/:root\[data-theme='dark'\]\s*{\s*color-scheme: dark;/);
  });

  it('has no dark colours that only the OS setting can switch on', () => {
    // A `prefers-color-scheme` block would ignore the user's choice: colours use light-dark().
    expect(css).not.toMatch(/@media[^{]*prefers-color-scheme/);
  });
});
