import { createHash } from 'node:crypto';
import type { Sharp } from 'sharp';
import type { AspectRatio, Resolution } from '@shared/domain/models';
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

/** Deterministic numbers from the prompt, so equal prompts give equal pictures and others differ. */
function seededRandom(prompt: string): () => number {
  const digest = createHash('sha256').update(prompt, 'utf8').digest();
  let state = digest.readUInt32LE(0) ^ digest.readUInt32LE(4);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function colour(random: () => number): string {
  const hue = Math.floor(random() * 360);
  const saturation = 45 + Math.floor(random() * 50);
  const lightness = 30 + Math.floor(random() * 45);
  return `hsl(${hue},${saturation}%,${lightness}%)`;
}

/**
 * A gradient plus a handful of shapes: the palette comes from the prompt, the layout from the
 * prompt and `variation`, so results of one prompt look related but are not the same picture.
 */
export function promptArtSvg(
  prompt: string,
  width: number,
  height: number,
  opacity = 1,
  variation = '',
): string {
  const palette = seededRandom(prompt);
  const random = variation === '' ? palette : seededRandom(`${prompt}\u0000${variation}`);
  const from = colour(palette);
  const to = colour(palette);
  const angle = Math.floor(random() * 4);
  const [x2, y2] = [
    [1, 0],
    [0, 1],
    [1, 1],
    [0.3, 1],
  ][angle] ?? [1, 1];
  const shapes: string[] = [];
  const count = 5 + Math.floor(random() * 6);
  const unit = Math.min(width, height);
  for (let index = 0; index < count; index += 1) {
    const fill = colour(random);
    const alpha = (0.35 + random() * 0.5).toFixed(2);
    const x = Math.round(random() * width);
    const y = Math.round(random() * height);
    const size = Math.round(unit * (0.08 + random() * 0.3));
    if (random() < 0.5) {
      shapes.push(`<circle cx="${x}" cy="${y}" r="${size}" fill="${fill}" fill-opacity="${alpha}"/>`);
    } else {
      const rotate = Math.round(random() * 90);
      shapes.push(
        `<rect x="${x - size}" y="${y - size / 2}" width="${size * 2}" height="${size}" fill="${fill}" ` +
          `fill-opacity="${alpha}" transform="rotate(${rotate} ${x} ${y})"/>`,
      );
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="${x2}" y2="${y2}">` +
    `<stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>` +
    `<g opacity="${opacity}"><rect width="${width}" height="${height}" fill="url(#g)"/>${shapes.join('')}</g></svg>`
  );
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

/**
 * A real, decodable image: prompt art alone, or the references tiled over the canvas and tinted
 * with the prompt art, so a test can tell both the prompt and the references from the result.
 */
export async function renderImage(request: RenderRequest): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const { prompt, width, height, format, references } = request;
  const variation = request.variation ?? '';
  let canvas: Sharp;
  if (references.length === 0) {
    canvas = sharp(Buffer.from(promptArtSvg(prompt, width, height, 1, variation)));
  } else {
    const columns = Math.ceil(Math.sqrt(references.length));
    const rows = Math.ceil(references.length / columns);
    const cellWidth = Math.max(1, Math.floor(width / columns));
    const cellHeight = Math.max(1, Math.floor(height / rows));
    // Every cell gets a reference (cycling), so an uneven count leaves no empty corner.
    const cells = Array.from(
      { length: columns * rows },
      (_, index) => references[index % references.length],
    ).filter((bytes): bytes is Buffer => bytes !== undefined);
    const tiles = await Promise.all(
      cells.map(async (bytes, index) => ({
        input: await sharp(bytes)
          .resize(
            index % columns === columns - 1 ? width - cellWidth * (columns - 1) : cellWidth,
            cellHeight,
            {
              fit: 'cover',
            },
          )
          .removeAlpha()
          .png()
          .toBuffer(),
        left: (index % columns) * cellWidth,
        top: Math.floor(index / columns) * cellHeight,
      })),
    );
    const tint = {
      input: Buffer.from(promptArtSvg(prompt, width, height, 0.4, variation)),
      left: 0,
      top: 0,
    };
    canvas = sharp({ create: { width, height, channels: 3, background: '#202020' } }).composite([
      ...tiles,
      tint,
    ]);
  }
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
