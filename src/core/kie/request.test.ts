import { describe, expect, it } from 'vitest';
import type { JobParams } from '@shared/domain/job';
import { buildCreateTaskRequest } from './request';

const base: JobParams = {
  model: 'google/nano-banana',
  prompt: 'a cat',
  aspectRatio: '16:9',
  outputFormat: 'jpeg',
  resolution: '2K',
};
const refs = ['https://files.example.com/1.png', 'https://files.example.com/2.png'];

describe('buildCreateTaskRequest', () => {
  it('nano-banana: aspect_ratio and image_size, jpeg, no resolution, no references', () => {
    expect(buildCreateTaskRequest(base, [], 'https://t.example/kie/callback/x')).toEqual({
      model: 'google/nano-banana',
      callBackUrl: 'https://t.example/kie/callback/x',
      input: { prompt: 'a cat', output_format: 'jpeg', aspect_ratio: '16:9', image_size: '16:9' },
    });
  });

  it('omits callBackUrl when there is no tunnel', () => {
    expect(buildCreateTaskRequest(base, [], null)).not.toHaveProperty('callBackUrl');
  });

  it('nano-banana-edit: references as image_urls, in order', () => {
    const request = buildCreateTaskRequest({ ...base, model: 'google/nano-banana-edit' }, refs, null);
    expect(request.input).toEqual({
      prompt: 'a cat',
      image_urls: refs,
      output_format: 'jpeg',
      aspect_ratio: '16:9',
      image_size: '16:9',
    });
    expect(request.input).not.toHaveProperty('image_input');
  });

  it.each([
    ['nano-banana-pro', {}],
    ['nano-banana-2', { google_search: false }],
  ] as const)('%s: image_input, resolution, jpg', (model, extra) => {
    const request = buildCreateTaskRequest({ ...base, model }, refs, null);
    expect(request.input).toEqual({
      prompt: 'a cat',
      image_input: refs,
      aspect_ratio: '16:9',
      resolution: '2K',
      output_format: 'jpg',
      ...extra,
    });
    expect(request.input).not.toHaveProperty('image_urls');
    // Only the google/* models' older pages know the ratio as image_size.
    expect(request.input).not.toHaveProperty('image_size');
  });

  it('nano-banana-2 sends google_search when asked for', () => {
    const request = buildCreateTaskRequest({ ...base, model: 'nano-banana-2', googleSearch: true }, [], null);
    expect(request.input).toMatchObject({ google_search: true });
  });

  it('pro without references sends no image_input and defaults the resolution', () => {
    const request = buildCreateTaskRequest(
      { ...base, model: 'nano-banana-pro', outputFormat: 'png', resolution: null },
      [],
      null,
    );
    expect(request.input).toEqual({
      prompt: 'a cat',
      aspect_ratio: '16:9',
      resolution: '1K',
      output_format: 'png',
    });
  });

  it.each([
    [{ ...base, prompt: '   ' }, [], /empty/],
    [{ ...base, prompt: 'x'.repeat(5001) }, [], /longer than 5000/],
    [{ ...base, model: 'google/nano-banana-edit' as const }, [], /at least one reference/],
    [{ ...base, model: 'google/nano-banana-edit' as const }, Array(11).fill(refs[0]), /at most 10/],
    [{ ...base, model: 'nano-banana-pro' as const }, Array(9).fill(refs[0]), /at most 8/],
    [base, refs, /at most 0/],
    [{ ...base, model: 'nano-banana-pro' as const, googleSearch: true }, [], /Google Search/],
  ])('refuses invalid input %#', (params, references, message) => {
    expect(() => buildCreateTaskRequest(params, references as string[], null)).toThrow(message);
  });

  // https://docs.kie.ai/market/google/nano-banana, …/nano-banana-edit, …/pro-image-to-image,
  // …/nanobanana2: 5000, 5000, 10000 and 20000 characters.
  it.each([
    ['google/nano-banana', 5000, []],
    ['google/nano-banana-edit', 5000, refs],
    ['nano-banana-pro', 10_000, []],
    ['nano-banana-2', 20_000, []],
  ] as const)('%s takes a prompt of %i characters, not one more', (model, limit, references) => {
    const build = (length: number) =>
      buildCreateTaskRequest({ ...base, model, prompt: 'x'.repeat(length) }, references, null);
    expect(build(limit).input['prompt']).toHaveLength(limit);
    expect(() => build(limit + 1)).toThrow(`longer than ${limit} characters`);
  });

  it('the very tall and very wide ratios go to Nano Banana 2 only', () => {
    for (const ratio of ['1:4', '4:1', '1:8', '8:1'] as const) {
      const request = buildCreateTaskRequest(
        { ...base, model: 'nano-banana-2', aspectRatio: ratio },
        [],
        null,
      );
      expect(request.input['aspect_ratio']).toBe(ratio);
      for (const model of ['google/nano-banana', 'nano-banana-pro'] as const) {
        expect(() => buildCreateTaskRequest({ ...base, model, aspectRatio: ratio }, [], null)).toThrow(
          `${model} does not take the aspect ratio ${ratio}`,
        );
      }
    }
  });

  it('counts prompt length in characters, so 5000 Chinese characters are fine', () => {
    expect(() => buildCreateTaskRequest({ ...base, prompt: '猫'.repeat(5000) }, [], null)).not.toThrow();
  });
});
