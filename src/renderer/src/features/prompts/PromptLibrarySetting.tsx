import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EMPTY_PROMPT_LIBRARY, type PromptLibrary } from '@shared/domain/promptLibrary';
import { useSettings } from '../../store/settings';
import { EntryDialog } from './EntryDialog';
import {
  downloadText,
  exportLibraryText,
  importLibraryFile,
  LIBRARY_FILE_NAME,
  removeEntry,
  type EntryDraft,
  type ImportOutcome,
} from './libraryActions';

type Editing = { draft: EntryDraft; editing: boolean } | null;

/** Settings' list of templates and styles: edit, delete (with undo), export and import. */
export function PromptLibrarySetting() {
  const { t } = useTranslation();
  const library = useSettings((state) => state.view?.promptLibrary ?? EMPTY_PROMPT_LIBRARY);
  const update = useSettings((state) => state.update);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleted, setDeleted] = useState<{ name: string; before: PromptLibrary } | null>(null);
  const [imported, setImported] = useState<ImportOutcome | null>(null);
  const picker = useRef<HTMLInputElement>(null);

  const entries = [
    ...library.templates.map((entry) => ({
      kind: 'template' as const,
      id: entry.id,
      name: entry.name,
      body: entry.text,
      draft: { kind: 'template' as const, ...entry },
    })),
    ...library.styles.map((entry) => ({
      kind: 'style' as const,
      id: entry.id,
      name: entry.name,
      body: entry.phrase,
      draft: { kind: 'style' as const, ...entry },
    })),
  ];

  return (
    <div className="prompt-library-setting" data-testid="prompt-library-setting">
      <p className="help">{t('promptLibrary.settingsHelp')}</p>
      {entries.length === 0 ? (
        <p className="help" data-testid="prompt-library-empty">
          {t('promptLibrary.settingsEmpty')}
        </p>
      ) : (
        <ul className="prompt-library-list">
          {entries.map((entry) => (
            <li key={entry.id} data-testid="prompt-library-entry" data-kind={entry.kind}>
              <span className="slash-kind">
                {entry.kind === 'template' ? t('promptLibrary.template') : t('promptLibrary.style')}
              </span>
              <span className="prompt-library-text">
                <strong>{entry.name}</strong>
                <span className="help">{entry.body}</span>
              </span>
              <button
                type="button"
                className="secondary"
                aria-label={t('promptLibrary.editLabel', { name: entry.name })}
                data-testid="prompt-library-edit"
                onClick={() => setEditing({ draft: entry.draft, editing: true })}
              >
                {t('promptLibrary.edit')}
              </button>
              <button
                type="button"
                className="secondary"
                aria-label={t('promptLibrary.deleteLabel', { name: entry.name })}
                data-testid="prompt-library-delete"
                onClick={() => {
                  const before = library;
                  void removeEntry(entry.id).then((ok) => ok && setDeleted({ name: entry.name, before }));
                }}
              >
                {t('promptLibrary.delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {deleted && (
        <p className="notice" role="status" data-testid="prompt-library-deleted">
          {t('promptLibrary.deleted', { name: deleted.name })}{' '}
          <button
            type="button"
            className="link-button"
            data-testid="prompt-library-undo"
            onClick={() => {
              void update({ promptLibrary: deleted.before });
              setDeleted(null);
            }}
          >
            {t('promptLibrary.undo')}
          </button>
        </p>
      )}
      <div className="setting-actions">
        <button
          type="button"
          className="secondary"
          data-testid="prompt-library-new-template"
          onClick={() => setEditing({ draft: { kind: 'template', name: '', text: '' }, editing: false })}
        >
          {t('promptLibrary.newTemplate')}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="prompt-library-new-style"
          onClick={() => setEditing({ draft: { kind: 'style', name: '', phrase: '' }, editing: false })}
        >
          {t('promptLibrary.newStyle')}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="prompt-library-export"
          disabled={entries.length === 0}
          onClick={() => downloadText(LIBRARY_FILE_NAME, exportLibraryText())}
        >
          {t('promptLibrary.export')}
        </button>
        <input
          ref={picker}
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          tabIndex={-1}
          data-testid="prompt-library-file"
          aria-label={t('promptLibrary.importLabel')}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void importLibraryFile(file).then(setImported);
          }}
        />
        <button
          type="button"
          className="secondary"
          data-testid="prompt-library-import"
          onClick={() => picker.current?.click()}
        >
          {t('promptLibrary.import')}
        </button>
      </div>
      {imported && <ImportResult outcome={imported} />}
      {editing && (
        <EntryDialog initial={editing.draft} editing={editing.editing} onClose={() => setEditing(null)} />
      )}
    </div>
  );
}

function ImportResult({ outcome }: { outcome: ImportOutcome }) {
  const { t } = useTranslation();
  if (!outcome.ok) {
    return (
      <p className="field-problem" role="alert" data-testid="prompt-library-import-problem">
        {outcome.reason === 'tooBig'
          ? t('promptLibrary.importTooBig')
          : outcome.reason === 'notJson'
            ? t('promptLibrary.importNotJson')
            : outcome.reason === 'notLibrary'
              ? t('promptLibrary.importNotLibrary')
              : t('promptLibrary.importFailed')}
      </p>
    );
  }
  const { added, skipped, overLimit } = outcome.result;
  return (
    <p className="notice" role="status" data-testid="prompt-library-imported">
      {added > 0
        ? t('promptLibrary.imported', { added, skipped })
        : t('promptLibrary.importedNothing', { skipped })}
      {overLimit > 0 && <> {t('promptLibrary.importedOverLimit', { count: overLimit })}</>}
    </p>
  );
}
