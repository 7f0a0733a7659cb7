import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspectImage } from './inspect';
import { embedMetadata, type EmbeddedMetadata } from './metadata';

const meta: EmbeddedMetadata = {
  app: 'banana-studio',
  version: 1,
  imageId: 'ab'.repeat(16),
  prompt: '一只香蕉 on the moon',
  model: 'nano-banana-pro',
  params: { aspectRatio: '4:3', outputFormat: 'jpeg', resolution: '2K' },
  kieTaskId: 'task-1',
  resultIndex: 0,
  references: [],
  parents: [],
  createdAt: '2026-11-26T01:00:00.000Z',
  appVersion: '0.1.0',
  demo: false,
};

const picture = (format: 'png' | 'jpeg' | 'webp') =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: '#fc0' } })
    .toFormat(format)
    .toBuffer();

describe('inspectImage', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('recalls our settings from a %s we made', async (format) => {
    const result = await inspectImage(embedMetadata(await picture(format), meta), 'x');
    expect(result).toEqual({ format, width: 40, height: 30, metadata: meta, description: meta.prompt });
  });

  it('reads a foreign image with no metadata of ours', async () => {
    expect(await inspectImage(await picture('jpeg'), 'photo.jpg')).toMatchObject({
      format: 'jpeg',
      metadata: null,
    });
  });

  it.each([
    ['an empty file', Buffer.alloc(0), /is empty/],
    ['text named .png', Buffer.from('hello, not an image'), /not a PNG, JPEG or WebP/],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;'), /not a PNG, JPEG or WebP/],
  ])('refuses %s with a message naming the file', async (_name, bytes, message) => {
    await expect(inspectImage(bytes, 'cat.png')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(inspectImage(bytes, 'cat.png')).rejects.toThrow(message);
    await expect(inspectImage(bytes, 'cat.png')).rejects.toThrow('“cat.png”');
  });

  it('refuses a damaged image', async () => {
    const png = await picture('png');
    await expect(inspectImage(png.subarray(0, 20), 'half.png')).rejects.toThrow('damaged');
  });
});
