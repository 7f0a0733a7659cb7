import { describe, expect, it } from 'vitest';
import {
  BASE64_CHUNK_BYTES,
  bytesToBase64,
  containsAscii,
  SNIFF_BYTES,
  sniffImageFormat,
} from './referenceBytes';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));

describe('sniffImageFormat', () => {
  it.each([
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'png'],
    ['JPEG', [0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1], 'jpeg'],
    ['WebP', [...ascii('RIFF'), 0x24, 0, 0, 0, ...ascii('WEBP')], 'webp'],
  ] as const)('recognises %s by its first bytes', (_name, head, format) => {
    expect(sniffImageFormat(Uint8Array.from(head))).toBe(format);
  });

  it.each([
    ['text named .png', ascii('just some notes\n')],
    ['a RIFF that is not WebP (WAV)', Uint8Array.from([...ascii('RIFF'), 0x24, 0, 0, 0, ...ascii('WAVE')])],
    [
      'a PNG signature with one byte wrong',
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b]),
    ],
    ['a PNG signature cut short', Uint8Array.from([0x89, 0x50, 0x4e, 0x47])],
    ['GIF', ascii('GIF89a......')],
    ['nothing', new Uint8Array(0)],
  ])('refuses %s', (_name, head) => {
    expect(sniffImageFormat(head)).toBeNull();
  });

  it('needs no more than SNIFF_BYTES', () => {
    expect(SNIFF_BYTES).toBe(12);
  });
});

describe('bytesToBase64', () => {
  const sample = (length: number): Uint8Array =>
    Uint8Array.from({ length }, (_, index) => (index * 131 + 7) % 256);

  it.each([0, 1, 2, 3, 4, 5, 47, 48, 49, BASE64_CHUNK_BYTES - 1, BASE64_CHUNK_BYTES, BASE64_CHUNK_BYTES + 1])(
    'matches Node for %i bytes',
    (length) => {
      const bytes = sample(length);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    },
  );

  it('joins small chunks into one valid string (padding only at the very end)', () => {
    const bytes = sample(100);
    const encoded = bytesToBase64(bytes, 3);
    expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
    expect(encoded.indexOf('=')).toBe(encoded.length - 2);
  });

  it('encodes a 10 MB file without overflowing the stack', () => {
    const bytes = sample(10 * 1024 * 1024 + 1);
    const encoded = bytesToBase64(bytes);
    expect(encoded.length).toBe(Math.ceil(bytes.length / 3) * 4);
    expect(Buffer.from(encoded, 'base64').equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses a chunk size that would put padding in the middle', () => {
    expect(() => bytesToBase64(sample(10), 4)).toThrow(RangeError);
    expect(() => bytesToBase64(sample(10), 0)).toThrow(RangeError);
  });
});

describe('containsAscii', () => {
  it('finds our metadata key anywhere, including at the very end', () => {
    expect(containsAscii(ascii('....iTXtbanana-studio\0{...}'), 'banana-studio')).toBe(true);
    expect(containsAscii(ascii('xxbanana-studio'), 'banana-studio')).toBe(true);
    expect(containsAscii(ascii('bbanana-studi'), 'banana-studio')).toBe(false);
    expect(containsAscii(ascii('banana studio'), 'banana-studio')).toBe(false);
    expect(containsAscii(new Uint8Array(0), 'banana-studio')).toBe(false);
  });
});
