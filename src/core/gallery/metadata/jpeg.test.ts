import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  embedJpegMetadata,
  EXTENDED_XMP_SIGNATURE,
  MAX_SEGMENT_PAYLOAD,
  readJpegMetadata,
  readJpegSegments,
  readJpegXmp,
  XMP_SIGNATURE,
  type JpegSegment,
} from './jpeg';
import type { EmbeddedMetadata } from './schema';
import { readDescription } from './xmp';
import { sampleMetadata } from './testMetadata';

const meta = (overrides: Partial<EmbeddedMetadata> = {}): EmbeddedMetadata =>
  sampleMetadata({
    model: 'google/nano-banana-pro',
    params: { aspectRatio: '4:3', outputFormat: 'jpeg', resolution: '1K' },
    ...overrides,
  });

const JFIF_APP0 = Buffer.from('ffe000104a46494600010101004800480000', 'hex');

const image = (): Sharp =>
  sharp({
    create: {
      width: 64,
      height: 48,
      channels: 3,
      background: '#3a7',
      noise: { type: 'gaussian', mean: 90, sigma: 50 },
    },
  });

/** Each segment as `APP1:xmp`, `APP1:exif`, `APP0`, `DQT`… for order assertions. */
function labels(bytes: Buffer): string[] {
  const names: Record<number, string> = {
    0xd8: 'SOI',
    0xd9: 'EOI',
    0xda: 'SOS',
    0xdb: 'DQT',
    0xc4: 'DHT',
    0xe0: 'APP0',
  };
  return readJpegSegments(bytes).map((segment: JpegSegment) => {
    if (segment.marker !== 0xe1) return names[segment.marker] ?? `0x${segment.marker.toString(16)}`;
    const payload = bytes.subarray(segment.payloadStart, segment.end);
    if (payload.subarray(0, XMP_SIGNATURE.length).equals(XMP_SIGNATURE)) return 'APP1:xmp';
    if (payload.subarray(0, EXTENDED_XMP_SIGNATURE.length).equals(EXTENDED_XMP_SIGNATURE))
      return 'APP1:xmp-ext';
    return payload.toString('latin1', 0, 4) === 'Exif' ? 'APP1:exif' : 'APP1';
  });
}

const fromFirstQuantTable = (bytes: Buffer): Buffer =>
  bytes.subarray(readJpegSegments(bytes).find((s) => s.marker === 0xdb)?.start);

let plain: Buffer;
let jfifExif: Buffer;
beforeAll(async () => {
  plain = await image().jpeg({ quality: 85 }).toBuffer();
  const exif = await image()
    .jpeg()
    .withExif({ IFD0: { Copyright: 'Banana' } })
    .toBuffer();
  jfifExif = Buffer.concat([exif.subarray(0, 2), JFIF_APP0, exif.subarray(2)]);
});

describe('JPEG metadata', () => {
  it('inserts XMP right after SOI and copies the rest byte for byte', () => {
    const embedded = embedJpegMetadata(plain, meta());
    expect(labels(embedded).slice(0, 3)).toEqual(['SOI', 'APP1:xmp', 'DQT']);
    expect(fromFirstQuantTable(embedded).equals(fromFirstQuantTable(plain))).toBe(true);
  });

  it('goes after JFIF and Exif, which readers expect first', async () => {
    const embedded = embedJpegMetadata(jfifExif, meta());
    expect(labels(embedded).slice(0, 5)).toEqual(['SOI', 'APP0', 'APP1:exif', 'APP1:xmp', 'DQT']);
    expect((await sharp(embedded).metadata()).exif).toBeDefined();
    expect(readJpegMetadata(embedded)).toEqual(meta());
  });

  it('replaces the XMP segment on a second embed', () => {
    const twice = embedJpegMetadata(embedJpegMetadata(jfifExif, meta()), meta({ prompt: 'second' }));
    expect(labels(twice).filter((label) => label.startsWith('APP1:xmp'))).toEqual(['APP1:xmp']);
    expect(readJpegMetadata(twice)?.prompt).toBe('second');
  });

  it("replaces another app's XMP, which on its own reads as no metadata", async () => {
    const foreignXmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt>' +
      '<rdf:li xml:lang="x-default">Holiday photo</rdf:li></rdf:Alt></dc:description></rdf:Description>' +
      '</rdf:RDF></x:xmpmeta>';
    const foreign = await image().jpeg().withXmp(foreignXmp).toBuffer();
    expect(readJpegMetadata(foreign)).toBeNull();
    expect(readDescription(readJpegXmp(foreign) ?? '')).toBe('Holiday photo');
    const embedded = embedJpegMetadata(foreign, meta());
    expect(labels(embedded).filter((label) => label === 'APP1:xmp')).toHaveLength(1);
    expect(readJpegMetadata(embedded)).toEqual(meta());
  });

  it('fits a 5,000-character Chinese prompt in one segment, description included', () => {
    const prompt = '一只戴着墨镜的猫'.repeat(625);
    const embedded = embedJpegMetadata(plain, meta({ prompt }));
    expect(labels(embedded).filter((label) => label.startsWith('APP1:xmp'))).toEqual(['APP1:xmp']);
    expect(readJpegMetadata(embedded)?.prompt).toBe(prompt);
    expect(readDescription(readJpegXmp(embedded) ?? '')).toBe(prompt);
  });

  it('shortens only the description when a 20,000-character prompt would overflow the segment', async () => {
    const prompt = '香'.repeat(20_000);
    const embedded = embedJpegMetadata(plain, meta({ prompt }));
    const segments = readJpegSegments(embedded);
    expect(Math.max(...segments.map((s) => s.end - s.payloadStart))).toBeLessThanOrEqual(MAX_SEGMENT_PAYLOAD);
    expect(labels(embedded).filter((label) => label.startsWith('APP1:xmp'))).toEqual(['APP1:xmp']);
    expect(readJpegMetadata(embedded)?.prompt).toBe(prompt);
    expect(readDescription(readJpegXmp(embedded) ?? '')).toMatch(/^香+…$/);
    expect(await sharp(embedded).raw().toBuffer()).toEqual(await sharp(plain).raw().toBuffer());
  });

  describe('when the JSON alone is bigger than a segment', () => {
    const prompt = '<&>'.repeat(8000) + '🍌'.repeat(3000);
    let embedded: Buffer;
    beforeAll(() => {
      embedded = embedJpegMetadata(plain, meta({ prompt }));
    });

    it('splits it into Extended XMP segments and reads it back', () => {
      expect(labels(embedded).filter((label) => label.startsWith('APP1:xmp'))).toEqual([
        'APP1:xmp',
        'APP1:xmp-ext',
        'APP1:xmp-ext',
      ]);
      expect(readJpegMetadata(embedded)).toEqual(meta({ prompt }));
    });

    it('still decodes to the same pixels, and other tools see the standard packet', async () => {
      expect(await sharp(embedded).raw().toBuffer()).toEqual(await sharp(plain).raw().toBuffer());
      expect((await sharp(embedded).metadata()).xmp?.toString()).toContain('xmpNote:HasExtendedXMP');
    });

    it('replaces all of its segments on a second embed', () => {
      const again = embedJpegMetadata(embedded, meta({ prompt: 'short' }));
      expect(labels(again).filter((label) => label.startsWith('APP1:xmp'))).toEqual(['APP1:xmp']);
      expect(again.equals(embedJpegMetadata(plain, meta({ prompt: 'short' })))).toBe(true);
    });

    it('reads nothing if an extension chunk was tampered with', () => {
      const tampered = Buffer.from(embedded);
      const extension = readJpegSegments(embedded).filter((s) => s.marker === 0xe1)[1];
      const offset = (extension?.end ?? 0) - 10;
      tampered.writeUInt8(tampered.readUInt8(offset) ^ 0x01, offset);
      expect(readJpegMetadata(tampered)).toBeNull();
    });
  });

  it.each([
    ['no SOI', () => Buffer.from('ffd9', 'hex')],
    ['a cut inside the image data', () => plain.subarray(0, plain.length - 40)],
    ['a cut inside a header segment', () => plain.subarray(0, 30)],
    [
      'garbage where a marker should be',
      () => Buffer.concat([plain.subarray(0, 2), Buffer.from('0000', 'hex'), plain.subarray(2)]),
    ],
    [
      'a segment length past the end',
      () => Buffer.concat([plain.subarray(0, 2), Buffer.from('ffe1fff0', 'hex')]),
    ],
  ])('rejects a file with %s', (_label, make) => {
    const bytes = make();
    expect(readJpegMetadata(bytes)).toBeNull();
    expect(() => embedJpegMetadata(bytes, meta())).toThrow(/^This JPEG file is damaged or truncated: /);
  });

  it('keeps bytes that follow EOI', () => {
    const trailing = Buffer.concat([plain, Buffer.from('trailer')]);
    const embedded = embedJpegMetadata(trailing, meta());
    expect(embedded.subarray(-7).toString()).toBe('trailer');
    expect(readJpegMetadata(embedded)).toEqual(meta());
  });

  it('handles progressive JPEGs (several scans)', async () => {
    const progressive = await image().jpeg({ progressive: true }).toBuffer();
    expect(labels(progressive).filter((label) => label === 'SOS').length).toBeGreaterThan(1);
    const embedded = embedJpegMetadata(progressive, meta());
    expect(readJpegMetadata(embedded)).toEqual(meta());
    expect(await sharp(embedded).raw().toBuffer()).toEqual(await sharp(progressive).raw().toBuffer());
  });
});
