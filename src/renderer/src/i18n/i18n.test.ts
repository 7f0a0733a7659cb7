import { UPDATE_STATES } from '@shared/ipc/contract';
import { LIBRARY_MOVE_PROBLEMS } from '@shared/ipc/galleryRoutes';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GALLERY_ORIGIN_FILTERS } from '@shared/domain/image';
import { JOB_STATES } from '@shared/domain/job';
import { MODELS, OUTPUT_FORMATS } from '@shared/domain/models';
import { PAUSE_REASONS } from '@shared/domain/queue';
import { THEMES } from '@shared/domain/settings';
import { TUNNEL_MODES, TUNNEL_STATES } from '@shared/domain/tunnel';
import { ERROR_CODES } from '@shared/ipc/result';
import en from '@shared/i18n/en.json';
import zhCN from '@shared/i18n/zh-CN.json';
import { annotateTranslationKeys } from '../features/annotate/shortcuts';
import { jobTranslationKeys } from '../features/jobs/jobText';
import { shortcutTranslationKeys } from '../features/shortcuts/shortcutList';
import { resolveLanguage } from './index';

function flatten(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, item]) => flatten(item, prefix ? `${prefix}.${key}` : key));
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

const enKeys = new Set(flatten(en));
const zhKeys = new Set(flatten(zhCN));
const code = [sources(join(import.meta.dirname, '..')), sources(join(import.meta.dirname, '../../../core'))]
  .flat()
  .join('\n');
// t('key') in the renderer, translate(locale, 'key') in core.
const literalKeys = new Set(
  [...code.matchAll(/\b(?:t|translate)\(\s*(?:\w+,\s*)?'([a-zA-Z0-9_.-]+)'/g)].map((match) => match[1] ?? ''),
);
/** Keys built at run time from a code list: each list must be fully translated. */
const dynamicKeys = [
  ...ERROR_CODES.map((c) => `errors.${c}`),
  ...JOB_STATES.map((s) => `states.${s}`),
  ...Object.values(MODELS).map((m) => `models.${m.labelKey}`),
  ...OUTPUT_FORMATS.map((f) => `formats.${f}`),
  ...PAUSE_REASONS.map((r) => `pause.${r}`),
  ...TUNNEL_MODES.flatMap((m) => [`tunnel.modes.${m}`, `tunnel.help.${m}`]),
  ...TUNNEL_STATES.map((s) => `tunnel.states.${s}`),
  ...GALLERY_ORIGIN_FILTERS.map((o) => `filters.origins.${o}`),
  ...LIBRARY_MOVE_PROBLEMS.map((p) => `settings.libraryMoveErrors.${p}`),
  ...UPDATE_STATES.map((state) => `settings.updates.states.${state}`),
  ...THEMES.map((theme) => `settings.themes.${theme}`),
  ...jobTranslationKeys(),
  ...shortcutTranslationKeys(),
  ...annotateTranslationKeys(),
];

describe('translations', () => {
  it('English and Simplified Chinese have the same keys', () => {
    expect([...zhKeys].filter((key) => !enKeys.has(key))).toEqual([]);
    expect([...enKeys].filter((key) => !zhKeys.has(key))).toEqual([]);
  });

  it('every key used in the source exists', () => {
    expect([...literalKeys].filter((key) => !enKeys.has(key))).toEqual([]);
    expect(dynamicKeys.filter((key) => !enKeys.has(key))).toEqual([]);
  });

  it('no key is unused', () => {
    const used = new Set([...literalKeys, ...dynamicKeys]);
    expect([...enKeys].filter((key) => !used.has(key))).toEqual([]);
  });

  it('no translation is empty, and Chinese strings are really translated', () => {
    const zhFlat = flatten(zhCN);
    for (const key of zhFlat) {
      const value = key
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], zhCN);
      expect(typeof value === 'string' && value.trim() !== '', key).toBe(true);
    }
    expect(zhCN.compose.submit).not.toBe(en.compose.submit);
  });

  it('placeholders match between languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
    for (const key of enKeys) {
      const get = (tree: unknown) =>
        key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);
      expect(placeholders(String(get(zhCN))), key).toEqual(placeholders(String(get(en))));
    }
  });

  it.each([
    ['system', 'zh-TW', 'zh-CN'],
    ['system', 'zh', 'zh-CN'],
    ['system', 'en-GB', 'en'],
    ['system', 'fr-FR', 'en'],
    ['en', 'zh-CN', 'en'],
    ['zh-CN', 'en-US', 'zh-CN'],
  ] as const)('setting %s with navigator %s → %s', (setting, navigatorLanguage, expected) => {
    expect(resolveLanguage(setting, navigatorLanguage)).toBe(expected);
  });
});
