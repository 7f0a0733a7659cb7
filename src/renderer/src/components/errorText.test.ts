import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '@shared/i18n/en.json';
import zh from '@shared/i18n/zh-CN.json';
import { errorText } from './errorText';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    lng: 'en',
    resources: { en: { translation: en }, 'zh-CN': { translation: zh } },
    interpolation: { escapeValue: false },
  });
});

describe('errorText', () => {
  it('names the refused host and the allowed ones, in the UI language', async () => {
    const error = {
      code: 'VALIDATION' as const,
      message: 'core words',
      details: {
        reason: 'kie-host-not-allowed',
        host: 'evil.example',
        allowedHosts: ['api.kie.ai', 'x.kie.ai'],
      },
    };
    expect(errorText(i18n.t, error)).toBe(
      "Banana Studio sends your KIE key only to KIE's own servers (api.kie.ai, x.kie.ai), never to evil.example. The address was not saved.",
    );
    await i18n.changeLanguage('zh-CN');
    expect(errorText(i18n.t, error)).toContain('evil.example');
    expect(errorText(i18n.t, error)).not.toContain('{{');
    await i18n.changeLanguage('en');
  });

  it('adds KIE’s own words to the plain sentence for the code', () => {
    expect(errorText(i18n.t, { code: 'UPSTREAM', message: 'x', details: { kieMessage: 'busy' } })).toMatch(
      /KIE said: busy$/,
    );
  });
});
