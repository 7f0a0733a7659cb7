import { describe, expect, it } from 'vitest';
import { jobParamsFromMetadata, type EmbeddedMetadata } from './imageMetadata';

const meta: EmbeddedMetadata = {
  app: 'banana-studio',
  version: 1,
  imageId: 'img',
  prompt: 'a lighthouse',
  model: 'nano-banana-2',
  params: { aspectRatio: '16:9', outputFormat: 'png', resolution: '2K' },
  kieTaskId: null,
  resultIndex: 0,
  references: [],
  parents: [],
  createdAt: '2026-11-25T01:00:00.000Z',
  appVersion: '0.1.0',
  demo: true,
};
const fallback = { model: 'google/nano-banana', aspectRatio: '1:1', outputFormat: 'jpeg' } as const;

describe('jobParamsFromMetadata', () => {
  it('reads what this version knows', () => {
    expect(
      jobParamsFromMetadata({ ...meta, params: { ...meta.params, googleSearch: true } }, fallback),
    ).toEqual({
      model: 'nano-banana-2',
      prompt: 'a lighthouse',
      aspectRatio: '16:9',
      outputFormat: 'png',
      resolution: '2K',
      googleSearch: true,
    });
  });

  it('takes the fallback for what it cannot read, and leaves googleSearch out when off', () => {
    const odd = { ...meta, model: 'some-future-model', params: { aspectRatio: '7:3', outputFormat: 'gif' } };
    expect(jobParamsFromMetadata(odd, fallback)).toEqual({
      model: 'google/nano-banana',
      prompt: 'a lighthouse',
      aspectRatio: '1:1',
      outputFormat: 'jpeg',
      resolution: null,
    });
  });
});
