import { describe, expect, it } from 'vitest';
import {
  arrowHead,
  brushCurves,
  markBounds,
  markPath,
  markPhrases,
  marksLayerSchema,
  markSizes,
  marksSvg,
  MAX_POINTS,
  type Mark,
  type MarksLayer,
} from './marks';

const layer = (marks: Mark[]): MarksLayer => ({ version: 1, width: 400, height: 300, marks });

describe('mark geometry', () => {
  it('draws a box from any two corners', () => {
    const path = markPath({ kind: 'rect', color: 'red', width: 4, from: [300, 200], to: [100, 50.555] });
    expect(path).toBe('M 100 50.56 H 300 V 200 H 100 Z');
  });

  it('draws an ellipse inside the dragged box as two arcs', () => {
    expect(markPath({ kind: 'ellipse', color: 'red', width: 4, from: [0, 0], to: [100, 50] })).toBe(
      'M 0 25 A 50 25 0 1 0 100 25 A 50 25 0 1 0 0 25 Z',
    );
  });

  it('gives an arrow a head at its end, opening backwards, never longer than the shaft allows', () => {
    const [left, right] = arrowHead([0, 0], [100, 0], 5);
    // Head length max(5 × 4, 10) = 20 at ±0.5 rad, behind the tip.
    expect(left[0]).toBeCloseTo(100 - 20 * Math.cos(0.5));
    expect(left[1]).toBeCloseTo(-20 * Math.sin(0.5));
    expect(right[1]).toBeCloseTo(20 * Math.sin(0.5));
    const short = arrowHead([0, 0], [10, 0], 5);
    expect(Math.hypot(10 - short[0][0], short[0][1])).toBeCloseTo(6);
  });

  it('smooths a stroke through its midpoints; one sample is a dot', () => {
    const points: [number, number][] = [
      [0, 0],
      [10, 0],
      [20, 10],
      [30, 10],
    ];
    expect(markPath({ kind: 'brush', color: 'red', width: 4, points })).toBe(
      'M 0 0 Q 10 0 15 5 Q 20 10 25 10 L 30 10',
    );
    expect(markPath({ kind: 'brush', color: 'red', width: 4, points: [[5, 5]] })).toBe('M 5 5 L 5.01 5');
  });

  it('draws a stroke in progress by settled curves, each once, the same as the whole stroke', () => {
    const points: [number, number][] = [
      [0, 0],
      [10, 0],
      [20, 10],
      [30, 10],
      [40, 0],
      [50, 5],
    ];
    const curves = (path: string) => (path.match(/Q [^QML]+/g) ?? []).map((curve) => curve.trim());
    // Drawn as samples come in: after 3, after 5 and after 6 samples, from where it had got to.
    let drawn = 0;
    const pieces: string[] = [];
    for (const count of [1, 2, 3, 5, 6]) {
      const settled = count - 2;
      if (settled <= drawn) continue;
      pieces.push(brushCurves(points.slice(0, count), drawn));
      drawn = settled;
    }
    expect(pieces).toEqual([
      'M 0 0 Q 10 0 15 5',
      'M 15 5 Q 20 10 25 10 Q 30 10 35 5',
      'M 35 5 Q 40 0 45 2.5',
    ]);
    const whole = markPath({ kind: 'brush', color: 'red', width: 4, points });
    expect(pieces.flatMap(curves)).toEqual(curves(whole));
    expect(brushCurves(points.slice(0, 2), 0)).toBe('M 0 0');
    expect(brushCurves(points, 4)).toBe('M 45 2.5');
    expect(brushCurves(points, 5)).toBe('');
  });

  it('bounds a mark with its stroke, for selection', () => {
    expect(markBounds({ kind: 'rect', color: 'red', width: 10, from: [10, 20], to: [50, 60] })).toEqual({
      x: 5,
      y: 15,
      width: 50,
      height: 50,
    });
  });

  it('scales the offered sizes with the picture', () => {
    const small = markSizes(256, 256);
    const large = markSizes(4096, 2048);
    expect(small.map((size) => size.stroke)).toEqual([2, 3, 4, 6]);
    expect(large.map((size) => size.stroke)).toEqual([12, 25, 49, 98]);
    expect(large[1]?.text).toBe(143);
  });
});

describe('the flattened SVG', () => {
  it('is the picture’s size, strokes each shape with its colour, and escapes notes', () => {
    const svg = marksSvg(
      layer([
        { kind: 'rect', color: 'blue', width: 6, from: [10, 10], to: [50, 50] },
        { kind: 'text', color: 'yellow', size: 30, at: [10, 100], text: 'a <b> & "c"' },
      ]),
    );
    expect(svg).toContain('width="400" height="300" viewBox="0 0 400 300"');
    expect(svg).toContain('<path d="M 10 10 H 50 V 50 H 10 Z" fill="none" stroke="#1e88e5" stroke-width="6"');
    expect(svg).toContain('>a &lt;b&gt; &amp; &quot;c&quot;</text>');
    // Light notes get a dark outline, drawn under the letters.
    expect(svg).toMatch(
      /fill="#fdd835" stroke="#000000" stroke-width="3.6" stroke-linejoin="round" paint-order="stroke"/,
    );
    expect(svg).toContain('y="124"');
  });

  it('can paint every mark one colour on a background, as a mask would', () => {
    const svg = marksSvg(
      layer([
        { kind: 'brush', color: 'red', width: 6, points: [[1, 1]] },
        { kind: 'text', color: 'green', size: 20, at: [0, 0], text: 'x' },
      ]),
      { paint: () => '#ffffff', background: '#000000' },
    );
    expect(svg).toContain('<rect width="400" height="300" fill="#000000"/>');
    expect(svg).not.toMatch(/#e53935|#43a047/);
    expect(svg.match(/#ffffff/g)).toHaveLength(2);
  });
});

describe('the marks layer schema', () => {
  const rect: Mark = { kind: 'rect', color: 'red', width: 4, from: [0, 0], to: [10, 10] };

  it('takes marks reaching a little past the edge, not far outside or too many points', () => {
    expect(marksLayerSchema.safeParse(layer([{ ...rect, to: [450, -20] }])).success).toBe(true);
    expect(marksLayerSchema.safeParse(layer([{ ...rect, to: [801, 10] }])).success).toBe(false);
    const points = Array.from({ length: MAX_POINTS / 2 + 1 }, (_, i): [number, number] => [i % 400, 1]);
    const heavy = layer([
      { kind: 'brush', color: 'red', width: 2, points },
      { kind: 'brush', color: 'red', width: 2, points },
    ]);
    expect(marksLayerSchema.safeParse(heavy).success).toBe(false);
  });

  it('refuses an unknown colour, an empty or control-character note, and extra fields', () => {
    for (const mark of [
      { ...rect, color: 'pink' },
      { kind: 'text', color: 'red', size: 10, at: [0, 0], text: '   ' },
      { kind: 'text', color: 'red', size: 10, at: [0, 0], text: 'tab\there' },
      { ...rect, extra: true },
      { ...rect, width: Number.NaN },
    ]) {
      expect(marksLayerSchema.safeParse({ version: 1, width: 400, height: 300, marks: [mark] }).success).toBe(
        false,
      );
    }
  });
});

describe('phrases for the prompt', () => {
  it('names each kind and colour once, and every note, in drawing order', () => {
    expect(
      markPhrases([
        { kind: 'rect', color: 'red', width: 4, from: [0, 0], to: [1, 1] },
        { kind: 'arrow', color: 'blue', width: 4, from: [0, 0], to: [1, 1] },
        { kind: 'rect', color: 'red', width: 8, from: [5, 5], to: [9, 9] },
        { kind: 'text', color: 'white', size: 10, at: [0, 0], text: 'make it blue' },
        { kind: 'ellipse', color: 'green', width: 4, from: [0, 0], to: [1, 1] },
        { kind: 'rect', color: 'green', width: 4, from: [0, 0], to: [1, 1] },
      ]),
    ).toEqual([
      { kind: 'rect', color: 'red' },
      { kind: 'arrow', color: 'blue' },
      { kind: 'text', text: 'make it blue' },
      { kind: 'ellipse', color: 'green' },
      { kind: 'rect', color: 'green' },
    ]);
  });
});
