import { describe, expect, it } from 'vitest';
import { creatorTool, parseEmbeddedMetadata, type EmbeddedMetadata } from './schema';

const meta: EmbeddedMetadata = {
  app: 'banana-studio',
  version: 1,
  imageId: 'img_01',
  prompt: 'a banana on the moon',
  model: 'google/nano-banana',
  params: { aspectRatio: '16:9', outputFormat: 'png', resolution: null },
  kieTaskId: 'task_01',
  resultIndex: 0,
  references: [{ id: 'ref_1', sha256: 'ab'.repeat(32) }],
  parents: ['img_00'],
  createdAt: '2026-03-09T10:00:00.000Z',
  appVersion: '0.1.0',
  demo: false,
};

describe('parseEmbeddedMetadata', () => {
  it('accepts what the app writes', () => {
    expect(parseEmbeddedMetadata(JSON.stringify(meta))).toEqual(meta);
  });

  it('keeps parameters it does not know yet, and drops unknown top-level keys', () => {
    const future = { ...meta, params: { ...meta.params, seed: 42 }, colour: 'yellow' };
    expect(parseEmbeddedMetadata(JSON.stringify(future))).toEqual({ ...meta, params: future.params });
  });

  it.each([
    ['not JSON', '{"app":'],
    ['JSON that is not an object', '"banana-studio"'],
    ['another app', JSON.stringify({ ...meta, app: 'other-app' })],
    ['a future schema version', JSON.stringify({ ...meta, version: 2 })],
    ['a date that is not ISO', JSON.stringify({ ...meta, createdAt: 'yesterday' })],
    ['a negative result index', JSON.stringify({ ...meta, resultIndex: -1 })],
    ['a missing field', JSON.stringify({ ...meta, imageId: undefined })],
  ])('returns null for %s', (_label, json) => {
    expect(parseEmbeddedMetadata(json)).toBeNull();
  });

  it('names the app version as the creator tool', () => {
    expect(creatorTool(meta)).toBe('Banana Studio 0.1.0');
  });
});
