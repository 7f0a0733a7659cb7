import type { Sharp } from 'sharp';
import type { AspectRatio, Resolution } from '@shared/domain/models';
import {
  captionMetrics,
  collageCells,
  frameBorder,
  frameRadius,
  MIN_TEXT_SIDE,
  overlayMarkup,
  sceneSvg,
  svgDocument,
  wrapCaption,
  type Box,
} from './demoPicture';
import { drawableText } from './fontCoverage';
import type { SimImageFormat } from './validate';

export interface RenderRequest {
  prompt: string;
  width: number;
  height: number;
  format: SimImageFormat;
  /** Decodable reference images; when given, the result is composed from them. */
  references: readonly Buffer[];
  /** Gaussian noise sigma laid over the picture (0: none). */
  grain?: number;
  /** What makes this result differ from others of the same prompt (the task id and result
   * index): as with the real model, one prompt asked four times gives four pictures. */
  variation?: string;
}

const NOMINAL_SIDE: Record<Resolution, number> = { '1K': 1024, '2K': 2048, '4K': 4096 };

/**
 * Output size: the requested ratio (auto → the first reference's ratio, else square) with the
 * long side at the resolution's nominal size, capped so tests stay fast.
 */
export function outputSize(
  aspectRatio: AspectRatio,
  resolution: Resolution | null,
  maxSide: number,
  referenceRatio: number | null,
): { width: number; height: number } {
  let ratio = 1;
  if (aspectRatio === 'auto') ratio = referenceRatio ?? 1;
  else {
    const [w, h] = aspectRatio.split(':').map(Number);
    if (w && h) ratio = w / h;
  }
  const long = Math.max(16, Math.min(NOMINAL_SIDE[resolution ?? '1K'], maxSide));
  return ratio >= 1
    ? { width: long, height: Math.max(1, Math.round(long / ratio)) }
    : { width: Math.max(1, Math.round(long * ratio)), height: long };
}

/** Width / height of an image, or null when it cannot be decoded. */
export async function imageRatio(bytes: Buffer): Promise<number | null> {
  const { default: sharp } = await import('sharp');
  try {
    const meta = await sharp(bytes).metadata();
    return meta.width && meta.height ? meta.width / meta.height : null;
  } catch {
    return null;
  }
}

/** The formats KIE accepts as references (kie-api.md), or null when the bytes are not one of them. */
export async function referenceFormat(bytes: Buffer): Promise<string | null> {
  const { default: sharp } = await import('sharp');
  try {
    const meta = await sharp(bytes).metadata();
    return meta.format && ['png', 'jpeg', 'webp'].includes(meta.format) && meta.width ? meta.format : null;
  } catch {
    return null;
  }
}

/** How much of the prompt the caption considers; the rest could not fit anyway. */
const CAPTION_SOURCE_CHARS = 240;
const CAPTION_LINES = 3;

/**
 * Pictures drawn at once. Demo mode's simulator runs in the app's own process, and sharp's work
 * shares libuv's four threads with the app's file I/O: a hundred tasks created together must not
 * take them all while the app saves the results of others.
 */
const RENDER_SLOTS = 2;
let rendering = 0;
const waiting: (() => void)[] = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  // A finished render hands its slot straight to the next in line, so none can slip in between.
  if (rendering >= RENDER_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else rendering += 1;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else rendering -= 1;
  }
}

/**
 * A real, decodable Demo picture: a soft gradient scene from the prompt with the prompt's words
 * and a DEMO mark; with references, they sit on the scene as a collage of prints, untinted, so
 * the result visibly uses them (and a test can find their pixels).
 */
export function renderImage(request: RenderRequest): Promise<Buffer> {
  return inSlot(() => draw(request));
}

async function draw(request: RenderRequest): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const { prompt, width, height, format, references } = request;
  const variation = request.variation ?? '';
  const unit = Math.min(width, height);
  const words = unit >= MIN_TEXT_SIDE ? await drawableText(prompt.slice(0, CAPTION_SOURCE_CHARS)) : '';
  const probe = captionMetrics(width, height, 1);
  const lines =
    words === '' ? [] : wrapCaption(words, (width - probe.pad * 2) / probe.fontSize, CAPTION_LINES);
  const { band, pad } = captionMetrics(width, height, lines.length);
  const { cells, framed } = collageFrames(references.length, width, height, band, pad);
  const tiles = await Promise.all(
    cells.map(async (cell, index) => {
      const bytes = references[index] ?? Buffer.alloc(0);
      const border = framed ? frameBorder(unit) : 0;
      const inner = { width: cell.width - border * 2, height: cell.height - border * 2 };
      const radius = framed ? Math.max(0, frameRadius(unit) - border) : 0;
      const corners = Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${inner.width}" height="${inner.height}">` +
          `<rect width="${inner.width}" height="${inner.height}" rx="${radius}" fill="#fff"/></svg>`,
      );
      const photo = await sharp(bytes)
        .resize(inner.width, inner.height, { fit: 'cover' })
        .flatten({ background: '#ffffff' })
        .png()
        .toBuffer();
      return {
        input: await sharp(photo)
          .ensureAlpha()
          .composite([{ input: corners, blend: 'dest-in' as const }])
          .png()
          .toBuffer(),
        left: cell.left + border,
        top: cell.top + border,
      };
    }),
  );
  const overlay = overlayMarkup(width, height, lines);
  // Without references, one SVG holds everything: one rasterisation instead of two.
  const scene = sceneSvg(prompt, width, height, variation, {
    captionBand: band,
    frames: framed ? cells : [],
    overlay: tiles.length === 0 ? overlay : '',
  });
  let canvas: Sharp = sharp(Buffer.from(scene));
  if (tiles.length > 0)
    canvas = canvas.composite([
      ...tiles,
      { input: Buffer.from(svgDocument(width, height, overlay)), left: 0, top: 0 },
    ]);
  let flat = canvas.flatten({ background: '#000000' });
  const grain = request.grain ?? 0;
  if (grain > 0) {
    // composite() replaces earlier composites, so the picture is settled into pixels first.
    const { data, info } = await flat.raw().toBuffer({ resolveWithObject: true });
    const noise = {
      width,
      height,
      channels: 3 as const,
      background: '#808080',
      noise: { type: 'gaussian' as const, mean: 128, sigma: grain },
    };
    flat = sharp(data, {
      raw: { width: info.width, height: info.height, channels: info.channels },
    }).composite([{ input: { create: noise }, blend: 'overlay' }]);
  }
  return format === 'png'
    ? flat.png({ compressionLevel: 6 }).toBuffer()
    : flat.jpeg({ quality: 88 }).toBuffer();
}

/**
 * Where the references go: framed prints inside a margin, ending just above the caption. A
 * picture too small for margins is covered edge to edge, without frames.
 */
function collageFrames(
  count: number,
  width: number,
  height: number,
  band: number,
  pad: number,
): { cells: Box[]; framed: boolean } {
  const unit = Math.min(width, height);
  const margin = Math.round(unit * 0.07);
  const bottom = band > 0 ? band - Math.round(pad / 2) : margin;
  const area = { left: margin, top: margin, width: width - margin * 2, height: height - margin - bottom };
  if (unit < MIN_TEXT_SIDE || area.width < 16 || area.height < 16)
    return { cells: collageCells(count, { left: 0, top: 0, width, height }, 0), framed: false };
  return { cells: collageCells(count, area, Math.round(unit * 0.035)), framed: true };
}
