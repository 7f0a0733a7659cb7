import {
  EMPTY_PROMPT_LIBRARY,
  exportPromptLibrary,
  importPromptLibrary,
  MAX_LIBRARY_FILE_BYTES,
  MAX_STYLES,
  MAX_TEMPLATES,
  promptLibraryFileSchema,
  type LibraryImport,
  type PromptLibrary,
  type PromptStyle,
  type PromptTemplate,
} from '@shared/domain/promptLibrary';
import { useSettings } from '../../store/settings';

/** The templates and styles as the settings hold them now. */
export function currentLibrary(): PromptLibrary {
  return useSettings.getState().view?.promptLibrary ?? EMPTY_PROMPT_LIBRARY;
}

function newId(): string {
  return crypto.randomUUID();
}

export type EntryDraft =
  | { kind: 'template'; id?: string; name: string; text: string }
  | { kind: 'style'; id?: string; name: string; phrase: string };

export type SaveOutcome = 'saved' | 'full' | 'failed';

/** Adds the entry, or replaces the one with its id (an edit keeps its place in the list). */
export async function saveEntry(draft: EntryDraft): Promise<SaveOutcome> {
  const library = currentLibrary();
  const id = draft.id ?? newId();
  let next: PromptLibrary;
  if (draft.kind === 'template') {
    const entry: PromptTemplate = { id, name: draft.name.trim(), text: draft.text.trim() };
    if (!draft.id && library.templates.length >= MAX_TEMPLATES) return 'full';
    next = { ...library, templates: upsert(library.templates, entry) };
  } else {
    const entry: PromptStyle = { id, name: draft.name.trim(), phrase: draft.phrase.trim() };
    if (!draft.id && library.styles.length >= MAX_STYLES) return 'full';
    next = { ...library, styles: upsert(library.styles, entry) };
  }
  return (await useSettings.getState().update({ promptLibrary: next })) ? 'saved' : 'failed';
}

function upsert<E extends { id: string }>(list: readonly E[], entry: E): E[] {
  return list.some((item) => item.id === entry.id)
    ? list.map((item) => (item.id === entry.id ? entry : item))
    : [...list, entry];
}

export async function removeEntry(id: string): Promise<boolean> {
  const library = currentLibrary();
  return useSettings.getState().update({
    promptLibrary: {
      templates: library.templates.filter((entry) => entry.id !== id),
      styles: library.styles.filter((entry) => entry.id !== id),
    },
  });
}

export const LIBRARY_FILE_NAME = 'banana-studio-prompts.json';

/** The export file's text: readable, so it can be edited or shared by hand. */
export function exportLibraryText(): string {
  return `${JSON.stringify(exportPromptLibrary(currentLibrary()), null, 2)}\n`;
}

export type ImportOutcome =
  { ok: true; result: LibraryImport } | { ok: false; reason: 'tooBig' | 'notJson' | 'notLibrary' | 'failed' };

/** Reads an export file and adds its entries (see importPromptLibrary: nothing is overwritten). */
export async function importLibraryFile(file: Blob): Promise<ImportOutcome> {
  if (file.size > MAX_LIBRARY_FILE_BYTES) return { ok: false, reason: 'tooBig' };
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch {
    return { ok: false, reason: 'notJson' };
  }
  const parsed = promptLibraryFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'notLibrary' };
  const result = importPromptLibrary(currentLibrary(), parsed.data, newId);
  if (result.added === 0) return { ok: true, result };
  const saved = await useSettings.getState().update({ promptLibrary: result.library });
  return saved ? { ok: true, result } : { ok: false, reason: 'failed' };
}

/** Offers `text` as a file download (a save dialog in the desktop app, the downloads folder on the web). */
export function downloadText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has been handled: revoking at once can cancel the download in some engines.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
