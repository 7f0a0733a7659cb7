import { createHash } from 'node:crypto';

/**
 * The SVG layers of a Demo-mode picture: a soft gradient landscape whose palette comes from the
 * prompt and whose layout comes from the prompt and the variation (so one prompt asked four
 * times gives four related pictures), the prompt's words as a caption, and a "DEMO" mark, so a
 * screenshot of the app in Demo mode looks like a product and nobody mistakes one for a result.
 */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Deterministic numbers from a seed, so equal seeds give equal pictures and others differ. */
export function seededRandom(seed: string): () => number {
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  let state = digest.readUInt32LE(0) ^ digest.readUInt32LE(4);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (value: number): string => (Math.round(value * 10) / 10).toString();
const hsl = (hue: number, saturation: number, lightness: number): string =>
  `hsl(${Math.round(((hue % 360) + 360) % 360)},${Math.round(saturation)}%,${Math.round(lightness)}%)`;

/** Fonts tried in order; fontconfig falls back per character beyond them. */
const FONT_FAMILY =
  "'DejaVu Sans', 'Liberation Sans', 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', " +
  "'Microsoft YaHei', 'Segoe UI', Arial, sans-serif";

/** XML 1.0 forbids control characters and lone surrogates; a prompt may hold either. */
export function xmlText(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[\p{Cc}\uFFFE\uFFFF]/gu, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const WIDE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF]/u;

/** A glyph's advance in em, roughly: enough to wrap a caption without measuring it. */
function advance(char: string): number {
  if (WIDE.test(char)) return 1;
  // DejaVu Sans Bold's advances, rounded up: a caption must never run off the picture.
  if (/[A-Z0-9mwMW@#%&]/.test(char)) return 0.78;
  if (/[ilj.,;:'|!]/.test(char)) return 0.36;
  return 0.64;
}

const widthOf = (text: string): number => [...text].reduce((sum, char) => sum + advance(char), 0);

/**
 * The caption's lines: words wrapped to `maxEm` (CJK wraps between any two characters), at most
 * `maxLines`, the last one ending in "…" when the prompt goes on.
 */
export function wrapCaption(text: string, maxEm: number, maxLines: number): string[] {
  const tokens = text
    .replace(/\s+/g, ' ')
    .trim()
    .match(
      /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+|\s/gu,
    );
  const lines: string[] = [];
  let line = '';
  let cut = false;
  for (const token of tokens ?? []) {
    if (token === ' ') {
      if (line !== '') line += ' ';
      continue;
    }
    let piece = token;
    while (piece !== '') {
      if (widthOf(line + piece) <= maxEm) {
        line += piece;
        piece = '';
        continue;
      }
      if (line.trim() !== '') {
        lines.push(line.trimEnd());
        line = '';
      } else {
        // One word wider than the line: break it where it no longer fits.
        const chars = [...piece];
        let fit = 1;
        while (fit < chars.length && widthOf(chars.slice(0, fit + 1).join('')) <= maxEm) fit += 1;
        lines.push(chars.slice(0, fit).join(''));
        piece = chars.slice(fit).join('');
      }
      if (lines.length === maxLines) {
        cut = true;
        break;
      }
    }
    if (cut) break;
  }
  if (!cut && line.trim() !== '') lines.push(line.trimEnd());
  if (cut || lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    let last = kept[kept.length - 1] ?? '';
    while (last !== '' && widthOf(`${last}…`) > maxEm) last = [...last].slice(0, -1).join('');
    kept[kept.length - 1] = `${last.trimEnd()}…`;
    return kept;
  }
  return lines;
}

/** Sizes shared by the layers, from the picture's short side. */
export function captionMetrics(width: number, height: number, lineCount: number) {
  const unit = Math.min(width, height);
  const fontSize = Math.max(10, Math.round(unit * 0.052));
  const lineHeight = Math.round(fontSize * 1.25);
  const pad = Math.round(unit * 0.06);
  const band = lineCount > 0 ? pad * 2 + lineHeight * lineCount : 0;
  return { unit, fontSize, lineHeight, pad, band };
}

/** Below this short side there is no room for words: the picture is only the scene. */
export const MIN_TEXT_SIDE = 96;

export interface Palette {
  skyTop: string;
  skyMid: string;
  horizon: string;
  glow: string;
  hills: string[][];
  bokeh: string[];
}

function palette(prompt: string, variation: string): Palette {
  const random = seededRandom(prompt);
  // The variation nudges the hues a little: siblings of one prompt look related, not equal.
  const shift = variation === '' ? 0 : (seededRandom(`hue\u0000${prompt}\u0000${variation}`)() - 0.5) * 40;
  const base = random() * 360 + shift;
  const warm = base + 140 + random() * 80;
  const land = base + 60 + random() * 120;
  const saturation = 45 + random() * 30;
  return {
    skyTop: hsl(base, saturation, 52 + random() * 14),
    skyMid: hsl(base + 25, saturation, 70 + random() * 10),
    horizon: hsl(warm, 60 + random() * 25, 80 + random() * 8),
    glow: hsl(warm + 10, 90, 92),
    hills: [0, 1, 2].map((layer) => [
      hsl(land + layer * 14, 30 + random() * 25, 66 - layer * 14),
      hsl(land + layer * 14 + 10, 35 + random() * 25, 50 - layer * 14),
    ]),
    bokeh: [0, 1, 2].map(() => hsl(base + random() * 120, 70, 85)),
  };
}

function hillPath(random: () => number, width: number, height: number, baseline: number): string {
  const segments = 3 + Math.floor(random() * 3);
  const step = width / segments;
  const amplitude = height * (0.04 + random() * 0.08);
  const start = baseline + (random() - 0.5) * amplitude;
  // The first curve sets a tangent, the rest mirror it (S), so the ridge has no kinks.
  let path = `M0,${round(start)} C${round(step * 0.33)},${round(start - amplitude)}`;
  for (let index = 1; index <= segments; index += 1) {
    const x = index * step;
    const y = baseline + (random() - 0.5) * 2 * amplitude;
    const lift = (random() - 0.5) * 2 * amplitude;
    const control = `${round(x - step * 0.33)},${round(y + lift)} ${round(x)},${round(y)}`;
    path += index === 1 ? ` ${control}` : ` S${control}`;
  }
  return `${path} L${width},${height} L0,${height} Z`;
}

/** The landscape (sky, glow, soft lights, hills) and a shadow under the caption. */
export function sceneSvg(
  prompt: string,
  width: number,
  height: number,
  variation: string,
  options: { captionBand: number; frames?: readonly Box[]; overlay?: string },
): string {
  const colours = palette(prompt, variation);
  const random = seededRandom(`${prompt}\u0000${variation}`);
  const unit = Math.min(width, height);
  const defs: string[] = [
    `<linearGradient id="sky" x1="0" y1="0" x2="${round(random() * 0.4)}" y2="1">` +
      `<stop offset="0" stop-color="${colours.skyTop}"/><stop offset="0.55" stop-color="${colours.skyMid}"/>` +
      `<stop offset="1" stop-color="${colours.horizon}"/></linearGradient>`,
    `<radialGradient id="glow"><stop offset="0" stop-color="#ffffff" stop-opacity="0.95"/>` +
      `<stop offset="0.25" stop-color="${colours.glow}" stop-opacity="0.7"/>` +
      `<stop offset="1" stop-color="${colours.glow}" stop-opacity="0"/></radialGradient>`,
    ...colours.bokeh.map(
      (colour, index) =>
        `<radialGradient id="b${index}"><stop offset="0" stop-color="${colour}" stop-opacity="0.55"/>` +
        `<stop offset="1" stop-color="${colour}" stop-opacity="0"/></radialGradient>`,
    ),
    ...colours.hills.map(
      ([from, to], index) =>
        `<linearGradient id="h${index}" x1="0" y1="0" x2="0" y2="1">` +
        `<stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient>`,
    ),
    `<linearGradient id="scrim" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#000" stop-opacity="0"/>` +
      `<stop offset="1" stop-color="#000" stop-opacity="0.5"/></linearGradient>`,
  ];
  const glowX = width * (0.15 + random() * 0.7);
  const glowY = height * (0.18 + random() * 0.25);
  const glowR = unit * (0.24 + random() * 0.16);
  const body: string[] = [
    `<rect width="${width}" height="${height}" fill="url(#sky)"/>`,
    `<circle cx="${round(glowX)}" cy="${round(glowY)}" r="${round(glowR)}" fill="url(#glow)"/>`,
  ];
  const lights = 3 + Math.floor(random() * 4);
  for (let index = 0; index < lights; index += 1) {
    const r = unit * (0.03 + random() * 0.1);
    body.push(
      `<circle cx="${round(random() * width)}" cy="${round(random() * height * 0.6)}" r="${round(r)}" ` +
        `fill="url(#b${index % colours.bokeh.length})"/>`,
    );
  }
  colours.hills.forEach((_, index) => {
    const baseline = height * (0.56 + index * 0.12 + (random() - 0.5) * 0.06);
    body.push(`<path d="${hillPath(random, width, height, baseline)}" fill="url(#h${index})"/>`);
  });
  const scrimHeight = Math.min(height, options.captionBand * 1.6);
  if (scrimHeight > 0) {
    body.push(
      `<rect y="${round(height - scrimHeight)}" width="${width}" height="${round(scrimHeight)}" fill="url(#scrim)"/>`,
    );
  }
  for (const frame of options.frames ?? []) body.push(frameSvg(frame, unit));
  return svgDocument(width, height, `<defs>${defs.join('')}</defs>${body.join('')}${options.overlay ?? ''}`);
}

export const svgDocument = (width: number, height: number, content: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
  `${content}</svg>`;

/** A photo print's shadow and white border, under a reference placed in the collage. */
function frameSvg(frame: Box, unit: number): string {
  const radius = frameRadius(unit);
  const offset = Math.max(1, unit * 0.01);
  return (
    `<rect x="${round(frame.left + offset)}" y="${round(frame.top + offset * 1.5)}" width="${frame.width}" ` +
    `height="${frame.height}" rx="${radius}" fill="#000" fill-opacity="0.28"/>` +
    `<rect x="${frame.left}" y="${frame.top}" width="${frame.width}" height="${frame.height}" rx="${radius}" fill="#ffffff"/>`
  );
}

export const frameRadius = (unit: number): number => Math.max(2, Math.round(unit * 0.018));
export const frameBorder = (unit: number): number => Math.max(1, Math.round(unit * 0.01));

/**
 * The caption (prompt's words, bottom left) and the DEMO mark (top right), over everything: SVG
 * elements, for `sceneSvg`'s `overlay` or a document of their own (over a collage).
 */
export function overlayMarkup(width: number, height: number, lines: readonly string[]): string {
  const { fontSize, lineHeight, pad } = captionMetrics(width, height, lines.length);
  const parts: string[] = [];
  if (lines.length > 0) {
    const firstBaseline = height - pad - lineHeight * (lines.length - 1) - Math.round(fontSize * 0.25);
    const spans = lines
      .map(
        (line, index) =>
          `<tspan x="${pad}" y="${firstBaseline + index * lineHeight}">${xmlText(line)}</tspan>`,
      )
      .join('');
    parts.push(
      `<text font-family="${FONT_FAMILY}" font-size="${fontSize}" font-weight="600" fill="#ffffff" ` +
        `fill-opacity="0.96">${spans}</text>`,
    );
  }
  const mark = demoMarkBox(width, height);
  if (mark) {
    const markFont = Math.round(mark.height * 0.5);
    parts.push(
      `<rect x="${mark.left}" y="${mark.top}" width="${mark.width}" height="${mark.height}" ` +
        `rx="${round(mark.height / 2)}" fill="#1d1b16" fill-opacity="0.72"/>` +
        `<circle cx="${round(mark.left + mark.height * 0.5)}" cy="${round(mark.top + mark.height / 2)}" ` +
        `r="${round(mark.height * 0.17)}" fill="#f7c948"/>` +
        `<text x="${round(mark.left + mark.height * 0.82)}" y="${round(mark.top + mark.height * 0.68)}" ` +
        `font-family="${FONT_FAMILY}" font-size="${markFont}" font-weight="700" letter-spacing="${round(markFont * 0.14)}" ` +
        `fill="#ffffff">DEMO</text>`,
    );
  }
  return parts.join('');
}

/** Where the DEMO mark sits (top right), or null on a picture too small for it. */
export function demoMarkBox(width: number, height: number): Box | null {
  const unit = Math.min(width, height);
  if (unit < MIN_TEXT_SIDE) return null;
  const markHeight = Math.max(16, Math.round(unit * 0.06));
  const markWidth = Math.round(markHeight * 3.4);
  const margin = Math.round(unit * 0.035);
  return { left: width - margin - markWidth, top: margin, width: markWidth, height: markHeight };
}

/**
 * Cells for `count` references inside `area`: a grid about as square as the area allows, the
 * last row's cells widened so no corner is left empty and no reference is shown twice.
 */
export function collageCells(count: number, area: Box, gap: number): Box[] {
  if (count <= 0) return [];
  const columns = Math.max(1, Math.min(count, Math.round(Math.sqrt((count * area.width) / area.height))));
  const rows = Math.ceil(count / columns);
  const rowHeight = (area.height - gap * (rows - 1)) / rows;
  const cells: Box[] = [];
  for (let row = 0; row < rows; row += 1) {
    const inRow = row === rows - 1 ? count - columns * (rows - 1) : columns;
    const cellWidth = (area.width - gap * (inRow - 1)) / inRow;
    for (let column = 0; column < inRow; column += 1) {
      const left = Math.round(area.left + column * (cellWidth + gap));
      const top = Math.round(area.top + row * (rowHeight + gap));
      cells.push({
        left,
        top,
        width: Math.max(1, Math.round(area.left + column * (cellWidth + gap) + cellWidth) - left),
        height: Math.max(1, Math.round(area.top + row * (rowHeight + gap) + rowHeight) - top),
      });
    }
  }
  return cells;
}
