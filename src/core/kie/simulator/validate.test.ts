import { describe, expect, it } from 'vitest';
import type { JobParams } from '@shared/domain/job';
import { ASPECT_RATIOS, MODEL_IDS, MODELS, OUTPUT_FORMATS, type ModelId } from '@shared/domain/models';
import { buildCreateTaskRequest } from '../request';
import { SimError } from './http';
import { validateCreateTask } from './validate';

/**
 * The simulator's createTask checks per model, from KIE's own pages
 * (https://docs.kie.ai/market/google/nano-banana, …/nano-banana-edit, …/pro-image-to-image,
 * …/nanobanana2), and the app's model table checked against them: what the app sends at its
 * limits is what KIE takes, and one past them is what KIE refuses.
 */
const url = (n: number) => `https://files.example.com/${n}.png`;
const urls = (count: number) => Array.from({ length: count }, (_, n) => url(n));

function refusal(body: unknown): SimError {
  try {
    validateCreateTask(body);
  } catch (error) {
    if (error instanceof SimError) return error;
    throw error;
  }
  throw new Error('expected the simulator to refuse the task');
}

const task = (model: ModelId, input: Record<string, unknown>) => ({ model, input });
const edit = (input: Record<string, unknown>) =>
  task('google/nano-banana-edit', { image_urls: [url(0)], ...input });

describe('validateCreateTask per model', () => {
  it.each([
    ['google/nano-banana', 5000, {}],
    ['google/nano-banana-edit', 5000, { image_urls: [url(0)] }],
    ['nano-banana-pro', 10_000, {}],
    ['nano-banana-2', 20_000, {}],
  ] as const)('%s: a prompt of %i characters is taken, one more is refused', (model, limit, extra) => {
    const at = validateCreateTask(task(model, { prompt: 'x'.repeat(limit), ...extra }));
    expect(at.prompt).toHaveLength(limit);
    const over = refusal(task(model, { prompt: 'x'.repeat(limit + 1), ...extra }));
    expect(over.code).toBe(422);
    expect(over.message).toBe(`input.prompt must be at most ${limit} characters.`);
  });

  it('Nano Banana 2 takes 1:4, 4:1, 1:8 and 8:1; Pro and the google/* models refuse them', () => {
    for (const ratio of ['1:4', '4:1', '1:8', '8:1']) {
      expect(
        validateCreateTask(task('nano-banana-2', { prompt: 'p', aspect_ratio: ratio })).aspectRatio,
      ).toBe(ratio);
      expect(refusal(task('nano-banana-pro', { prompt: 'p', aspect_ratio: ratio })).message).toMatch(
        /^input\.aspect_ratio must be one of: 1:1, 9:16/,
      );
      expect(refusal(task('google/nano-banana', { prompt: 'p', aspect_ratio: ratio })).code).toBe(422);
      expect(refusal(edit({ prompt: 'p', image_size: ratio })).message).toMatch(/^input\.image_size must be/);
    }
  });

  it('the google/* models read the ratio under either name; Pro and Nano Banana 2 ignore image_size', () => {
    const both = validateCreateTask(
      task('google/nano-banana', { prompt: 'p', aspect_ratio: '16:9', image_size: '16:9' }),
    );
    expect(both).toMatchObject({ aspectRatio: '16:9', ignoredFields: [] });
    expect(validateCreateTask(edit({ prompt: 'p', image_size: '9:16' })).aspectRatio).toBe('9:16');
    const pro = validateCreateTask(task('nano-banana-pro', { prompt: 'p', image_size: '16:9' }));
    expect(pro).toMatchObject({ aspectRatio: '1:1', ignoredFields: ['image_size'] });
    // Nano Banana 2's page defaults to auto and jpg.
    expect(validateCreateTask(task('nano-banana-2', { prompt: 'p' }))).toMatchObject({
      aspectRatio: 'auto',
      format: 'jpeg',
    });
  });

  it.each([
    ['google/nano-banana-edit', 'image_urls', 10],
    ['nano-banana-pro', 'image_input', 8],
    ['nano-banana-2', 'image_input', 14],
  ] as const)('%s takes up to %s × %i, not one more', (model, field, limit) => {
    expect(validateCreateTask(task(model, { prompt: 'p', [field]: urls(limit) })).referenceUrls).toEqual(
      urls(limit),
    );
    expect(refusal(task(model, { prompt: 'p', [field]: urls(limit + 1) })).message).toBe(
      `input.${field} accepts at most ${limit} images.`,
    );
  });

  it('references under the wrong name are ignored, as KIE does, and recorded', () => {
    const pro = validateCreateTask(task('nano-banana-pro', { prompt: 'p', image_urls: [url(0)] }));
    expect(pro).toMatchObject({ referenceUrls: [], ignoredFields: ['image_urls'] });
    expect(refusal(task('google/nano-banana-edit', { prompt: 'p', image_input: [url(0)] })).message).toBe(
      'input.image_urls is required for google/nano-banana-edit.',
    );
  });

  it('each model says how big a reference it fetches: 10 MB for the edit model, 30 MB for Pro and 2', () => {
    const MB = 1024 * 1024;
    expect(validateCreateTask(edit({ prompt: 'p' })).referenceMaxBytes).toBe(10 * MB);
    expect(validateCreateTask(task('nano-banana-pro', { prompt: 'p' })).referenceMaxBytes).toBe(30 * MB);
    expect(validateCreateTask(task('nano-banana-2', { prompt: 'p' })).referenceMaxBytes).toBe(30 * MB);
  });
});

describe('the app’s model table against KIE’s rules', () => {
  const params = (model: ModelId, patch: Partial<JobParams> = {}): JobParams => ({
    model,
    prompt: 'x'.repeat(MODELS[model].promptMaxChars),
    aspectRatio: MODELS[model].aspectRatios[0] ?? '1:1',
    outputFormat: 'png',
    resolution: MODELS[model].supportsResolution ? '2K' : null,
    ...(MODELS[model].supportsGoogleSearch ? { googleSearch: true } : {}),
    ...patch,
  });

  it.each(MODEL_IDS)('%s: every choice the app offers is read by KIE, field by field', (model) => {
    const spec = MODELS[model];
    const references = urls(spec.maxReferences);
    for (const aspectRatio of spec.aspectRatios) {
      for (const outputFormat of OUTPUT_FORMATS) {
        const body = buildCreateTaskRequest(params(model, { aspectRatio, outputFormat }), references, null);
        const taken = validateCreateTask(body);
        expect(taken).toMatchObject({ model, aspectRatio, format: outputFormat, referenceUrls: references });
        expect(taken.ignoredFields).toEqual([]);
        expect(taken.referenceMaxBytes).toBe(spec.referenceMaxBytes);
      }
    }
    // The ratios the app does not offer for this model are the ones KIE refuses.
    for (const aspectRatio of ASPECT_RATIOS.filter((ratio) => !spec.aspectRatios.includes(ratio))) {
      const body = buildCreateTaskRequest(params('nano-banana-2', { aspectRatio }), [], null);
      expect(refusal({ ...body, model, input: { ...body.input, image_urls: [url(0)] } }).code).toBe(422);
    }
    // One reference more than the app allows is one more than KIE takes.
    if (spec.request.referenceField) {
      const body = buildCreateTaskRequest(params(model), references, null);
      const input = { ...body.input, [spec.request.referenceField]: urls(spec.maxReferences + 1) };
      expect(refusal({ ...body, input }).code).toBe(422);
    }
  });
});
