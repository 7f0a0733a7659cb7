import { z } from 'zod';
import { aspectRatioSchema, modelIdSchema, outputFormatSchema, resolutionSchema } from './models';
import { tunnelModeSchema } from './tunnel';

export const LANGUAGES = ['system', 'en', 'zh-CN'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

export const composeDefaultsSchema = z.object({
  model: modelIdSchema,
  aspectRatio: aspectRatioSchema,
  outputFormat: outputFormatSchema,
  resolution: resolutionSchema,
});
export type ComposeDefaults = z.infer<typeof composeDefaultsSchema>;

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

/**
 * Everything stored in the settings file. Secrets (API key, tokens) are never part of it:
 * they live behind the secret-store port.
 */
export const storedSettingsSchema = z.object({
  language: languageSchema,
  demoMode: z.boolean(),
  /** Empty: the default library folder (~/Pictures/Banana Studio). */
  libraryDir: z.string(),
  /** How KIE's callbacks reach this computer; 'off' means polling only. */
  tunnelMode: tunnelModeSchema,
  /** Manual mode: the user's public base URL that forwards to the local callback server. */
  publicCallbackUrl: z.union([z.literal(''), httpUrl]),
  kieApiBaseUrl: httpUrl,
  kieUploadBaseUrl: httpUrl,
  /** How many jobs may be uploading/submitting to KIE at once. */
  concurrency: z.number().int().min(1).max(16),
  compose: composeDefaultsSchema,
});
export type StoredSettings = z.infer<typeof storedSettingsSchema>;

export const DEFAULT_SETTINGS: StoredSettings = {
  language: 'system',
  demoMode: false,
  libraryDir: '',
  tunnelMode: 'off',
  publicCallbackUrl: '',
  kieApiBaseUrl: 'https://api.kie.ai',
  kieUploadBaseUrl: 'https://kieai.redpandaai.co',
  concurrency: 4,
  compose: { model: 'google/nano-banana', aspectRatio: '1:1', outputFormat: 'png', resolution: '1K' },
};

/** What the renderer sees: the stored settings plus facts about secrets, never the secrets. */
export const settingsViewSchema = storedSettingsSchema.extend({
  hasApiKey: z.boolean(),
  /** Last four characters of the key, to tell keys apart in the UI. */
  apiKeyHint: z.string().nullable(),
  hasNgrokAuthtoken: z.boolean(),
  hasWebhookHmacKey: z.boolean(),
  /** The folder images are written to, resolved. */
  libraryPath: z.string(),
  /** Where the local callback server listens (what a manual tunnel must forward to). */
  callbackLocalUrl: z.string().nullable(),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

export const settingsPatchSchema = storedSettingsSchema
  .omit({ compose: true })
  .partial()
  .extend({ compose: composeDefaultsSchema.partial().optional() })
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
