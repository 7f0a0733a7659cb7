import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '@shared/domain/settings';
import en from './en.json';
import zhCN from './zh-CN.json';

export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

/** 'system' follows the OS/browser language: any Chinese locale gets Simplified Chinese. */
export function resolveLanguage(setting: Language, navigatorLanguage: string): 'en' | 'zh-CN' {
  if (setting !== 'system') return setting;
  return navigatorLanguage.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

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
