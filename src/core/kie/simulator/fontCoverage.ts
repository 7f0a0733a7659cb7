import { execFile } from 'node:child_process';

/**
 * Whether some installed font can draw a character, so the demo picture never shows "tofu"
 * boxes: sharp draws SVG text through Pango and fontconfig, which fall back per character but
 * draw a hex box when no font has it (e.g. a server without CJK fonts and a Chinese prompt).
 */
export type GlyphProbe = (codePoint: number) => Promise<boolean>;

/** Latin, its extensions and IPA: every font the simulator could meet draws these. */
const ALWAYS_DRAWN = 0x24f;

/**
 * Scripts probed once by their first character met, not character by character: a font that
 * has one Han character has the common ones, and a prompt may hold hundreds of them.
 */
const SCRIPTS = [
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Thai',
  'Arabic',
  'Hebrew',
  'Devanagari',
  'Bengali',
  'Tamil',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Georgian',
  'Ethiopic',
  'Khmer',
].map((name) => ({ name, pattern: new RegExp(`\\p{Script=${name}}`, 'u') }));

function probeKey(char: string): string {
  return SCRIPTS.find((script) => script.pattern.test(char))?.name ?? char;
}

/**
 * Asks fontconfig (the library sharp's SVG text uses) for a font covering the character. Where
 * `fc-list` cannot run (Windows, macOS without fontconfig tools) the system fonts are assumed
 * to cover it: those systems ship fonts for every common script.
 */
export const fontconfigProbe: GlyphProbe = (codePoint) =>
  new Promise((resolve) => {
    execFile(
      'fc-list',
      [`:charset=${codePoint.toString(16)}`, 'family'],
      { timeout: 3_000, windowsHide: true },
      (error, stdout) => resolve(error ? true : stdout.trim() !== ''),
    );
  });

const answers = new Map<string, Promise<boolean>>();

/**
 * `text` without the characters no installed font can draw (runs of spaces they leave are
 * folded). Answers are kept for the process's life, so a prompt costs a probe per new script.
 */
export async function drawableText(text: string, probe: GlyphProbe = fontconfigProbe): Promise<string> {
  const chars = [...text];
  const keys = new Map<string, number>();
  for (const char of chars) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (codePoint <= ALWAYS_DRAWN) continue;
    const key = probeKey(char);
    if (!keys.has(key)) keys.set(key, codePoint);
  }
  const cache = probe === fontconfigProbe ? answers : new Map<string, Promise<boolean>>();
  const covered = new Map<string, boolean>();
  await Promise.all(
    [...keys].map(async ([key, codePoint]) => {
      let answer = cache.get(key);
      if (!answer) {
        answer = probe(codePoint);
        cache.set(key, answer);
      }
      covered.set(key, await answer);
    }),
  );
  return chars
    .filter((char) => (char.codePointAt(0) ?? 0) <= ALWAYS_DRAWN || covered.get(probeKey(char)) !== false)
    .join('')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
