import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { embedPngMetadata, readPngChunks, readPngDescription, readPngMetadata, type PngChunk } from './png';
import type { EmbeddedMetadata } from './schema';
import { sampleMetadata } from './testMetadata';

const meta = (overrides: Partial<EmbeddedMetadata> = {}): EmbeddedMetadata =>
  sampleMetadata({ demo: true, ...overrides });

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** `png` with extra chunks inserted right after IHDR (which always ends at byte 33). */
const withChunksAfterHeader = (png: Buffer, ...chunks: Buffer[]): Buffer =>
  Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]);

const textChunk = (keyword: string, text: string): Buffer =>
  chunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'));

/** Each chunk's type, plus the keyword of text chunks (`tEXt:Software`). */
function chunkLabels(png: Buffer): string[] {
  return readPngChunks(png).map((c: PngChunk) =>
    ['tEXt', 'iTXt', 'zTXt'].includes(c.type)
      ? `${c.type}:${png.toString('latin1', c.dataStart, png.indexOf(0, c.dataStart))}`
      : c.type,
  );
}

const idatData = (png: Buffer): Buffer[] =>
  readPngChunks(png)
    .filter((c) => c.type === 'IDAT')
    .map((c) => png.subarray(c.start, c.end));

let png: Buffer;
beforeAll(async () => {
  png = await sharp({
    create: {
      width: 40,
      height: 30,
      channels: 3,
      background: '#f5c542',
      noise: { type: 'gaussian', mean: 100, sigma: 30 },
    },
  })
    .png({ compressionLevel: 9 })
    .toBuffer();
});

describe('PNG metadata', () => {
  it('puts our chunks just before the image data, leaving IDAT byte-identical', () => {
    const embedded = embedPngMetadata(png, meta());
    const labels = chunkLabels(embedded);
    const firstIdat = labels.indexOf('IDAT');
    expect(labels.slice(firstIdat - 3, firstIdat)).toEqual([
      'iTXt:banana-studio',
      'tEXt:Description',
      'tEXt:Software',
    ]);
    expect(labels[0]).toBe('IHDR');
    expect(labels.at(-1)).toBe('IEND');
    expect(idatData(embedded)).toEqual(idatData(png));
    expect(embedded.length).toBeGreaterThan(png.length);
  });

  it('writes valid CRCs (the chunk walker checks every one)', () => {
    expect(() => readPngChunks(embedPngMetadata(png, meta()))).not.toThrow();
  });

  it('replaces our chunks and foreign Description/Software ones, never duplicating them', async () => {
    const foreign = withChunksAfterHeader(
      png,
      textChunk('Software', 'Other App 3.1'),
      textChunk('Author', 'Jo'),
    );
    const twice = embedPngMetadata(embedPngMetadata(foreign, meta()), meta({ prompt: 'again' }));
    const labels = chunkLabels(twice);
    for (const label of ['iTXt:banana-studio', 'tEXt:Description', 'tEXt:Software', 'tEXt:Author']) {
      expect(labels.filter((l) => l === label)).toHaveLength(1);
    }
    const { comments } = await sharp(twice).metadata();
    expect(comments).toContainEqual({ keyword: 'Software', text: 'Banana Studio 0.1.0' });
    expect(comments).toContainEqual({ keyword: 'Author', text: 'Jo' });
    expect(readPngMetadata(twice)?.prompt).toBe('again');
  });

  it('keeps Latin-1 prompts in tEXt and moves others to iTXt', () => {
    expect(chunkLabels(embedPngMetadata(png, meta({ prompt: 'café crème, 50°' })))).toContain(
      'tEXt:Description',
    );
    const chinese = embedPngMetadata(png, meta({ prompt: '香蕉 🍌' }));
    expect(chunkLabels(chinese)).toContain('iTXt:Description');
    expect(chunkLabels(chinese)).not.toContain('tEXt:Description');
    expect(readPngDescription(chinese)).toBe('香蕉 🍌');
  });

  it('omits Description for an empty prompt', () => {
    const embedded = embedPngMetadata(png, meta({ prompt: '' }));
    expect(chunkLabels(embedded)).not.toContain('tEXt:Description');
    expect(readPngMetadata(embedded)?.prompt).toBe('');
  });

  it('reads a compressed iTXt written by another tool', () => {
    const json = Buffer.from(JSON.stringify(meta({ prompt: '压缩的' })), 'utf8');
    const header = Buffer.from('banana-studio\0\x01\x00en\0\0', 'latin1');
    const file = withChunksAfterHeader(png, chunk('iTXt', Buffer.concat([header, deflateSync(json)])));
    expect(readPngMetadata(file)).toEqual(meta({ prompt: '压缩的' }));
  });

  it("reads a foreign file's caption from Description or its XMP", () => {
    expect(readPngDescription(withChunksAfterHeader(png, textChunk('Description', 'A lake')))).toBe('A lake');
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt>' +
      '<rdf:li xml:lang="x-default">Mountains &amp; sky</rdf:li></rdf:Alt></dc:description>' +
      '</rdf:Description></rdf:RDF></x:xmpmeta>';
    const itxt = chunk('iTXt', Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0${xmp}`, 'utf8'));
    const withXmp = withChunksAfterHeader(png, itxt);
    expect(readPngDescription(withXmp)).toBe('Mountains & sky');
    expect(readPngMetadata(withXmp)).toBeNull();
  });

  it('ignores a banana-studio text chunk that is not valid metadata', () => {
    const bogus = withChunksAfterHeader(
      png,
      chunk('iTXt', Buffer.from('banana-studio\0\0\0\0\0{"app":"x"}')),
    );
    expect(readPngMetadata(bogus)).toBeNull();
    const zipBomb = Buffer.concat([
      Buffer.from('banana-studio\0\x01\x00\0\0'),
      deflateSync(Buffer.alloc(20e6)),
    ]);
    expect(readPngMetadata(withChunksAfterHeader(png, chunk('iTXt', zipBomb)))).toBeNull();
  });

  it('rejects a file with a wrong checksum: null on read, a clear error on embed', () => {
    const embedded = embedPngMetadata(png, meta());
    const corrupt = Buffer.from(embedded);
    const idat = readPngChunks(embedded).find((c) => c.type === 'IDAT');
    const offset = (idat?.dataStart ?? 0) + 5;
    corrupt.writeUInt8(corrupt.readUInt8(offset) ^ 0xff, offset);
    expect(readPngMetadata(corrupt)).toBeNull();
    expect(() => embedPngMetadata(corrupt, meta())).toThrow(
      /damaged or truncated: chunk IDAT at byte \d+ has a wrong checksum/,
    );
  });

  it.each([
    ['no signature', () => Buffer.from('not a png at all')],
    ['no IEND', () => png.subarray(0, png.length - 12)],
    [
      'a chunk length past the end',
      () => Buffer.concat([png.subarray(0, 8), Buffer.from([0x7f, 0, 0, 0]), png.subarray(12)]),
    ],
    ['no IHDR first', () => Buffer.concat([png.subarray(0, 8), textChunk('Title', 'x'), png.subarray(8)])],
  ])('rejects a file with %s', (_label, make) => {
    const bytes = make();
    expect(readPngMetadata(bytes)).toBeNull();
    expect(() => embedPngMetadata(bytes, meta())).toThrow(/^This PNG file is damaged or truncated: /);
  });

  it('keeps bytes that follow IEND', () => {
    const trailing = Buffer.concat([png, Buffer.from('trailer')]);
    const embedded = embedPngMetadata(trailing, meta());
    expect(embedded.subarray(-7).toString()).toBe('trailer');
    expect(readPngMetadata(embedded)).toEqual(meta());
  });
});
