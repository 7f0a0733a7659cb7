import { isAbsolute } from 'node:path';
import {
  DEFAULT_SETTINGS,
  storedSettingsSchema,
  type SettingsPatch,
  type SettingsView,
  type StoredSettings,
} from '@shared/domain/settings';
import { AppError } from '@shared/ipc/result';
import { resolveLanguage, translate } from '@shared/i18n/translate';
import { KIE_KEY_HOSTS, keyHostNotAllowed, mayReceiveApiKey } from '../kie/allowedHosts';
import type { Logger } from '../log/logger';
import type { KeyValueStore, Paths, SecretName, SecretStore } from '../ports';

const SETTINGS_KEY = 'settings';
/** Settings whose host receives the saved KIE key (see kie/allowedHosts). */
const KEYED_URL_FIELDS = ['kieApiBaseUrl', 'kieUploadBaseUrl'] as const;

/**
 * Typed settings over the key/value port. A damaged or partly invalid settings file never
 * stops the app: each field that fails validation falls back to its default (and is logged).
 * Secrets go through the secret port only.
 */
export class SettingsService {
  private current: StoredSettings;
  private readonly listeners = new Set<(settings: StoredSettings, previous: StoredSettings) => void>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly secrets: SecretStore,
    private readonly paths: Paths,
    private readonly log: Logger,
  ) {
    this.current = this.load();
  }

  get(): StoredSettings {
    return this.current;
  }

  libraryPath(): string {
    return this.current.libraryDir !== '' ? this.current.libraryDir : this.paths.defaultLibraryDir;
  }

  async apiKey(): Promise<string | null> {
    return this.secrets.get('kieApiKey');
  }

  async view(callbackLocalUrl: string | null): Promise<SettingsView> {
    const [key, ngrok, hmac, secretStorage] = await Promise.all([
      this.apiKey(),
      this.secrets.get('ngrokAuthtoken'),
      this.secrets.get('webhookHmacKey'),
      this.secrets.status(),
    ]);
    return {
      ...this.current,
      hasApiKey: key !== null,
      apiKeyHint: key !== null ? key.slice(-4) : null,
      hasNgrokAuthtoken: ngrok !== null,
      hasWebhookHmacKey: hmac !== null,
      libraryPath: this.libraryPath(),
      callbackLocalUrl,
      secretStorage,
    };
  }

  /**
   * Hands the user's answer about obfuscation-only storage to the secret store: once at start,
   * and after every update (a no-op unless it changed, when the held secrets follow it).
   */
  async applyWeakStorageChoice(): Promise<void> {
    await this.secrets.setWeakStorageChoice(this.current.weakSecretStorage);
  }

  update(patch: SettingsPatch): StoredSettings {
    if (patch.libraryDir !== undefined && patch.libraryDir !== '' && !isAbsolute(patch.libraryDir)) {
      throw new AppError('VALIDATION', 'The library folder must be an absolute path.');
    }
    for (const field of KEYED_URL_FIELDS) {
      const url = patch[field];
      if (url !== undefined && !mayReceiveApiKey(url)) throw this.keyHostRefusal(url);
    }
    const next = storedSettingsSchema.parse({
      ...this.current,
      ...stripUndefined(patch),
      compose: { ...this.current.compose, ...stripUndefined(patch.compose ?? {}) },
      // Turning on Demo mode is one of the welcome card's answers, wherever it was turned on.
      ...(patch.demoMode === true ? { welcomeDone: true } : {}),
    });
    const previous = this.current;
    this.current = next;
    this.store.set(SETTINGS_KEY, next);
    for (const listener of this.listeners) listener(next, previous);
    return next;
  }

  async setApiKey(apiKey: string | null): Promise<void> {
    await this.setSecret('kieApiKey', apiKey);
  }

  async setSecret(name: SecretName, value: string | null): Promise<void> {
    if (value === null) await this.secrets.delete(name);
    else await this.secrets.set(name, value);
    // A saved key answers the welcome card, from the card or from Settings alike.
    if (name === 'kieApiKey' && value !== null && !this.current.welcomeDone) {
      this.current = { ...this.current, welcomeDone: true };
      this.store.set(SETTINGS_KEY, this.current);
    }
    for (const listener of this.listeners) listener(this.current, this.current);
  }

  onChange(listener: (settings: StoredSettings, previous: StoredSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private load(): StoredSettings {
    const raw = this.store.get(SETTINGS_KEY);
    const whole = storedSettingsSchema.safeParse(raw);
    if (whole.success) return this.withKeyedUrlsChecked(whole.data);
    if (raw === undefined) return DEFAULT_SETTINGS;
    const source = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const merged: Record<string, unknown> = {};
    const shape = storedSettingsSchema.shape;
    for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
      const field = shape[key].safeParse(source[key]);
      merged[key] = field.success ? field.data : DEFAULT_SETTINGS[key];
      if (!field.success && source[key] !== undefined) {
        this.log.warn('Settings field was invalid and was reset to its default', { field: key });
      }
    }
    return this.withKeyedUrlsChecked(storedSettingsSchema.parse(merged));
  }

  /** An edited settings file cannot send the key elsewhere either: such a URL is reset to KIE's. */
  private withKeyedUrlsChecked(settings: StoredSettings): StoredSettings {
    const checked = { ...settings };
    for (const field of KEYED_URL_FIELDS) {
      if (mayReceiveApiKey(checked[field])) continue;
      this.log.warn('A KIE address outside KIE was reset to its default', { field });
      checked[field] = DEFAULT_SETTINGS[field];
    }
    return checked;
  }

  private keyHostRefusal(url: string): AppError {
    let host = url;
    try {
      host = new URL(url).host;
    } catch {
      // The schema already refused anything that is not a URL.
    }
    const locale = resolveLanguage(this.current.language, 'en');
    return keyHostNotAllowed(
      url,
      translate(locale, 'errors.kieHostNotAllowed', { hosts: KIE_KEY_HOSTS.join(', '), host }),
    );
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
