import type { JobParams } from '@shared/domain/job';
import { MODELS } from '@shared/domain/models';
import { AppError } from '@shared/ipc/result';
import type { CreateTaskRequest } from './types';

/**
 * The createTask body for a job. Field names differ per model, and KIE silently ignores a wrong
 * one (a public integration lost its references that way), so they come from the model's record
 * (MODELS[model].request): `image_urls` for the edit model, `image_input` for Pro and Nano
 * Banana 2; `aspect_ratio` everywhere, and for the google/* models `image_size` too (their older
 * pages know only that name, and a ratio KIE does not read is still billed, at 1:1); `jpg` for
 * the models that spell it so.
 */
export function buildCreateTaskRequest(
  params: JobParams,
  referenceUrls: readonly string[],
  callBackUrl: string | null,
): CreateTaskRequest {
  const prompt = checkTaskParams(params, referenceUrls.length);
  const spec = MODELS[params.model];
  const fields = spec.request;
  const input: Record<string, unknown> = { prompt };
  if (fields.referenceField !== null && referenceUrls.length > 0) {
    input[fields.referenceField] = [...referenceUrls];
  }
  input['aspect_ratio'] = params.aspectRatio;
  if (fields.sendsImageSize) input['image_size'] = params.aspectRatio;
  if (spec.supportsResolution) input['resolution'] = params.resolution ?? '1K';
  input['output_format'] = params.outputFormat === 'jpeg' ? fields.jpegName : 'png';
  if (spec.supportsGoogleSearch) input['google_search'] = params.googleSearch ?? false;
  return callBackUrl ? { model: params.model, callBackUrl, input } : { model: params.model, input };
}

/**
 * What KIE would refuse about these params with `referenceCount` references, checked before a job
 * is queued (when the references are not uploaded yet) and again when the request is built.
 * Returns the trimmed prompt.
 */
export function checkTaskParams(params: JobParams, referenceCount: number): string {
  const spec = MODELS[params.model];
  const prompt = params.prompt.trim();
  if (prompt === '') throw new AppError('VALIDATION', 'The prompt is empty.', { field: 'prompt' });
  if (prompt.length > spec.promptMaxChars) {
    throw new AppError('VALIDATION', `The prompt is longer than ${spec.promptMaxChars} characters.`, {
      field: 'prompt',
      limit: spec.promptMaxChars,
      length: prompt.length,
    });
  }
  if (!spec.aspectRatios.includes(params.aspectRatio)) {
    throw new AppError(
      'VALIDATION',
      `${params.model} does not take the aspect ratio ${params.aspectRatio}; it takes ${spec.aspectRatios.join(', ')}.`,
      { field: 'aspectRatio', aspectRatio: params.aspectRatio },
    );
  }
  if (referenceCount > spec.maxReferences) {
    throw new AppError('VALIDATION', `This model takes at most ${spec.maxReferences} reference images.`, {
      field: 'references',
      limit: spec.maxReferences,
    });
  }
  if (params.googleSearch === true && !spec.supportsGoogleSearch) {
    throw new AppError('VALIDATION', 'This model cannot use Google Search.', { field: 'googleSearch' });
  }
  if (spec.requiresReferences && referenceCount === 0) {
    throw new AppError('VALIDATION', 'This model edits images: add at least one reference image.', {
      field: 'references',
    });
  }
  return prompt;
}
