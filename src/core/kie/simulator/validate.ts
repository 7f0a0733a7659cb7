import {
  MODEL_IDS,
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
  /** The largest reference file this model fetches (KIE refuses the task for a bigger one). */
  referenceMaxBytes: number;
  /**
   * Input fields this model does not read. KIE ignores them silently (a reference list under the
   * wrong name is lost without an error), so the simulator does too, and records them for tests.
   */
  ignoredFields: string[];
}

/**
 * What KIE's page for each model says it takes. Written out here rather than read from the app's
 * MODELS on purpose: the simulator stands in for KIE, so when the app's table is wrong (a limit,
 * a field name, a ratio), the simulator refuses and a test fails, instead of agreeing with it.
 */
interface KieModelRules {
  /** The page these rules come from. */
  page: string;
  promptMaxChars: number;
  aspectRatios: readonly AspectRatio[];
  /** The aspect ratio when none is sent. */
  defaultRatio: AspectRatio;
  formats: readonly string[];
  defaultFormat: string;
  referenceField: 'image_urls' | 'image_input' | null;
  maxReferences: number;
  referenceMaxBytes: number;
  requiresReferences: boolean;
  resolution: boolean;
  googleSearch: boolean;
  /** `image_size`: the deprecated name of `aspect_ratio`, still read on the google/* models. */
  legacyImageSize: boolean;
}

const MB = 1024 * 1024;
const RATIOS = ['1:1', '9:16', '16:9', '3:4', '4:3', '3:2', '2:3', '5:4', '4:5', '21:9', 'auto'] as const;

const KIE_RULES: Record<ModelId, KieModelRules> = {
  'google/nano-banana': {
    page: 'https://docs.kie.ai/market/google/nano-banana',
    promptMaxChars: 5000,
    aspectRatios: RATIOS,
    defaultRatio: '1:1',
    formats: ['png', 'jpeg'],
    defaultFormat: 'png',
    referenceField: null,
    maxReferences: 0,
    referenceMaxBytes: 0,
    requiresReferences: false,
    resolution: false,
    googleSearch: false,
    legacyImageSize: true,
  },
  'google/nano-banana-edit': {
    page: 'https://docs.kie.ai/market/google/nano-banana-edit',
    promptMaxChars: 5000,
    aspectRatios: RATIOS,
    defaultRatio: '1:1',
    formats: ['png', 'jpeg'],
    defaultFormat: 'png',
    referenceField: 'image_urls',
    maxReferences: 10,
    referenceMaxBytes: 10 * MB,
    requiresReferences: true,
    resolution: false,
    googleSearch: false,
    legacyImageSize: true,
  },
  'nano-banana-pro': {
    page: 'https://docs.kie.ai/market/google/pro-image-to-image',
    promptMaxChars: 10_000,
    aspectRatios: RATIOS,
    defaultRatio: '1:1',
    formats: ['png', 'jpg'],
    defaultFormat: 'png',
    referenceField: 'image_input',
    maxReferences: 8,
    referenceMaxBytes: 30 * MB,
    requiresReferences: false,
    resolution: true,
    googleSearch: false,
    legacyImageSize: false,
  },
  'nano-banana-2': {
    page: 'https://docs.kie.ai/market/google/nanobanana2',
    promptMaxChars: 20_000,
    aspectRatios: [...RATIOS, '1:4', '4:1', '1:8', '8:1'],
    defaultRatio: 'auto',
    formats: ['jpg', 'png'],
    defaultFormat: 'jpg',
    referenceField: 'image_input',
    maxReferences: 14,
    referenceMaxBytes: 30 * MB,
    requiresReferences: false,
    resolution: true,
    googleSearch: true,
    legacyImageSize: false,
  },
};

/** The input fields a model reads; anything else is ignored (and recorded). */
function knownFields(rules: KieModelRules): string[] {
  return [
    'prompt',
    'aspect_ratio',
    'output_format',
    ...(rules.legacyImageSize ? ['image_size'] : []),
    ...(rules.referenceField ? [rules.referenceField] : []),
    ...(rules.resolution ? ['resolution'] : []),
    ...(rules.googleSearch ? ['google_search'] : []),
  ];
}

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
  const rules = KIE_RULES[model];
  const known = knownFields(rules);

  const prompt = input['prompt'];
  if (typeof prompt !== 'string' || prompt.trim() === '') return fail('input.prompt is required.');
  if (prompt.length > rules.promptMaxChars) {
    return fail(`input.prompt must be at most ${rules.promptMaxChars} characters.`);
  }

  // Both names are checked when both are sent: KIE may read either.
  if (rules.legacyImageSize && input['image_size'] !== undefined) {
    oneOf(input['image_size'], rules.aspectRatios, 'input.image_size');
  }
  const ratioRaw = input['aspect_ratio'] ?? (rules.legacyImageSize ? input['image_size'] : undefined);
  const aspectRatio =
    ratioRaw === undefined
      ? rules.defaultRatio
      : oneOf(ratioRaw, rules.aspectRatios, `input.${aspectField(input)}`);

  const formatRaw = input['output_format'];
  const formatName =
    formatRaw === undefined ? rules.defaultFormat : oneOf(formatRaw, rules.formats, 'input.output_format');
  const format: SimImageFormat = formatName === 'png' ? 'png' : 'jpeg';

  let resolution: Resolution | null = null;
  if (rules.resolution) {
    const raw = input['resolution'];
    resolution = raw === undefined ? '1K' : oneOf(raw, RESOLUTIONS, 'input.resolution');
  }

  if (input['google_search'] !== undefined && rules.googleSearch) {
    if (typeof input['google_search'] !== 'boolean') fail('input.google_search must be a boolean.');
  }

  const referenceUrls = rules.referenceField
    ? references(input, rules.referenceField, rules.maxReferences)
    : [];
  if (rules.requiresReferences && referenceUrls.length === 0) {
    return fail(`input.${rules.referenceField ?? 'image_urls'} is required for ${model}.`);
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
    referenceField: rules.referenceField,
    referenceMaxBytes: rules.referenceMaxBytes,
    ignoredFields: Object.keys(input).filter((key) => !known.includes(key)),
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
