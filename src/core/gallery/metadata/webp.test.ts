import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedMetadata } from './schema';
import { embedWebpMetadata, readWebpChunks, readWebpMetadata, readWebpXmp } from './webp';
import { readDescription } from './xmp';
import { sampleMetadata } from './testMetadata';

const meta = (overrides: Partial<EmbeddedMetadata> = {}): EmbeddedMetadata =>
  sampleMetadata({
    params: { aspectRatio: '3:2', outputFormat: 'webp', resolution: null },
    kieTaskId: null,
    ...overrides,
  });

const XMP_FLAG = 0x04;
const ALPHA_FLAG = 0x10;

const image = (channels: 3 | 4, width = 301, height = 117): Sharp =>
  sharp({
    create: {
      width,
      height,
      channels,
      background: { r: 20, g: 120, b: 220, alpha: 0.5 },
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  });

const fourccs = (bytes: Buffer): string[] => readWebpChunks(bytes).chunks.map((chunk) => chunk.fourcc);

function chunkData(bytes: Buffer, fourcc: string): Buffer {
  const chunk = readWebpChunks(bytes).chunks.find((c) => c.fourcc === fourcc);
  if (!chunk) throw new Error(`no ${fourcc} chunk`);
  return bytes.subarray(chunk.dataStart, chunk.dataEnd);
}

/** VP8X: flags byte, then the canvas width-1 and height-1 as 24-bit little-endian numbers. */
function vp8x(bytes: Buffer): { flags: number; width: number; height: number } {
  const data = chunkData(bytes, 'VP8X');
  return { flags: data[0] ?? 0, width: data.readUIntLE(4, 3) + 1, height: data.readUIntLE(7, 3) + 1 };
}

let lossy: Buffer;
let lossless: Buffer;
let losslessAlpha: Buffer;
let lossyAlpha: Buffer;
beforeAll(async () => {
  [lossy, lossless, losslessAlpha, lossyAlpha] = await Promise.all([
    image(3).webp({ quality: 60 }).toBuffer(),
    image(3).webp({ lossless: true }).toBuffer(),
    image(4).webp({ lossless: true }).toBuffer(),
    image(4).webp({ quality: 60 }).toBuffer(),
  ]);
});

describe('WebP metadata', () => {
  it('turns a simple lossy file into VP8X + VP8 + XMP with the right canvas', () => {
    expect(fourccs(lossy)).toEqual(['VP8 ']);
    const embedded = embedWebpMetadata(lossy, meta());
    expect(fourccs(embedded)).toEqual(['VP8X', 'VP8 ', 'XMP ']);
    expect(vp8x(embedded)).toEqual({ flags: XMP_FLAG, width: 301, height: 117 });
    expect(chunkData(embedded, 'VP8 ').equals(chunkData(lossy, 'VP8 '))).toBe(true);
  });

  it('takes the canvas of a lossless file from its VP8L header, and its alpha hint', () => {
    expect(fourccs(lossless)).toEqual(['VP8L']);
    expect(vp8x(embedWebpMetadata(lossless, meta()))).toEqual({ flags: XMP_FLAG, width: 301, height: 117 });
    expect(fourccs(losslessAlpha)).toEqual(['VP8L']);
    const withAlpha = embedWebpMetadata(losslessAlpha, meta());
    expect(vp8x(withAlpha)).toEqual({ flags: XMP_FLAG | ALPHA_FLAG, width: 301, height: 117 });
    expect(chunkData(withAlpha, 'VP8L').equals(chunkData(losslessAlpha, 'VP8L'))).toBe(true);
  });

  it('sets the XMP flag in an existing VP8X and keeps ALPH and VP8 byte-identical', () => {
    expect(fourccs(lossyAlpha)).toEqual(['VP8X', 'ALPH', 'VP8 ']);
    const embedded = embedWebpMetadata(lossyAlpha, meta());
    expect(fourccs(embedded)).toEqual(['VP8X', 'ALPH', 'VP8 ', 'XMP ']);
    expect(vp8x(embedded)).toEqual({ ...vp8x(lossyAlpha), flags: vp8x(lossyAlpha).flags | XMP_FLAG });
    for (const fourcc of ['ALPH', 'VP8 ']) {
      expect(chunkData(embedded, fourcc).equals(chunkData(lossyAlpha, fourcc))).toBe(true);
    }
  });

  it('fixes the RIFF size and pads odd-sized chunks', () => {
    for (const source of [lossy, lossless, losslessAlpha, lossyAlpha]) {
      for (const prompt of ['odd', 'even']) {
        const embedded = embedWebpMetadata(source, meta({ prompt }));
        expect(embedded.readUInt32LE(4)).toBe(embedded.length - 8);
        expect(embedded.length % 2).toBe(0);
        expect(readWebpMetadata(embedded)?.prompt).toBe(prompt);
      }
    }
  });

  it('reads a file whose writer left out the final pad byte', async () => {
    // Padding is only exercised by an odd-sized (single) image chunk. The fixtures are random
    // noise, so their sizes vary from run to run: make odd ones until one turns up.
    let odd = [lossy, lossless, losslessAlpha].find((bytes) => bytes.readUInt32LE(16) % 2 === 1);
    // (libwebp's lossy chunks come out even; lossless ones are odd about half the time.)
    for (let width = 302; !odd && width < 402; width += 1) {
      const candidate = await image(3, width, 40).webp({ lossless: true }).toBuffer();
      if (candidate.readUInt32LE(16) % 2 === 1) odd = candidate;
    }
    if (!odd) throw new Error('no fixture with an odd-sized image chunk');
    const unpadded = Buffer.from(odd.subarray(0, odd.length - 1));
    unpadded.writeUInt32LE(unpadded.length - 8, 4);
    const embedded = embedWebpMetadata(unpadded, meta());
    expect(readWebpMetadata(embedded)).toEqual(meta());
    expect(embedded.readUInt32LE(4)).toBe(embedded.length - 8);
    expect(embedded.length % 2).toBe(0);
  });

  it('replaces the XMP chunk on a second embed', () => {
    const twice = embedWebpMetadata(embedWebpMetadata(lossless, meta()), meta({ prompt: 'again' }));
    expect(fourccs(twice).filter((fourcc) => fourcc === 'XMP ')).toHaveLength(1);
    expect(fourccs(twice).filter((fourcc) => fourcc === 'VP8X')).toHaveLength(1);
    expect(readWebpMetadata(twice)?.prompt).toBe('again');
  });

  it("replaces another app's XMP, which on its own reads as no metadata", async () => {
    const foreignXmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:bs="https://banana.studio/ns/1.0/">' +
      '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Screenshot</rdf:li></rdf:Alt></dc:description>' +
      '<bs:metadata>{"app":"banana-studio","version":1}</bs:metadata>' +
      '</rdf:Description></rdf:RDF></x:xmpmeta>';
    const foreign = await image(3, 20, 20).webp().withXmp(foreignXmp).toBuffer();
    expect(fourccs(foreign)).toContain('XMP ');
    expect(readWebpMetadata(foreign)).toBeNull();
    expect(readDescription(readWebpXmp(foreign) ?? '')).toBe('Screenshot');
    const embedded = embedWebpMetadata(foreign, meta());
    expect(fourccs(embedded).filter((fourcc) => fourcc === 'XMP ')).toHaveLength(1);
    expect(readWebpMetadata(embedded)).toEqual(meta());
    expect((await sharp(embedded).metadata()).xmp?.toString()).toContain('a banana on the moon');
  });

  it('keeps an Exif chunk and sets its flag when creating VP8X', async () => {
    const withExif = await image(3, 16, 16)
      .webp()
      .withExif({ IFD0: { Artist: 'Banana' } })
      .toBuffer();
    const embedded = embedWebpMetadata(withExif, meta());
    expect(fourccs(embedded)).toEqual(['VP8X', 'VP8 ', 'EXIF', 'XMP ']);
    expect((await sharp(embedded).metadata()).exif).toBeDefined();
  });

  it.each([
    ['no RIFF header', () => Buffer.from('RIFX\0\0\0\0WEBPVP8 ', 'latin1')],
    ['a RIFF size past the end', () => lossy.subarray(0, lossy.length - 2)],
    [
      'a chunk size past the RIFF end',
      () => {
        const bad = Buffer.from(lossy);
        bad.writeUInt32LE(0x7fffffff, 16);
        return bad;
      },
    ],
    ['no image chunk', () => Buffer.from('RIFF\x0c\0\0\0WEBPJUNK\0\0\0\0', 'latin1')],
    [
      'a broken VP8 frame header',
      () => {
        const bad = Buffer.from(lossy);
        bad[20 + 3] = 0;
        return bad;
      },
    ],
  ])('rejects a file with %s', (_label, make) => {
    const bytes = make();
    expect(readWebpMetadata(bytes)).toBeNull();
    expect(() => embedWebpMetadata(bytes, meta())).toThrow(/^This WebP file is damaged or truncated: /);
  });
});
