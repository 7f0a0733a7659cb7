import { describe, expect, it } from 'vitest';
import { collageCells, demoMarkBox, overlayMarkup, sceneSvg, wrapCaption, xmlText } from './demoPicture';
import { drawableText, type GlyphProbe } from './fontCoverage';

describe('wrapCaption', () => {
  it('wraps words into lines that fit', () => {
    const lines = wrapCaption('a lighthouse at dawn over a quiet sea', 12, 3);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe('a lighthouse at dawn over a quiet sea');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(20);
  });

  it('stops at the line limit with an ellipsis', () => {
    const lines = wrapCaption('one two three four five six seven eight nine ten eleven twelve', 8, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('…')).toBe(true);
  });

  it('breaks Chinese between characters and a word longer than a line inside it', () => {
    const chinese = wrapCaption('黎明时的灯塔照亮了安静的海面', 5, 4);
    expect(chinese.length).toBeGreaterThan(2);
    expect(chinese.join('')).toBe('黎明时的灯塔照亮了安静的海面');
    const long = wrapCaption('supercalifragilisticexpialidocious', 6, 5);
    expect(long.length).toBeGreaterThan(1);
    expect(long.join('')).toBe('supercalifragilisticexpialidocious');
  });

  it('gives no lines for an empty prompt', () => {
    expect(wrapCaption('   ', 10, 3)).toEqual([]);
  });
});

describe('xmlText', () => {
  it('escapes markup and drops what XML cannot hold', () => {
    expect(xmlText(`<b>&"'`)).toBe('&lt;b&gt;&amp;&quot;&apos;');
    expect(xmlText('a\u0001b\u0000c')).toBe('a b c');
    expect(xmlText('x\uD800y')).toBe('xy');
  });

  it('keeps a hostile prompt inside its text element', () => {
    const svg = overlayMarkup(512, 512, ['</text><script>alert(1)</script>']);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
  });
});

describe('layers', () => {
  it('the caption holds the words and the mark says DEMO', () => {
    const svg = overlayMarkup(800, 600, ['a red fox', 'in snow']);
    expect(svg).toContain('>a red fox</tspan>');
    expect(svg).toContain('>in snow</tspan>');
    expect(svg).toContain('>DEMO</text>');
  });

  it('the mark stays inside the picture, top right; none on a tiny picture', () => {
    for (const [width, height] of [
      [1024, 1024],
      [1024, 439],
      [288, 512],
    ] as const) {
      const box = demoMarkBox(width, height);
      expect(box).not.toBeNull();
      if (!box) continue;
      expect(box.left).toBeGreaterThan(width / 2);
      expect(box.left + box.width).toBeLessThanOrEqual(width);
      expect(box.top + box.height).toBeLessThan(height / 4);
    }
    expect(demoMarkBox(64, 64)).toBeNull();
  });

  it('the scene follows the prompt and the variation, and repeats for equal ones', () => {
    const scene = (prompt: string, variation: string) =>
      sceneSvg(prompt, 256, 256, variation, { captionBand: 40 });
    expect(scene('a fox', 'task-1')).toBe(scene('a fox', 'task-1'));
    expect(scene('a fox', 'task-1')).not.toBe(scene('a fox', 'task-2'));
    expect(scene('a fox', 'task-1')).not.toBe(scene('a whale', 'task-1'));
  });
});

describe('collageCells', () => {
  const area = { left: 10, top: 10, width: 400, height: 300 };
  const overlaps = (a: (typeof cells)[number], b: (typeof cells)[number]) =>
    a.left < b.left + b.width &&
    b.left < a.left + a.width &&
    a.top < b.top + b.height &&
    b.top < a.top + a.height;
  const cells = collageCells(5, area, 8);

  it.each([1, 2, 3, 4, 5, 7, 10])(
    '%i references: one cell each, inside the area, none overlapping',
    (count) => {
      const placed = collageCells(count, area, 8);
      expect(placed).toHaveLength(count);
      for (const cell of placed) {
        expect(cell.left).toBeGreaterThanOrEqual(area.left);
        expect(cell.top).toBeGreaterThanOrEqual(area.top);
        expect(cell.left + cell.width).toBeLessThanOrEqual(area.left + area.width);
        expect(cell.top + cell.height).toBeLessThanOrEqual(area.top + area.height);
      }
      for (const [index, a] of placed.entries())
        for (const b of placed.slice(index + 1)) expect(overlaps(a, b)).toBe(false);
    },
  );

  it('the last row fills the width, so no corner is left empty', () => {
    const lastRowTop = Math.max(...cells.map((cell) => cell.top));
    const lastRow = cells.filter((cell) => cell.top === lastRowTop);
    const right = Math.max(...lastRow.map((cell) => cell.left + cell.width));
    expect(right).toBe(area.left + area.width);
  });
});

describe('drawableText', () => {
  const probe = (covered: (codePoint: number) => boolean) => {
    const asked: number[] = [];
    const fn: GlyphProbe = async (codePoint) => {
      asked.push(codePoint);
      return covered(codePoint);
    };
    return { fn, asked };
  };

  it('drops the characters no font can draw, once per script, and keeps the rest', async () => {
    const noCjk = probe((codePoint) => codePoint < 0x2e80);
    expect(await drawableText('黎明时的灯塔 lighthouse at dawn', noCjk.fn)).toBe('lighthouse at dawn');
    // Six Han characters, one question.
    expect(noCjk.asked).toEqual(['黎'.codePointAt(0)]);
    expect(await drawableText('灯塔', noCjk.fn)).toBe('');
  });

  it('keeps everything a font covers, without asking about Latin', async () => {
    const all = probe(() => true);
    expect(await drawableText('黎明时的灯塔 Привет a b', all.fn)).toBe('黎明时的灯塔 Привет a b');
    expect(all.asked).toHaveLength(2);
    const latin = probe(() => false);
    expect(await drawableText('café au lait', latin.fn)).toBe('café au lait');
    expect(latin.asked).toEqual([]);
  });
});
