import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { PngStreamCheck, scanlineLayout } from './pngStream';

async function check(bytes: Buffer, chunkSize = bytes.length): Promise<{ width: number; height: number }> {
  const stream = new PngStreamCheck();
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    stream.push(bytes.subarray(offset, offset + chunkSize));
  }
  return stream.finish();
}

async function decodes(bytes: Buffer): Promise<boolean> {
  try {
    await sharp(bytes, { failOn: 'truncated' }).raw().toBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Offsets of each chunk: [start of length field, type, data length]. */
function chunks(png: Buffer): { at: number; type: string; length: number }[] {
  const out: { at: number; type: string; length: number }[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    out.push({ at, type: png.toString('latin1', at + 4, at + 8), length });
    at += 12 + length;
  }
  return out;
}

/** Rewrites a chunk's CRC after tampering, so only the deeper checks can catch the damage. */
function fixCrc(png: Buffer, chunk: { at: number; length: number }): void {
  png.writeUInt32BE(
    crc32(png.subarray(chunk.at + 4, chunk.at + 8 + chunk.length)),
    chunk.at + 8 + chunk.length,
  );
}

let rgb: Buffer;
const noise = {
  width: 97,
  height: 61,
  channels: 3 as const,
  background: '#000',
  noise: { type: 'gaussian' as const, mean: 128, sigma: 40 },
};

beforeAll(async () => {
  rgb = await sharp({ create: noise }).png().toBuffer();
});

describe('PngStreamCheck accepts every kind of valid PNG, however the bytes are split', () => {
  const variants: [string, () => Promise<Buffer>][] = [
    ['rgb 8-bit', async () => rgb],
    ['rgba 8-bit', async () => sharp({ create: noise }).ensureAlpha(0.5).png().toBuffer()],
    ['rgb 16-bit', async () => sharp({ create: noise }).toColourspace('rgb16').png().toBuffer()],
    ['grey', async () => sharp({ create: noise }).greyscale().png().toBuffer()],
    ['palette', async () => sharp({ create: noise }).png({ palette: true, colours: 16 }).toBuffer()],
    ['interlaced (Adam7)', async () => sharp({ create: noise }).png({ progressive: true }).toBuffer()],
    [
      '1×1',
      async () =>
        sharp({ create: { ...noise, width: 1, height: 1 } })
          .png()
          .toBuffer(),
    ],
    [
      'interlaced 3×2',
      async () =>
        sharp({ create: { ...noise, width: 3, height: 2 } })
          .png({ progressive: true })
          .toBuffer(),
    ],
  ];
  it.each(variants)('%s', async (_name, make) => {
    const png = await make();
    const meta = await sharp(png).metadata();
    for (const size of [1, 7, 4096, png.length]) {
      expect(await check(png, size)).toEqual({ width: meta.width, height: meta.height });
    }
  });
});

describe('PngStreamCheck refuses damaged files', () => {
  const idat = () => chunks(rgb).find((chunk) => chunk.type === 'IDAT') ?? { at: 0, type: '', length: 0 };

  const cases: [string, () => Buffer, RegExp][] = [
    ['not a PNG', () => Buffer.from('<html>not an image</html>'), /signature/],
    ['empty', () => Buffer.alloc(0), /IEND/],
    ['truncated in the image data', () => rgb.subarray(0, idat().at + 100), /IEND/],
    ['truncated before IEND', () => rgb.subarray(0, rgb.length - 12), /IEND/],
    [
      'a flipped bit in the image data',
      () => {
        const bad = Buffer.from(rgb);
        bad[idat().at + 8 + 50] = (bad[idat().at + 8 + 50] ?? 0) ^ 0x10;
        return bad;
      },
      /CRC/,
    ],
    [
      'a flipped bit with the CRC forged to match',
      () => {
        const bad = Buffer.from(rgb);
        const chunk = idat();
        bad[chunk.at + 8 + 50] = (bad[chunk.at + 8 + 50] ?? 0) ^ 0x10;
        fixCrc(bad, chunk);
        return bad;
      },
      /inflate|image data|filter/,
    ],
    [
      'IHDR claiming a taller image than the data holds',
      () => {
        const bad = Buffer.from(rgb);
        const ihdr = { at: 8, length: 13 };
        bad.writeUInt32BE(62, 8 + 8 + 4);
        fixCrc(bad, ihdr);
        return bad;
      },
      /expected/,
    ],
    [
      'an absurd canvas',
      () => {
        const bad = Buffer.from(rgb);
        bad.writeUInt32BE(200_000, 16);
        bad.writeUInt32BE(200_000, 20);
        fixCrc(bad, { at: 8, length: 13 });
        return bad;
      },
      /implausible/,
    ],
    ['IHDR not first', () => Buffer.concat([rgb.subarray(0, 8), rgb.subarray(8 + 25)]), /IHDR/],
  ];
  it.each(cases)('%s', async (_name, make, message) => {
    await expect(check(make(), 13)).rejects.toThrow(message);
  });

  it('never accepts a file that libvips cannot decode (300 random single-byte mutations)', async () => {
    let accepted = 0;
    for (let i = 0; i < 300; i += 1) {
      const bad = Buffer.from(rgb);
      const at = 8 + Math.floor(Math.random() * (bad.length - 8));
      bad[at] = (bad[at] ?? 0) ^ (1 + Math.floor(Math.random() * 255));
      // Forge the CRC half of the time, so mutations reach the inflate and scanline checks.
      if (i % 2 === 0) {
        const chunk = chunks(bad).find((c) => at >= c.at + 8 && at < c.at + 8 + c.length);
        if (chunk) fixCrc(bad, chunk);
      }
      const ok = await check(bad, 1024).then(
        () => true,
        () => false,
      );
      if (ok) {
        accepted += 1;
        expect(await decodes(bad)).toBe(true);
      }
    }
    // Forged-CRC mutations inside the pixel data legitimately decode; most others must be refused.
    expect(accepted).toBeLessThan(300);
  });
});

describe('scanlineLayout', () => {
  it('matches the PNG specification for plain and Adam7 layouts', () => {
    expect(scanlineLayout(10, 4, 24, false)).toEqual([{ rows: 4, rowBytes: 31 }]);
    expect(scanlineLayout(1, 1, 1, false)).toEqual([{ rows: 1, rowBytes: 2 }]);
    // 8×8 interlaced RGB: passes of 1×1, 1×1, 2×1, 2×2, 4×2, 4×4, 8×4 pixels.
    expect(scanlineLayout(8, 8, 24, true).map((pass) => [pass.rows, pass.rowBytes])).toEqual([
      [1, 4],
      [1, 4],
      [1, 7],
      [2, 7],
      [2, 13],
      [4, 13],
      [4, 25],
    ]);
  });
});
