import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FAVICON_PATH, iconTargets, renderIcon, ROOT, SVG_PATH } from '../../scripts/icons';

/** Mean absolute difference per channel (0–255) between two same-sized RGBA images. */
async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const [left, right] = await Promise.all(
    [a, b].map((png) => sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })),
  );
  if (!left || !right) throw new Error('decode failed');
  expect(left.info.width).toBe(right.info.width);
  expect(left.info.height).toBe(right.info.height);
  let sum = 0;
  for (let index = 0; index < left.data.length; index += 1) {
    sum += Math.abs(left.data[index]! - right.data[index]!);
  }
  return sum / left.data.length;
}

describe('app icons (npm run icons)', () => {
  it.each(iconTargets())('%s is the SVG at %i px', async (path, size) => {
    const [svg, committed] = await Promise.all([readFile(SVG_PATH), readFile(join(ROOT, path))]);
    const metadata = await sharp(committed).metadata();
    expect([metadata.width, metadata.height, metadata.channels]).toEqual([size, size, 4]);
    // Not byte equality: another libvips may encode the same pixels differently.
    expect(await meanDifference(committed, await renderIcon(svg, size))).toBeLessThan(1);
  });

  it('the favicon is the same drawing', async () => {
    expect(await readFile(FAVICON_PATH, 'utf8')).toBe(await readFile(SVG_PATH, 'utf8'));
  });

  it('a changed drawing is noticed', async () => {
    const svg = await readFile(SVG_PATH, 'utf8');
    const recoloured = Buffer.from(svg.replaceAll('#2d2856', '#ff0000').replaceAll('#14121d', '#00ff00'));
    const committed = await readFile(join(ROOT, 'resources/icons/64x64.png'));
    expect(await meanDifference(committed, await renderIcon(recoloured, 64))).toBeGreaterThan(10);
  });
});
