import type { Language } from '../domain/settings';
import en from './en.json';
import zhCN from './zh-CN.json';

/**
 * The app's strings, shared: the renderer feeds them to i18next, core uses `translate` for the
 * few texts it shows itself (OS notifications).
 */
export const LOCALES = { en, 'zh-CN': zhCN } as const;
export type Locale = keyof typeof LOCALES;

/** 'system' follows the OS/browser language: any Chinese locale gets Simplified Chinese. */
export function resolveLanguage(setting: Language, systemLanguage: string): Locale {
  if (setting !== 'system') return setting;
  return systemLanguage.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function translate(locale: Locale, key: string, vars: Record<string, string> = {}): string {
  const lookup = (tree: unknown): unknown =>
    key
      .split('.')
      .reduce<unknown>(
        (node, part) =>
          typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined,
        tree,
      );
  const found = lookup(LOCALES[locale]) ?? lookup(LOCALES.en);
  const text = typeof found === 'string' ? found : key;
  return text.replace(/{{(\w+)}}/g, (_match, name: string) => vars[name] ?? '');
}
