import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectImageFormat,
  embedMetadata,
  embedMetadataInFile,
  readImageDescription,
  readMetadata,
  readMetadataFromFile,
  type EmbeddedMetadata,
} from './index';
import { sampleMetadata } from './testMetadata';

const meta = (overrides: Partial<EmbeddedMetadata> = {}): EmbeddedMetadata =>
  sampleMetadata({
    params: { aspectRatio: '16:9', outputFormat: 'png', resolution: '2K' },
    resultIndex: 1,
    references: [{ id: 'ref_1', sha256: 'ab'.repeat(32) }],
    parents: ['img_00'],
    ...overrides,
  });

/** Noisy pixels, so an accidental re-encode would show up in the raw comparison. */
function noisy(channels: 3 | 4): Sharp {
  return sharp({
    create: {
      width: 45,
      height: 27,
      channels,
      background: { r: 245, g: 197, b: 66, alpha: 0.6 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  });
}

const IMAGES = {
  png: () => noisy(3).png().toBuffer(),
  'png with alpha': () => noisy(4).png().toBuffer(),
  jpeg: () => noisy(3).jpeg({ quality: 80 }).toBuffer(),
  'webp lossy (VP8)': () => noisy(3).webp({ quality: 70 }).toBuffer(),
  'webp lossless (VP8L)': () => noisy(3).webp({ lossless: true }).toBuffer(),
  'webp lossless with alpha': () => noisy(4).webp({ lossless: true }).toBuffer(),
  'webp lossy with alpha (VP8X)': () => noisy(4).webp({ quality: 70 }).toBuffer(),
};

const rawPixels = (bytes: Buffer): Promise<Buffer> => sharp(bytes).raw().toBuffer();

describe.each(Object.entries(IMAGES))('%s', (_kind, make) => {
  let original: Buffer;
  beforeAll(async () => {
    original = await make();
  });

  it('round-trips the metadata', () => {
    expect(readMetadata(embedMetadata(original, meta()))).toEqual(meta());
  });

  it('leaves the pixels, size and format untouched, and other tools see the metadata', async () => {
    const embedded = embedMetadata(original, meta());
    expect(await rawPixels(embedded)).toEqual(await rawPixels(original));
    const [before, after] = await Promise.all([sharp(original).metadata(), sharp(embedded).metadata()]);
    expect([after.format, after.width, after.height, after.hasAlpha]).toEqual([
      before.format,
      before.width,
      before.height,
      before.hasAlpha,
    ]);
    await sharp(embedded, { failOn: 'truncated' }).stats();
    if (after.format === 'png') {
      expect(after.comments).toContainEqual({ keyword: 'Description', text: 'a banana on the moon' });
    } else {
      expect(after.xmp?.toString('utf8')).toContain('<bs:metadata>');
      expect(after.xmp?.toString('utf8')).toContain('a banana on the moon');
    }
  });

  it('replaces its own metadata on a second embed instead of adding more', () => {
    const second = meta({ prompt: 'a second prompt', parents: ['img_01'] });
    const twice = embedMetadata(embedMetadata(original, meta()), second);
    expect(twice.equals(embedMetadata(original, second))).toBe(true);
    expect(readMetadata(twice)).toEqual(second);
  });

  it.each([
    ['Chinese and emoji', '一只戴着墨镜的猫，坐在月球上吃香蕉 🍌🐱👩‍👩‍👧 ☕'],
    ['XML special characters', `<svg onload="x"> & 'quotes' "double" ]]> &amp;`],
    ['a 5,000-character Chinese prompt', '香蕉工作室'.repeat(1000)],
  ])('round-trips a prompt with %s, also as the visible description', (_label, prompt) => {
    const embedded = embedMetadata(original, meta({ prompt }));
    expect(readMetadata(embedded)).toEqual(meta({ prompt }));
    expect(readImageDescription(embedded)).toBe(prompt);
  });

  it('reads nothing from an image without our metadata', () => {
    expect(readMetadata(original)).toBeNull();
  });

  it('reads nothing from a truncated file and refuses to embed into it', () => {
    const embedded = embedMetadata(original, meta());
    const cuts = (bytes: Buffer): number[] => [bytes.length - 1, Math.floor(bytes.length / 2), 16];
    for (const cut of cuts(embedded)) expect(readMetadata(embedded.subarray(0, cut))).toBeNull();
    for (const cut of cuts(original)) {
      expect(() => embedMetadata(original.subarray(0, cut), meta())).toThrow(/damaged or truncated/);
    }
  });
});

describe('detectImageFormat', () => {
  it.each([
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'png'],
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a], null],
    [[0xff, 0xd8, 0xff, 0xe0], 'jpeg'],
    [[...Buffer.from('RIFF\x10\0\0\0WEBPVP8 ', 'latin1')], 'webp'],
    [[...Buffer.from('RIFF\x10\0\0\0WAVEfmt ', 'latin1')], null],
    [[...Buffer.from('GIF89a', 'latin1')], null],
    [[], null],
  ])('%j → %s', (bytes, format) => {
    expect(detectImageFormat(Buffer.from(bytes))).toBe(format);
  });

  it('goes by content, not by name: a PNG is a PNG whatever it is called', async () => {
    const png = await noisy(3).png().toBuffer();
    expect(detectImageFormat(png)).toBe('png');
  });
});

describe('embedMetadata', () => {
  it('refuses formats it cannot carry metadata in', async () => {
    const gif = await noisy(3).gif().toBuffer();
    expect(() => embedMetadata(gif, meta())).toThrow(
      'Metadata can only be embedded in PNG, JPEG or WebP images.',
    );
    expect(readMetadata(gif)).toBeNull();
    expect(readImageDescription(gif)).toBeNull();
  });

  it('refuses metadata that would not read back', async () => {
    const png = await noisy(3).png().toBuffer();
    expect(() => embedMetadata(png, meta({ createdAt: 'last tuesday' }))).toThrow(
      /metadata is invalid \(createdAt/,
    );
    expect(() => embedMetadata(png, { ...meta(), app: 'other' } as unknown as EmbeddedMetadata)).toThrow(
      /metadata is invalid/,
    );
  });

  it('never throws when reading random bytes', () => {
    for (const head of ['\x89PNG\r\n\x1a\n', '\xff\xd8\xff', 'RIFF\0\0\0\0WEBP']) {
      const bytes = Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from('garbage'.repeat(50))]);
      expect(readMetadata(bytes)).toBeNull();
      expect(readImageDescription(bytes)).toBeNull();
    }
  });
});

describe('readMetadataFromFile', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'banana-metadata-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads the metadata of a file, whatever its extension says', async () => {
    const path = join(folder, 'misnamed.png');
    await writeFile(path, embedMetadata(await noisy(3).jpeg().toBuffer(), meta()));
    expect(await readMetadataFromFile(path)).toEqual(meta());
  });

  it('returns null for a file without metadata and throws for a missing one', async () => {
    const path = join(folder, 'plain.webp');
    await writeFile(path, await noisy(3).webp().toBuffer());
    expect(await readMetadataFromFile(path)).toBeNull();
    await expect(readMetadataFromFile(join(folder, 'missing.png'))).rejects.toThrow(/ENOENT/);
  });
});

describe('embedMetadataInFile', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'banana-metadata-file-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it.each(Object.entries(IMAGES))('%s: embeds in place, pixels untouched', async (kind, make) => {
    const original = await make();
    const path = join(folder, `${kind.replaceAll(/\W/g, '_')}.img`);
    await writeFile(path, original);
    const size = await embedMetadataInFile(path, meta());
    const written = await readFile(path);
    expect(written.length).toBe(size);
    expect(readMetadata(written)).toEqual(meta());
    expect(await rawPixels(written)).toEqual(await rawPixels(original));
  });

  it('appends to a fresh PNG without rewriting it: the original bytes stay a prefix', async () => {
    const original = await IMAGES.png();
    const path = join(folder, 'append.png');
    await writeFile(path, original);
    await embedMetadataInFile(path, meta());
    const written = await readFile(path);
    const body = original.subarray(0, original.length - 12);
    expect(written.subarray(0, body.length).equals(body)).toBe(true);
    expect(written.subarray(-12).toString('hex')).toBe('0000000049454e44ae426082');
  });

  it('rewrites a PNG with bytes after IEND instead of appending after them', async () => {
    const path = join(folder, 'trailing.png');
    await writeFile(path, Buffer.concat([await IMAGES.png(), Buffer.from('trailing junk')]));
    await embedMetadataInFile(path, meta());
    expect(readMetadata(await readFile(path))).toEqual(meta());
  });
});
