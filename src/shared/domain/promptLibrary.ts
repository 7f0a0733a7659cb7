import { z } from 'zod';

/**
 * Saved prompts: templates (a prompt with `{variables}` filled in a small form when used) and
 * styles (a phrase appended to any prompt). Kept with the settings, exported and imported as one
 * JSON file, picked from the prompt box by typing `/`.
 */
export const MAX_TEMPLATES = 300;
export const MAX_STYLES = 300;
/** The longest prompt any model takes (Nano Banana 2): a template longer could never be sent. */
export const MAX_TEMPLATE_CHARS = 20_000;
export const MAX_STYLE_CHARS = 2_000;
export const MAX_ENTRY_NAME_CHARS = 80;
/** An import file larger than this is refused before it is parsed. */
export const MAX_LIBRARY_FILE_BYTES = 8 * 1024 * 1024;

const idSchema = z.string().min(1).max(64);
const nameSchema = z.string().trim().min(1).max(MAX_ENTRY_NAME_CHARS);

export const promptTemplateSchema = z.object({
  id: idSchema,
  name: nameSchema,
  text: z.string().trim().min(1).max(MAX_TEMPLATE_CHARS),
});
export type PromptTemplate = z.infer<typeof promptTemplateSchema>;

export const promptStyleSchema = z.object({
  id: idSchema,
  name: nameSchema,
  phrase: z.string().trim().min(1).max(MAX_STYLE_CHARS),
});
export type PromptStyle = z.infer<typeof promptStyleSchema>;

/** What a settings patch or an import must be: every entry valid, ids unique. */
export const promptLibrarySchema = z
  .object({
    templates: z.array(promptTemplateSchema).max(MAX_TEMPLATES),
    styles: z.array(promptStyleSchema).max(MAX_STYLES),
  })
  .refine(
    (library) => {
      const ids = [...library.templates, ...library.styles].map((entry) => entry.id);
      return new Set(ids).size === ids.length;
    },
    { message: 'every template and style needs its own id' },
  );
export type PromptLibrary = z.infer<typeof promptLibrarySchema>;

export const EMPTY_PROMPT_LIBRARY: PromptLibrary = { templates: [], styles: [] };

/** Keeps the valid entries of a damaged list (a hand-edited settings file loses one entry, not all). */
function tolerantList<T extends z.ZodType>(entry: T, max: number) {
  return z
    .array(z.unknown())
    .catch([])
    .transform((items) =>
      items.flatMap((item) => {
        const parsed = entry.safeParse(item);
        return parsed.success ? [parsed.data as z.output<T>] : [];
      }),
    )
    .transform((items) => items.slice(0, max));
}

/** As read from the settings file: entries that do not parse are dropped, duplicates by id too. */
export const storedPromptLibrarySchema = z
  .object({
    templates: tolerantList(promptTemplateSchema, MAX_TEMPLATES),
    styles: tolerantList(promptStyleSchema, MAX_STYLES),
  })
  .catch({ templates: [], styles: [] })
  .transform((library): PromptLibrary => {
    const seen = new Set<string>();
    const fresh = (entry: { id: string }): boolean => {
      if (seen.has(entry.id)) return false;
      seen.add(entry.id);
      return true;
    };
    return { templates: library.templates.filter(fresh), styles: library.styles.filter(fresh) };
  });

export const PROMPT_LIBRARY_FILE_KIND = 'banana-studio/prompt-library';
/** The exported file. Entries without ids are accepted on import (made elsewhere, by hand). */
export const promptLibraryFileSchema = z.object({
  kind: z.literal(PROMPT_LIBRARY_FILE_KIND),
  version: z.literal(1),
  templates: z
    .array(promptTemplateSchema.extend({ id: idSchema.optional() }))
    .max(MAX_TEMPLATES)
    .default([]),
  styles: z
    .array(promptStyleSchema.extend({ id: idSchema.optional() }))
    .max(MAX_STYLES)
    .default([]),
});
export type PromptLibraryFile = z.infer<typeof promptLibraryFileSchema>;

export function exportPromptLibrary(library: PromptLibrary): PromptLibraryFile {
  return { kind: PROMPT_LIBRARY_FILE_KIND, version: 1, ...library };
}

/**
 * `{subject}`, `{颜色}`, `{light source}`: letters (any script), digits, spaces, `_` and `-`, up
 * to 40 characters. `{{` and `}}` stand for literal braces, so JSON in a prompt survives.
 */
const VARIABLE = /\{\{|\}\}|\{([\p{L}\p{N}_\- ]{1,40})\}/gu;

/** The template's variable names, trimmed, each once, in order of first use. */
export function templateVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1]?.trim();
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The template with each `{variable}` replaced by its value (trimmed); `{{`/`}}` become braces. */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE, (whole, name: string | undefined) => {
    if (name === undefined) return whole === '{{' ? '{' : '}';
    return (values[name.trim()] ?? '').trim();
  });
}

/** Chinese, Japanese and Korean text joins with the ideographic comma. */
const CJK_END = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;

/** The prompt with the style's phrase appended once (a prompt that already ends with it is kept). */
export function withStyle(prompt: string, phrase: string): string {
  const base = prompt.trimEnd();
  const addition = phrase.trim();
  if (base === '') return addition;
  if (base.endsWith(addition)) return prompt;
  if (/[,，、;；:：]$/.test(base)) return `${base} ${addition}`;
  return CJK_END.test(base) ? `${base}，${addition}` : `${base}, ${addition}`;
}

export interface LibraryImport {
  library: PromptLibrary;
  added: number;
  /** Entries identical (name and text) to one already kept. */
  skipped: number;
  /** Entries left out because the library was full. */
  overLimit: number;
}

/**
 * Adds a file's entries to the library. An entry equal to a kept one (same name and text) is
 * skipped; one whose name is taken by a different text is kept under "name (2)", so importing
 * never overwrites what the user has.
 */
export function importPromptLibrary(
  current: PromptLibrary,
  file: PromptLibraryFile,
  newId: () => string,
): LibraryImport {
  let added = 0;
  let skipped = 0;
  let overLimit = 0;
  const ids = new Set([...current.templates, ...current.styles].map((entry) => entry.id));
  const take = <E extends { id: string; name: string }>(
    kept: E[],
    incoming: readonly (Omit<E, 'id'> & { id?: string | undefined })[],
    body: (entry: Omit<E, 'id'>) => string,
    max: number,
  ): E[] => {
    const out = [...kept];
    for (const entry of incoming) {
      if (out.some((have) => have.name === entry.name && body(have) === body(entry))) {
        skipped += 1;
        continue;
      }
      if (out.length >= max) {
        overLimit += 1;
        continue;
      }
      const name = freeName(
        entry.name,
        out.map((have) => have.name),
      );
      const id = entry.id !== undefined && !ids.has(entry.id) ? entry.id : uniqueId(ids, newId);
      ids.add(id);
      out.push({ ...entry, id, name } as E);
      added += 1;
    }
    return out;
  };
  const templates = take(current.templates, file.templates, (entry) => entry.text, MAX_TEMPLATES);
  const styles = take(current.styles, file.styles, (entry) => entry.phrase, MAX_STYLES);
  return { library: { templates, styles }, added, skipped, overLimit };
}

function uniqueId(taken: ReadonlySet<string>, newId: () => string): string {
  for (;;) {
    const id = newId();
    if (!taken.has(id)) return id;
  }
}

function freeName(name: string, taken: readonly string[]): string {
  if (!taken.includes(name)) return name;
  for (let n = 2; ; n += 1) {
    const candidate = `${name.slice(0, MAX_ENTRY_NAME_CHARS - 6)} (${n})`;
    if (!taken.includes(candidate)) return candidate;
  }
}

export type LibraryEntry =
  { kind: 'template'; entry: PromptTemplate } | { kind: 'style'; entry: PromptStyle };

/**
 * Entries for the `/` picker: every word of the query must appear in the name or the text
 * (case-insensitive); names that start with the query come first, then templates before styles.
 */
export function searchPromptLibrary(library: PromptLibrary, query: string, limit = 8): LibraryEntry[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const all: LibraryEntry[] = [
    ...library.templates.map((entry) => ({ kind: 'template' as const, entry })),
    ...library.styles.map((entry) => ({ kind: 'style' as const, entry })),
  ];
  const scored = all.flatMap((item, order) => {
    const name = item.entry.name.toLocaleLowerCase();
    const body = (item.kind === 'template' ? item.entry.text : item.entry.phrase).toLocaleLowerCase();
    if (!words.every((word) => name.includes(word) || body.includes(word))) return [];
    const prefix = words.length > 0 && name.startsWith(words[0] ?? '') ? 0 : 1;
    return [{ item, rank: prefix, order }];
  });
  scored.sort((a, b) => a.rank - b.rank || a.order - b.order);
  return scored.slice(0, limit).map((entry) => entry.item);
}
