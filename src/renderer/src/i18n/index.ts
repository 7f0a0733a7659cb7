import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '@shared/domain/settings';
import { LOCALES, resolveLanguage } from '@shared/i18n/translate';

export { resolveLanguage };

export const resources = {
  en: { translation: LOCALES.en },
  'zh-CN': { translation: LOCALES['zh-CN'] },
} as const;

export async function initI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: resolveLanguage('system', navigator.language),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export async function applyLanguage(setting: Language): Promise<void> {
  const language = resolveLanguage(setting, navigator.language);
  if (i18next.language !== language) await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

export const i18n = i18next;
