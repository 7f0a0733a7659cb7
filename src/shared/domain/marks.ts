import { z } from 'zod';

/**
 * Marks drawn on a reference image to guide an edit (a box, an ellipse, an arrow, a scribble, a
 * note), kept as data: a layer in the source image's pixel coordinates that the editor draws on
 * a canvas and core flattens with sharp as SVG. Both draw through the geometry below (one SVG
 * path per mark, one text layout), so the saved picture is what the editor showed.
 *
 * The layer says nothing about paint beyond a named colour, so a later mask export can render
 * the same shapes white on black (see `marksSvg`'s `paint`).
 */

/** Named colours, so the prompt can say "inside the red box" in the user's language. */
export const MARK_COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'white', 'black'] as const;
export type MarkColor = (typeof MARK_COLORS)[number];

export const MARK_COLOR_HEX: Record<MarkColor, string> = {
  red: '#e53935',
  orange: '#fb8c00',
  yellow: '#fdd835',
  green: '#43a047',
  blue: '#1e88e5',
  purple: '#8e24aa',
  white: '#ffffff',
  black: '#000000',
};

export const MARK_KINDS = ['rect', 'ellipse', 'arrow', 'brush', 'text'] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

/** A layer's limits: generous for one picture, small enough to cross IPC in one message. */
export const MAX_MARKS = 500;
export const MAX_POINTS = 100_000;
export const MAX_MARK_TEXT = 200;
/** The largest picture side a layer may describe (sharp's own decode limit). */
export const MAX_LAYER_SIDE = 0x3fff;

const coordinateSchema = z.number().finite();
export const markPointSchema = z.tuple([coordinateSchema, coordinateSchema]);
export type MarkPoint = z.infer<typeof markPointSchema>;

const colorSchema = z.enum(MARK_COLORS);
const widthSchema = z.number().finite().positive().max(1024);
const twoPoints = { color: colorSchema, width: widthSchema, from: markPointSchema, to: markPointSchema };

export const markSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rect'), ...twoPoints }).strict(),
  z.object({ kind: z.literal('ellipse'), ...twoPoints }).strict(),
  z.object({ kind: z.literal('arrow'), ...twoPoints }).strict(),
  z
    .object({
      kind: z.literal('brush'),
      color: colorSchema,
      width: widthSchema,
      points: z.array(markPointSchema).min(1).max(MAX_POINTS),
    })
    .strict(),
  z
    .object({
      kind: z.literal('text'),
      color: colorSchema,
      /** Font size in source pixels. */
      size: z.number().finite().positive().max(4096),
      /** The top-left corner of the text. */
      at: markPointSchema,
      // Control characters have no place in a note, and XML (the SVG) cannot carry them.
      text: z
        .string()
        .trim()
        .min(1)
        .max(MAX_MARK_TEXT)
        .refine((text) => !hasControlCharacter(text), 'A note cannot hold control characters.'),
    })
    .strict(),
]);
export type Mark = z.infer<typeof markSchema>;
export type StrokeMark = Exclude<Mark, { kind: 'text' }>;
export type TextMark = Extract<Mark, { kind: 'text' }>;

const isControl = (code: number): boolean => code < 0x20 || code === 0x7f;

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    if (isControl(text.charCodeAt(index))) return true;
  }
  return false;
}

/** Typed or pasted text as a note can hold it: control characters as spaces, trimmed, cut to length. */
export function noteText(text: string): string {
  let kept = '';
  // Whole characters only, up to the schema's limit in UTF-16 units (an emoji is two).
  for (const char of text.trim()) {
    if (kept.length + char.length > MAX_MARK_TEXT) break;
    kept += isControl(char.charCodeAt(0)) ? ' ' : char;
  }
  return kept.trim();
}

export const marksLayerSchema = z
  .object({
    version: z.literal(1),
    /** The picture the marks were drawn on, as shown (EXIF orientation applied). */
    width: z.number().int().positive().max(MAX_LAYER_SIDE),
    height: z.number().int().positive().max(MAX_LAYER_SIDE),
    marks: z.array(markSchema).max(MAX_MARKS),
  })
  .strict()
  .superRefine((layer, ctx) => {
    let points = 0;
    for (const [index, mark] of layer.marks.entries()) {
      const all = markPoints(mark);
      points += all.length;
      // A mark may reach past the edge (it is clipped there); one far outside is a mistake.
      const outside = all.some(
        ([x, y]) => x < -layer.width || x > 2 * layer.width || y < -layer.height || y > 2 * layer.height,
      );
      if (outside) {
        ctx.addIssue({
          code: 'custom',
          path: ['marks', index],
          message: 'A mark lies far outside the picture.',
        });
      }
    }
    if (points > MAX_POINTS) {
      ctx.addIssue({
        code: 'custom',
        path: ['marks'],
        message: `The marks hold more than ${MAX_POINTS} points.`,
      });
    }
  });
export type MarksLayer = z.infer<typeof marksLayerSchema>;

function markPoints(mark: Mark): readonly MarkPoint[] {
  switch (mark.kind) {
    case 'brush':
      return mark.points;
    case 'text':
      return [mark.at];
    default:
      return [mark.from, mark.to];
  }
}

/** One stroke width and one text size per level, scaled to the picture so marks read alike on any size. */
export interface MarkSize {
  stroke: number;
  text: number;
}

const STROKE_FRACTIONS = [0.003, 0.006, 0.012, 0.024] as const;
const TEXT_FRACTIONS = [0.025, 0.035, 0.05, 0.07] as const;

/** The four sizes the editor offers for a picture of `width` × `height`, thinnest first. */
export function markSizes(width: number, height: number): MarkSize[] {
  const long = Math.max(width, height);
  return STROKE_FRACTIONS.map((fraction, index) => ({
    stroke: Math.max(2 + index, Math.round(long * fraction)),
    text: Math.max(12 + 4 * index, Math.round(long * (TEXT_FRACTIONS[index] ?? fraction))),
  }));
}

const round = (value: number): string => String(Math.round(value * 100) / 100);
const pt = ([x, y]: MarkPoint): string => `${round(x)} ${round(y)}`;

/** How long an arrow's head is, and how far it opens (radians either side of the shaft). */
const ARROW_HEAD_ANGLE = 0.5;

/** The two ends of an arrow's head: long enough to see at the mark's width, never longer than the shaft allows. */
export function arrowHead(from: MarkPoint, to: MarkPoint, width: number): [MarkPoint, MarkPoint] {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const length = Math.hypot(dx, dy);
  const head = Math.min(Math.max(width * 4, 10), length * 0.6);
  const angle = Math.atan2(dy, dx);
  const wing = (side: number): MarkPoint => [
    to[0] - head * Math.cos(angle + side * ARROW_HEAD_ANGLE),
    to[1] - head * Math.sin(angle + side * ARROW_HEAD_ANGLE),
  ];
  return [wing(1), wing(-1)];
}

/**
 * A stroked mark as SVG path data, in source pixels: what the canvas strokes (as a Path2D) and
 * what the flattened SVG draws, so both follow one rule. A freehand stroke is smoothed through
 * the midpoints of its samples.
 */
export function markPath(mark: StrokeMark): string {
  switch (mark.kind) {
    case 'rect': {
      const [x0, x1] = [Math.min(mark.from[0], mark.to[0]), Math.max(mark.from[0], mark.to[0])];
      const [y0, y1] = [Math.min(mark.from[1], mark.to[1]), Math.max(mark.from[1], mark.to[1])];
      return `M ${round(x0)} ${round(y0)} H ${round(x1)} V ${round(y1)} H ${round(x0)} Z`;
    }
    case 'ellipse': {
      const cx = (mark.from[0] + mark.to[0]) / 2;
      const cy = (mark.from[1] + mark.to[1]) / 2;
      const rx = Math.abs(mark.to[0] - mark.from[0]) / 2;
      const ry = Math.abs(mark.to[1] - mark.from[1]) / 2;
      const arc = `A ${round(rx)} ${round(ry)} 0 1 0`;
      return `M ${round(cx - rx)} ${round(cy)} ${arc} ${round(cx + rx)} ${round(cy)} ${arc} ${round(cx - rx)} ${round(cy)} Z`;
    }
    case 'arrow': {
      const [left, right] = arrowHead(mark.from, mark.to, mark.width);
      return `M ${pt(mark.from)} L ${pt(mark.to)} M ${pt(left)} L ${pt(mark.to)} L ${pt(right)}`;
    }
    case 'brush':
      return brushPath(mark.points);
  }
}

const midpoint = (a: MarkPoint, b: MarkPoint): MarkPoint => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];

function brushPath(points: readonly MarkPoint[]): string {
  const [first] = points;
  if (!first) return '';
  // A single dab: a hair-long segment, so the round caps draw a dot in both renderers.
  if (points.length === 1) return `M ${pt(first)} L ${round(first[0] + 0.01)} ${round(first[1])}`;
  return `${brushCurves(points, 0)} L ${pt(points[points.length - 1] as MarkPoint)}`;
}

/**
 * A freehand stroke's settled curves from curve `from` on: curve i (1 ≤ i ≤ n − 2) runs from the
 * midpoint before sample i, bent by sample i, to the midpoint after it; none changes when more
 * samples come. The editor draws a stroke in progress by these pieces, each once (the same
 * path markPath gives, without the last straight bit to the newest sample); '' when there are
 * none yet.
 */
export function brushCurves(points: readonly MarkPoint[], from: number): string {
  const last = points.length - 2;
  const first = points[0];
  if (!first || from > Math.max(0, last)) return '';
  const start = from === 0 ? first : midpoint(points[from] as MarkPoint, points[from + 1] as MarkPoint);
  const parts = [`M ${pt(start)}`];
  for (let index = from + 1; index <= last; index += 1) {
    const point = points[index] as MarkPoint;
    parts.push(`Q ${pt(point)} ${pt(midpoint(point, points[index + 1] as MarkPoint))}`);
  }
  return parts.join(' ');
}

/** The one font notes are set in (each renderer picks its own sans-serif). */
export const MARK_FONT_FAMILY = 'sans-serif';
export const MARK_FONT_WEIGHT = 'bold';

/** Where a note's text goes and how it is outlined to stay readable on any picture. */
export interface TextLayout {
  /** The start of the baseline. */
  x: number;
  y: number;
  fontSize: number;
  fill: string;
  outline: string;
  outlineWidth: number;
  /** A rough box, for selecting the note (renderers measure text a little differently). */
  box: { x: number; y: number; width: number; height: number };
}

const LIGHT: readonly MarkColor[] = ['yellow', 'white', 'orange'];

export function textLayout(mark: TextMark): TextLayout {
  const fontSize = mark.size;
  return {
    x: mark.at[0],
    y: mark.at[1] + fontSize * 0.8,
    fontSize,
    fill: MARK_COLOR_HEX[mark.color],
    outline: LIGHT.includes(mark.color) ? '#000000' : '#ffffff',
    outlineWidth: Math.max(2, fontSize * 0.12),
    box: { x: mark.at[0], y: mark.at[1], width: fontSize * 0.62 * [...mark.text].length, height: fontSize },
  };
}

/** A mark's extent in source pixels, its stroke included: for selection and hit tests. */
export function markBounds(mark: Mark): { x: number; y: number; width: number; height: number } {
  if (mark.kind === 'text') return textLayout(mark).box;
  const points =
    mark.kind === 'arrow'
      ? [mark.from, mark.to, ...arrowHead(mark.from, mark.to, mark.width)]
      : markPoints(mark);
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const pad = mark.width / 2;
  const x = Math.min(...xs) - pad;
  const y = Math.min(...ys) - pad;
  return { x, y, width: Math.max(...xs) + pad - x, height: Math.max(...ys) + pad - y };
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);

export interface MarksSvgOptions {
  /** Each mark's colour (default: its own); a mask would paint every mark white. */
  paint?: (mark: Mark) => string;
  /** A fill behind the marks (default: none, transparent). */
  background?: string;
}

/** The layer as one SVG the size of the picture, for sharp to composite onto it at full size. */
export function marksSvg(layer: MarksLayer, options: MarksSvgOptions = {}): string {
  const paint = options.paint ?? ((mark: Mark) => MARK_COLOR_HEX[mark.color]);
  const body = layer.marks.map((mark) => {
    if (mark.kind === 'text') {
      const layout = textLayout(mark);
      const own = options.paint === undefined;
      return (
        `<text x="${round(layout.x)}" y="${round(layout.y)}" font-family="${MARK_FONT_FAMILY}" ` +
        `font-weight="${MARK_FONT_WEIGHT}" font-size="${round(layout.fontSize)}" fill="${paint(mark)}" ` +
        (own
          ? `stroke="${layout.outline}" stroke-width="${round(layout.outlineWidth)}" stroke-linejoin="round" paint-order="stroke" `
          : '') +
        `xml:space="preserve">${escapeXml(mark.text)}</text>`
      );
    }
    return (
      `<path d="${markPath(mark)}" fill="none" stroke="${paint(mark)}" stroke-width="${round(mark.width)}" ` +
      'stroke-linecap="round" stroke-linejoin="round"/>'
    );
  });
  const background = options.background
    ? `<rect width="${layer.width}" height="${layer.height}" fill="${options.background}"/>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layer.width}" height="${layer.height}" ` +
    `viewBox="0 0 ${layer.width} ${layer.height}">${background}${body.join('')}</svg>`
  );
}

/** Something the prompt can say about the marks; the words come from i18n (`annotate.phrases`). */
export type MarkPhrase =
  { kind: Exclude<MarkKind, 'text'>; color: MarkColor } | { kind: 'text'; text: string };

/** What the prompt can refer to, in drawing order, each once ("inside the red box", the notes). */
export function markPhrases(marks: readonly Mark[]): MarkPhrase[] {
  const seen = new Set<string>();
  const phrases: MarkPhrase[] = [];
  for (const mark of marks) {
    const phrase: MarkPhrase =
      mark.kind === 'text' ? { kind: 'text', text: mark.text } : { kind: mark.kind, color: mark.color };
    const key = phrase.kind === 'text' ? `text:${phrase.text}` : `${phrase.kind}:${phrase.color}`;
    if (seen.has(key)) continue;
    seen.add(key);
    phrases.push(phrase);
  }
  return phrases;
}
