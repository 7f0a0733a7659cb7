import { describe, expect, it } from 'vitest';
import {
  EMPTY_PROMPT_LIBRARY,
  exportPromptLibrary,
  fillTemplate,
  importPromptLibrary,
  MAX_STYLES,
  promptLibraryFileSchema,
  promptLibrarySchema,
  searchPromptLibrary,
  storedPromptLibrarySchema,
  templateVariables,
  withStyle,
  type PromptLibrary,
} from './promptLibrary';

const library: PromptLibrary = {
  templates: [
    { id: 't1', name: 'Product shot', text: 'a studio photo of {product} on {surface}, {product} centred' },
    { id: 't2', name: '海报', text: '{城市}的复古旅行海报' },
  ],
  styles: [
    { id: 's1', name: 'Film', phrase: 'shot on 35mm film, soft grain' },
    { id: 's2', name: 'Studio product', phrase: 'seamless white backdrop' },
  ],
};

function counter() {
  let n = 0;
  return () => `new-${++n}`;
}

describe('template variables', () => {
  it('finds each variable once, in order, in any script, and ignores doubled braces', () => {
    expect(templateVariables(library.templates[0]!.text)).toEqual(['product', 'surface']);
    expect(templateVariables('{城市}的{ 季节 }海报')).toEqual(['城市', '季节']);
    expect(templateVariables('json {{"a": 1}} and {x}')).toEqual(['x']);
    expect(templateVariables('no variables, {} or {a.b}')).toEqual([]);
  });

  it('fills every use of a variable and turns doubled braces into braces', () => {
    expect(fillTemplate(library.templates[0]!.text, { product: ' a teapot ', surface: 'marble' })).toBe(
      'a studio photo of a teapot on marble, a teapot centred',
    );
    expect(fillTemplate('{{literal}} {x}', { x: '1' })).toBe('{literal} 1');
    expect(fillTemplate('{ 季节 }的海报', { 季节: '秋天' })).toBe('秋天的海报');
  });
});

describe('styles', () => {
  it('appends the phrase once, with the comma the language uses', () => {
    expect(withStyle('a fox', 'soft grain')).toBe('a fox, soft grain');
    expect(withStyle('a fox, soft grain', 'soft grain')).toBe('a fox, soft grain');
    expect(withStyle('一只狐狸', '胶片质感')).toBe('一只狐狸，胶片质感');
    expect(withStyle('a fox,', 'soft grain')).toBe('a fox, soft grain');
    expect(withStyle('   ', 'soft grain')).toBe('soft grain');
  });
});

describe('the library in settings and in files', () => {
  it('a settings patch must be valid as a whole: ids unique, names and texts present', () => {
    expect(promptLibrarySchema.safeParse(library).success).toBe(true);
    const twice = { ...library, styles: [{ ...library.styles[0]!, id: 't1' }] };
    expect(promptLibrarySchema.safeParse(twice).success).toBe(false);
    const blank = { ...library, templates: [{ id: 'x', name: ' ', text: 'a' }] };
    expect(promptLibrarySchema.safeParse(blank).success).toBe(false);
  });

  it('a damaged settings file loses only the broken entries', () => {
    const stored = storedPromptLibrarySchema.parse({
      templates: [library.templates[0], { id: 'bad' }, 42, library.templates[0]],
      styles: 'not a list',
    });
    expect(stored).toEqual({ templates: [library.templates[0]], styles: [] });
    expect(storedPromptLibrarySchema.parse('garbage')).toEqual(EMPTY_PROMPT_LIBRARY);
  });

  it('an export reads back as the same library', () => {
    const file = promptLibraryFileSchema.parse(JSON.parse(JSON.stringify(exportPromptLibrary(library))));
    expect(importPromptLibrary(EMPTY_PROMPT_LIBRARY, file, counter()).library).toEqual(library);
  });

  it('importing never overwrites: equal entries are skipped, a taken name gets a number', () => {
    const file = promptLibraryFileSchema.parse({
      kind: 'banana-studio/prompt-library',
      version: 1,
      templates: [
        { name: 'Product shot', text: library.templates[0]!.text },
        { id: 't2', name: 'Product shot', text: 'another text' },
      ],
      styles: [{ name: 'Neon', phrase: 'neon glow' }],
    });
    const result = importPromptLibrary(library, file, counter());
    expect(result).toMatchObject({ added: 2, skipped: 1, overLimit: 0 });
    expect(result.library.templates.slice(2)).toEqual([
      { id: 'new-1', name: 'Product shot (2)', text: 'another text' },
    ]);
    expect(result.library.styles.at(-1)).toEqual({ id: 'new-2', name: 'Neon', phrase: 'neon glow' });
    expect(promptLibrarySchema.safeParse(result.library).success).toBe(true);
  });

  it('a full library takes what fits and counts the rest', () => {
    const full: PromptLibrary = {
      templates: [],
      styles: Array.from({ length: MAX_STYLES - 1 }, (_, i) => ({ id: `s${i}`, name: `s${i}`, phrase: 'p' })),
    };
    const file = promptLibraryFileSchema.parse({
      kind: 'banana-studio/prompt-library',
      version: 1,
      styles: [
        { name: 'a', phrase: 'a' },
        { name: 'b', phrase: 'b' },
      ],
    });
    expect(importPromptLibrary(full, file, counter())).toMatchObject({ added: 1, overLimit: 1 });
  });

  it('refuses a file that is not a prompt library', () => {
    expect(promptLibraryFileSchema.safeParse({ templates: [] }).success).toBe(false);
    expect(
      promptLibraryFileSchema.safeParse({ kind: 'banana-studio/prompt-library', version: 2 }).success,
    ).toBe(false);
  });
});

describe('the / picker', () => {
  it('matches every word in names and texts, names starting with the query first', () => {
    expect(searchPromptLibrary(library, '').map((item) => item.entry.id)).toEqual(['t1', 't2', 's1', 's2']);
    expect(searchPromptLibrary(library, 'studio').map((item) => item.entry.id)).toEqual(['s2', 't1']);
    expect(searchPromptLibrary(library, 'film grain').map((item) => item.entry.id)).toEqual(['s1']);
    expect(searchPromptLibrary(library, '海报').map((item) => item.kind)).toEqual(['template']);
    expect(searchPromptLibrary(library, 'nothing like it')).toEqual([]);
  });
});
