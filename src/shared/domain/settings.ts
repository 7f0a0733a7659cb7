import { z } from 'zod';
import { aspectRatioSchema, modelIdSchema, outputFormatSchema, resolutionSchema } from './models';
import { costOverridesSchema } from './pricing';
import { EMPTY_PROMPT_LIBRARY, promptLibrarySchema, storedPromptLibrarySchema } from './promptLibrary';
import { tunnelModeSchema } from './tunnel';

export const LANGUAGES = ['system', 'en', 'zh-CN'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

/** 'system' follows the OS's light or dark appearance. */
export const THEMES = ['system', 'light', 'dark'] as const;
export const themeSchema = z.enum(THEMES);
export type Theme = z.infer<typeof themeSchema>;

/** The secrets the app keeps (behind the secret store, never in the settings file). */
export const SECRET_NAMES = ['kieApiKey', 'ngrokAuthtoken', 'webhookHmacKey'] as const;
export const secretNameSchema = z.enum(SECRET_NAMES);
export type SecretName = z.infer<typeof secretNameSchema>;
/**
 * Secrets the app makes for itself (the callback path's token): kept like the user's, but never
 * shown, asked for or set by the user.
 */
export const INTERNAL_SECRET_NAMES = ['callbackToken'] as const;
export const STORED_SECRET_NAMES = [...SECRET_NAMES, ...INTERNAL_SECRET_NAMES] as const;
export type StoredSecretName = (typeof STORED_SECRET_NAMES)[number];

/**
 * The user's answer for a system whose only "encryption" is obfuscation (Linux without a keyring,
 * Electron's basic_text backend): 'ask' until they decide, 'store' keeps secrets on disk
 * obfuscated, 'session' keeps them in memory until the app quits.
 */
export const WEAK_SECRET_STORAGE = ['ask', 'store', 'session'] as const;
export const weakSecretStorageSchema = z.enum(WEAK_SECRET_STORAGE);
export type WeakSecretStorage = z.infer<typeof weakSecretStorageSchema>;

/**
 * How secrets are kept right now: encrypted by the OS keychain, obfuscated on disk (weak backend,
 * with the user's consent), or in memory for this session only. `weakBackend`: the OS offers only
 * obfuscation, so `weakSecretStorage` decides. `unreadable`: stored secrets that could not be
 * decrypted on this computer (the user is asked to enter them again).
 */
export const SECRET_STORAGE_MODES = ['keychain', 'obfuscated', 'session'] as const;
export const secretStorageStatusSchema = z.object({
  mode: z.enum(SECRET_STORAGE_MODES),
  weakBackend: z.boolean(),
  unreadable: z.array(secretNameSchema).max(SECRET_NAMES.length),
});
export type SecretStorageStatus = z.infer<typeof secretStorageStatusSchema>;

/** Images per prompt: each is its own KIE task (and its own job). */
export const MAX_IMAGES_PER_PROMPT = 4;
const imagesPerPromptSchema = z.number().int().min(1).max(MAX_IMAGES_PER_PROMPT);

/**
 * The compose panel's last-used values. Fields added later carry a default, so settings saved
 * before them still parse. Patches use `composePatchSchema`: a default inside a partial object
 * would fill the field in and overwrite the stored value.
 */
const composeFields = {
  model: modelIdSchema,
  aspectRatio: aspectRatioSchema,
  outputFormat: outputFormatSchema,
  resolution: resolutionSchema,
  imagesPerPrompt: imagesPerPromptSchema,
  /** Google Search for the models that take it (Nano Banana 2). */
  googleSearch: z.boolean(),
};
export const composeDefaultsSchema = z.object({
  ...composeFields,
  imagesPerPrompt: imagesPerPromptSchema.default(1),
  googleSearch: z.boolean().default(false),
});
export type ComposeDefaults = z.infer<typeof composeDefaultsSchema>;
const composePatchSchema = z.object(composeFields).partial();

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
  /** The user's corrections to the price table (pricing.ts); replaced whole on update. */
  costOverrides: costOverridesSchema.default({}),
  /** OS notifications when a job finishes or fails. */
  notifications: z.boolean().default(true),
  theme: themeSchema.default('system'),
  /** Look for a new version at start (only where a release feed is configured). */
  autoUpdate: z.boolean().default(false),
  /** Where the OS only obfuscates: whether secrets may be stored anyway (not a secret itself). */
  weakSecretStorage: weakSecretStorageSchema.default('ask'),
  /** Prompt templates and styles; replaced whole on update. */
  promptLibrary: storedPromptLibrarySchema.default(EMPTY_PROMPT_LIBRARY),
  /**
   * The first-minute welcome card got its answer (a key saved, Demo mode turned on, or "Not
   * now"), so it does not come back on the next start.
   */
  welcomeDone: z.boolean().default(false),
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
  compose: {
    model: 'google/nano-banana',
    aspectRatio: '1:1',
    outputFormat: 'png',
    resolution: '1K',
    imagesPerPrompt: 1,
    googleSearch: false,
  },
  costOverrides: {},
  notifications: true,
  theme: 'system',
  autoUpdate: false,
  weakSecretStorage: 'ask',
  promptLibrary: EMPTY_PROMPT_LIBRARY,
  welcomeDone: false,
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
  secretStorage: secretStorageStatusSchema,
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

export const settingsPatchSchema = storedSettingsSchema
  .omit({
    compose: true,
    costOverrides: true,
    notifications: true,
    theme: true,
    autoUpdate: true,
    weakSecretStorage: true,
    promptLibrary: true,
    welcomeDone: true,
  })
  .partial()
  .extend({
    compose: composePatchSchema.optional(),
    costOverrides: costOverridesSchema.optional(),
    notifications: z.boolean().optional(),
    theme: themeSchema.optional(),
    autoUpdate: z.boolean().optional(),
    weakSecretStorage: weakSecretStorageSchema.optional(),
    promptLibrary: promptLibrarySchema.optional(),
    welcomeDone: z.boolean().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
