import type { JobParams } from '@shared/domain/job';
import { MODELS } from '@shared/domain/models';
import { AppError } from '@shared/ipc/result';
import type { CreateTaskRequest } from './types';

/**
 * The createTask body per model. Field names differ, and KIE silently ignores a wrong one (a
 * public integration lost its references that way), so each model is spelled out here:
 * `image_urls` for the edit model, `image_input` for Pro and Nano Banana 2; `aspect_ratio`
 * everywhere (never the deprecated `image_size`); `jpg` for the models that spell it so.
 */
export function buildCreateTaskRequest(
  params: JobParams,
  referenceUrls: readonly string[],
  callBackUrl: string | null,
): CreateTaskRequest {
  const prompt = checkTaskParams(params, referenceUrls.length);
  let input: Record<string, unknown>;
  switch (params.model) {
    case 'google/nano-banana':
      input = { prompt, output_format: params.outputFormat, aspect_ratio: params.aspectRatio };
      break;
    case 'google/nano-banana-edit':
      input = {
        prompt,
        image_urls: [...referenceUrls],
        output_format: params.outputFormat,
        aspect_ratio: params.aspectRatio,
      };
      break;
    case 'nano-banana-pro':
    case 'nano-banana-2':
      input = {
        prompt,
        ...(referenceUrls.length > 0 ? { image_input: [...referenceUrls] } : {}),
        aspect_ratio: params.aspectRatio,
        resolution: params.resolution ?? '1K',
        output_format: params.outputFormat === 'jpeg' ? 'jpg' : 'png',
        ...(MODELS[params.model].supportsGoogleSearch ? { google_search: params.googleSearch ?? false } : {}),
      };
      break;
  }
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
