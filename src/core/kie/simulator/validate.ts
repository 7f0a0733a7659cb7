import {
  ASPECT_RATIOS,
  MODEL_IDS,
  MODELS,
  RESOLUTIONS,
  type AspectRatio,
  type ModelId,
  type Resolution,
} from '@shared/domain/models';
import { isRecord, SimError } from './http';

export type SimImageFormat = 'png' | 'jpeg';

/** A createTask body that passed KIE's checks, with defaults applied. */
export interface ValidatedTask {
  model: ModelId;
  callBackUrl: string | null;
  /** The input exactly as received (it goes back out in `param`). */
  input: Record<string, unknown>;
  prompt: string;
  aspectRatio: AspectRatio;
  format: SimImageFormat;
  resolution: Resolution | null;
  referenceUrls: string[];
  /** Where this model reads references from (`image_urls` or `image_input`), if anywhere. */
  referenceField: 'image_urls' | 'image_input' | null;
  /**
   * Input fields this model does not read. KIE ignores them silently (a reference list under the
   * wrong name is lost without an error), so the simulator does too, and records them for tests.
   */
  ignoredFields: string[];
}

interface ModelFields {
  formats: readonly string[];
  referenceField: 'image_urls' | 'image_input' | null;
  known: readonly string[];
}

const MODEL_FIELDS: Record<ModelId, ModelFields> = {
  'google/nano-banana': {
    formats: ['png', 'jpeg'],
    referenceField: null,
    known: ['prompt', 'output_format', 'aspect_ratio', 'image_size'],
  },
  'google/nano-banana-edit': {
    formats: ['png', 'jpeg'],
    referenceField: 'image_urls',
    known: ['prompt', 'output_format', 'aspect_ratio', 'image_size', 'image_urls'],
  },
  'nano-banana-pro': {
    formats: ['png', 'jpg'],
    referenceField: 'image_input',
    known: ['prompt', 'image_input', 'aspect_ratio', 'resolution', 'output_format'],
  },
  'nano-banana-2': {
    formats: ['png', 'jpg'],
    referenceField: 'image_input',
    known: ['prompt', 'image_input', 'aspect_ratio', 'resolution', 'output_format', 'google_search'],
  },
};

const fail = (message: string): never => {
  throw new SimError(422, message);
};

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return fail(`${field} must be one of: ${allowed.join(', ')}.`);
}

function isModelId(value: unknown): value is ModelId {
  return typeof value === 'string' && (MODEL_IDS as readonly string[]).includes(value);
}

/** KIE's createTask checks, as far as they are known (kie-api.md); throws SimError(422). */
export function validateCreateTask(body: unknown): ValidatedTask {
  if (!isRecord(body)) return fail('Request body must be a JSON object.');
  const { model, callBackUrl, input } = body;
  if (model === undefined || model === '') return fail('model is required.');
  if (!isModelId(model)) return fail(`model ${JSON.stringify(model)} is not supported.`);
  if (!isRecord(input)) return fail('input is required and must be an object.');
  const spec = MODELS[model];
  const fields = MODEL_FIELDS[model];

  const prompt = input['prompt'];
  if (typeof prompt !== 'string' || prompt.trim() === '') return fail('input.prompt is required.');
  if (prompt.length > spec.promptMaxChars) {
    return fail(`input.prompt must be at most ${spec.promptMaxChars} characters.`);
  }

  // image_size is the deprecated name of aspect_ratio on the google/* models.
  const ratioRaw =
    input['aspect_ratio'] ?? (fields.known.includes('image_size') ? input['image_size'] : undefined);
  const aspectRatio =
    ratioRaw === undefined ? '1:1' : oneOf(ratioRaw, ASPECT_RATIOS, `input.${aspectField(input)}`);

  const formatRaw = input['output_format'];
  const formatName =
    formatRaw === undefined ? 'png' : oneOf(formatRaw, fields.formats, 'input.output_format');
  const format: SimImageFormat = formatName === 'png' ? 'png' : 'jpeg';

  let resolution: Resolution | null = null;
  if (spec.supportsResolution) {
    const raw = input['resolution'];
    resolution = raw === undefined ? '1K' : oneOf(raw, RESOLUTIONS, 'input.resolution');
  }

  if (input['google_search'] !== undefined && fields.known.includes('google_search')) {
    if (typeof input['google_search'] !== 'boolean') fail('input.google_search must be a boolean.');
  }

  const referenceUrls = fields.referenceField
    ? references(input, fields.referenceField, spec.maxReferences)
    : [];
  if (spec.requiresReferences && referenceUrls.length === 0) {
    return fail(`input.${fields.referenceField ?? 'image_urls'} is required for ${model}.`);
  }

  let callback: string | null = null;
  if (callBackUrl !== undefined && callBackUrl !== null && callBackUrl !== '') {
    if (typeof callBackUrl !== 'string' || !isHttpUrl(callBackUrl))
      return fail('callBackUrl must be an http(s) URL.');
    callback = callBackUrl;
  }

  return {
    model,
    callBackUrl: callback,
    input,
    prompt,
    aspectRatio,
    format,
    resolution,
    referenceUrls,
    referenceField: fields.referenceField,
    ignoredFields: Object.keys(input).filter((key) => !fields.known.includes(key)),
  };
}

function aspectField(input: Record<string, unknown>): string {
  return input['aspect_ratio'] !== undefined ? 'aspect_ratio' : 'image_size';
}

function references(input: Record<string, unknown>, field: string, max: number): string[] {
  const raw = input[field];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return fail(`input.${field} must be an array of URLs.`);
  if (raw.length > max) return fail(`input.${field} accepts at most ${max} images.`);
  return raw.map((item, index) => {
    if (typeof item !== 'string' || !isHttpUrl(item))
      return fail(`input.${field}[${index}] must be an http(s) URL.`);
    return item;
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
