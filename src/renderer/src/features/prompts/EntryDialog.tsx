import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MAX_ENTRY_NAME_CHARS,
  MAX_STYLE_CHARS,
  MAX_TEMPLATE_CHARS,
  templateVariables,
} from '@shared/domain/promptLibrary';
import { Modal } from '../../components/Modal';
import { saveEntry, type EntryDraft, type SaveOutcome } from './libraryActions';

type Problem = 'noName' | 'noText' | 'full' | 'failed';

/** A default name from the prompt's first words, so saving is one click when that is enough. */
export function nameFromText(text: string): string {
  const words = text.trim().replace(/\s+/g, ' ');
  return words.length <= 40 ? words : `${words.slice(0, 39).trimEnd()}…`;
}

/**
 * Saves a new template or style, or edits one (then its kind is fixed). A template shows the
 * `{variables}` it will ask for; nothing typed is lost when saving fails.
 */
export function EntryDialog({
  initial,
  editing,
  onClose,
}: {
  initial: EntryDraft;
  /** Editing an existing entry: its kind cannot change. */
  editing: boolean;
  onClose(saved: boolean): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState(initial.kind);
  const [name, setName] = useState(initial.name);
  const [text, setText] = useState(initial.kind === 'template' ? initial.text : initial.phrase);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saving, setSaving] = useState(false);
  const variables = kind === 'template' ? templateVariables(text) : [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return setProblem('noName');
    if (text.trim() === '') return setProblem('noText');
    setSaving(true);
    const draft: EntryDraft =
      kind === 'template'
        ? { kind, ...(initial.id ? { id: initial.id } : {}), name, text }
        : { kind, ...(initial.id ? { id: initial.id } : {}), name, phrase: text };
    const outcome: SaveOutcome = await saveEntry(draft);
    setSaving(false);
    if (outcome === 'saved') onClose(true);
    else setProblem(outcome);
  };

  return (
    <Modal
      className="dialog dialog-small entry-dialog"
      aria-labelledby={`${id}-title`}
      data-testid="library-entry-dialog"
      initialFocus={nameRef}
      overlayClassName="overlay-top"
      onClose={() => onClose(false)}
    >
      <form onSubmit={(event) => void submit(event)}>
        <h2 id={`${id}-title`}>
          {editing
            ? kind === 'template'
              ? t('promptLibrary.editTemplate')
              : t('promptLibrary.editStyle')
            : t('promptLibrary.saveTitle')}
        </h2>
        {!editing && (
          <fieldset className="entry-kind">
            <legend className="field-label">{t('promptLibrary.kind')}</legend>
            <label className="inline-toggle">
              <input
                type="radio"
                name={`${id}-kind`}
                data-testid="library-kind-template"
                checked={kind === 'template'}
                onChange={() => setKind('template')}
              />
              {t('promptLibrary.template')}
            </label>
            <label className="inline-toggle">
              <input
                type="radio"
                name={`${id}-kind`}
                data-testid="library-kind-style"
                checked={kind === 'style'}
                onChange={() => setKind('style')}
              />
              {t('promptLibrary.style')}
            </label>
          </fieldset>
        )}
        <p className="help">
          {kind === 'template' ? t('promptLibrary.templateHelp') : t('promptLibrary.styleHelp')}
        </p>
        <label className="field">
          <span className="field-label">{t('promptLibrary.name')}</span>
          <input
            ref={nameRef}
            type="text"
            data-testid="library-entry-name"
            value={name}
            maxLength={MAX_ENTRY_NAME_CHARS}
            onChange={(event) => {
              setName(event.target.value);
              setProblem(null);
            }}
          />
        </label>
        <label className="field">
          <span className="field-label">
            {kind === 'template' ? t('promptLibrary.text') : t('promptLibrary.phrase')}
          </span>
          <textarea
            data-testid="library-entry-text"
            rows={kind === 'template' ? 5 : 2}
            value={text}
            maxLength={kind === 'template' ? MAX_TEMPLATE_CHARS : MAX_STYLE_CHARS}
            onChange={(event) => {
              setText(event.target.value);
              setProblem(null);
            }}
          />
        </label>
        {kind === 'template' && (
          <p className="help" data-testid="library-entry-variables">
            {variables.length > 0
              ? t('promptLibrary.variables', { names: variables.join(t('promptLibrary.listSeparator')) })
              : t('promptLibrary.noVariables')}
          </p>
        )}
        {problem && (
          <p className="field-problem" role="alert" data-testid="library-entry-problem">
            {problem === 'noName'
              ? t('promptLibrary.problemNoName')
              : problem === 'noText'
                ? t('promptLibrary.problemNoText')
                : problem === 'full'
                  ? t('promptLibrary.problemFull')
                  : t('promptLibrary.problemFailed')}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={() => onClose(false)}>
            {t('promptLibrary.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="library-entry-save" disabled={saving}>
            {t('promptLibrary.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
