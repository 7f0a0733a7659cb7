import { useEffect, useId, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MODELS } from '@shared/domain/models';
import type { StagedReference } from '@shared/domain/reference';
import { AnnotateButton } from '../annotate/AnnotateButton';
import { addReferenceFiles } from '../../store/referenceActions';
import { dropIndex, DRAG_REFERENCE_MIME, referenceNotes, trayLimit } from '../../store/referenceRules';
import { useCompose } from '../../store/stores';
import { referenceProblemText } from './referenceProblemText';
import { referenceNoteId, ReferenceNotes } from './ReferenceNotes';

/** What the picker offers; anything else picked is still checked by content. */
const ACCEPT = 'image/png,image/jpeg,image/webp';

/**
 * The reference images a job is sent with, in order: thumbnails that reorder by dragging or
 * Alt+←/→, remove one by one or all at once, a picker, and the count against the model's limit.
 */
export function ReferenceTray() {
  const { t } = useTranslation();
  const id = useId();
  const references = useCompose((state) => state.references);
  const pending = useCompose((state) => state.pending);
  const model = useCompose((state) => state.model);
  const pinned = useCompose((state) => state.modelPinned);
  const clear = useCompose((state) => state.clearReferences);
  const picker = useRef<HTMLInputElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const count = references.length;
  const limit = trayLimit({ model, pinned, hint: null }, count);
  const over = count > limit.limit;

  return (
    <section className="reference-tray" data-testid="reference-tray" aria-labelledby={`${id}-title`}>
      <div className="reference-head">
        <span id={`${id}-title`} className="field-label">
          {t('references.title')}
        </span>
        <span
          className={over ? 'reference-count reference-count-over' : 'reference-count'}
          data-testid="reference-count"
          data-count={count}
          data-limit={limit.limit}
          title={t('references.countLabel', {
            count,
            limit: limit.limit,
            model: t(`models.${MODELS[limit.model].labelKey}`),
          })}
        >
          {t('references.count', { count, limit: limit.limit })}
        </span>
      </div>
      {count + pending.length > 0 ? (
        <ReferenceList references={references} idPrefix={id} onAnnounce={setAnnouncement} />
      ) : (
        <p className="help reference-empty">{t('references.empty')}</p>
      )}
      <div className="reference-actions">
        <input
          ref={picker}
          type="file"
          multiple
          accept={ACCEPT}
          className="visually-hidden"
          tabIndex={-1}
          data-testid="reference-picker"
          aria-label={t('references.pick')}
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            // Cleared so picking the same file again still fires a change.
            event.target.value = '';
            void addReferenceFiles(files.map((file) => ({ file, isDirectory: false })));
          }}
        />
        <button type="button" data-testid="reference-add" onClick={() => picker.current?.click()}>
          {t('references.add')}
        </button>
        {count > 0 && (
          <button
            type="button"
            className="link-button"
            data-testid="reference-clear"
            aria-label={t('references.clearLabel')}
            onClick={() => {
              clear();
              setAnnouncement(t('references.cleared'));
            }}
          >
            {t('references.clear')}
          </button>
        )}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <ReferenceNotes references={references} idPrefix={id} />
      <ReferenceProblems />
    </section>
  );
}

interface ListProps {
  references: StagedReference[];
  /** The tray's id prefix: a chip is described by its notes under the tray. */
  idPrefix: string;
  onAnnounce(text: string): void;
}

function ReferenceList({ references, idPrefix, onAnnounce }: ListProps) {
  const { t } = useTranslation();
  const pending = useCompose((state) => state.pending);
  const move = useCompose((state) => state.moveReference);
  const nudge = useCompose((state) => state.nudgeReference);
  const remove = useCompose((state) => state.removeReference);
  const [dragged, setDragged] = useState<string | null>(null);
  const [mark, setMark] = useState<{ id: string; after: boolean } | null>(null);
  const chips = useRef(new Map<string, HTMLLIElement>());
  // A chip moved by keyboard is re-rendered elsewhere in the list: focus follows it.
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    if (refocus.current === null) return;
    chips.current.get(refocus.current)?.focus();
    refocus.current = null;
  }, [references]);

  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>, reference: StagedReference, index: number) => {
    if (event.target !== event.currentTarget) return;
    const delta = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : 0;
    if (event.altKey && delta !== 0) {
      event.preventDefault();
      const to = index + delta;
      if (to < 0 || to >= references.length) return;
      refocus.current = reference.id;
      nudge(reference.id, delta);
      onAnnounce(t('references.moved', { number: to + 1, count: references.length }));
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      const next = references[index + 1] ?? references[index - 1];
      refocus.current = next?.id ?? null;
      remove(reference.id);
      onAnnounce(t('references.removed', { name: reference.name }));
    }
  };

  const dropSide = (event: DragEvent<HTMLLIElement>): boolean => {
    const box = event.currentTarget.getBoundingClientRect();
    const rtl = getComputedStyle(event.currentTarget).direction === 'rtl';
    const after = event.clientX > box.left + box.width / 2;
    return rtl ? !after : after;
  };

  const onDragOver = (event: DragEvent<HTMLLIElement>, reference: StagedReference) => {
    if (!event.dataTransfer.types.includes(DRAG_REFERENCE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const after = dropSide(event);
    if (mark?.id !== reference.id || mark.after !== after) setMark({ id: reference.id, after });
  };

  const onDrop = (event: DragEvent<HTMLLIElement>, index: number) => {
    const id = event.dataTransfer.getData(DRAG_REFERENCE_MIME) || dragged;
    setMark(null);
    setDragged(null);
    if (!id) return;
    event.preventDefault();
    const from = references.findIndex((item) => item.id === id);
    if (from < 0) return;
    const to = dropIndex(from, index, dropSide(event));
    move(id, to);
    onAnnounce(t('references.moved', { number: to + 1, count: references.length }));
  };

  return (
    <ol className="reference-list" aria-label={t('references.title')}>
      {references.map((reference, index) => {
        const marked = mark?.id === reference.id ? (mark.after ? ' drop-after' : ' drop-before') : '';
        const notes = referenceNotes(reference);
        return (
          <li
            key={reference.id}
            ref={(node) => {
              if (node) chips.current.set(reference.id, node);
              else chips.current.delete(reference.id);
            }}
            className={`reference-chip${dragged === reference.id ? ' reference-dragging' : ''}${marked}`}
            data-testid="reference-chip"
            data-reference-id={reference.id}
            data-image-id={reference.galleryImageId ?? undefined}
            data-notes={notes.length > 0 ? notes.map((note) => note.kind).join(' ') : undefined}
            aria-describedby={
              notes.length > 0
                ? notes.map((note) => referenceNoteId(idPrefix, reference.id, note)).join(' ')
                : undefined
            }
            tabIndex={0}
            draggable
            aria-label={t('references.chip', {
              number: index + 1,
              count: references.length,
              name: reference.name,
            })}
            title={reference.name}
            onKeyDown={(event) => onKeyDown(event, reference, index)}
            onDragStart={(event) => {
              event.dataTransfer.setData(DRAG_REFERENCE_MIME, reference.id);
              event.dataTransfer.effectAllowed = 'move';
              setDragged(reference.id);
            }}
            onDragOver={(event) => onDragOver(event, reference)}
            onDragLeave={() => setMark((current) => (current?.id === reference.id ? null : current))}
            onDrop={(event) => onDrop(event, index)}
            onDragEnd={() => {
              setDragged(null);
              setMark(null);
            }}
          >
            <img src={reference.thumbUrl} alt="" draggable={false} />
            <span className="reference-number" aria-hidden="true">
              {index + 1}
            </span>
            {notes.length > 0 && (
              <span className="reference-note-mark" aria-hidden="true">
                i
              </span>
            )}
            <button
              type="button"
              className="reference-remove"
              data-testid="reference-remove"
              aria-label={t('references.remove', { number: index + 1, name: reference.name })}
              title={t('references.remove', { number: index + 1, name: reference.name })}
              onClick={() => {
                remove(reference.id);
                onAnnounce(t('references.removed', { name: reference.name }));
              }}
            >
              ×
            </button>
            <AnnotateButton reference={reference} number={index + 1} />
          </li>
        );
      })}
      {pending.map((item) => (
        <li
          key={`pending-${item.key}`}
          className="reference-chip reference-pending"
          data-testid="reference-pending"
          aria-label={t('references.staging', { name: item.name || t('references.unnamed') })}
          aria-busy="true"
        >
          <span className="spinner" aria-hidden="true" />
        </li>
      ))}
    </ol>
  );
}

function ReferenceProblems() {
  const { t } = useTranslation();
  const problems = useCompose((state) => state.referenceProblems);
  const dismiss = useCompose((state) => state.setReferenceProblems);
  if (problems.length === 0) return null;
  return (
    <div className="alert alert-error reference-error" role="alert" data-testid="reference-error">
      <ul>
        {problems.map((problem, index) => (
          <li key={index} data-kind={problem.kind}>
            {referenceProblemText(t, problem)}
          </li>
        ))}
      </ul>
      <button type="button" className="link-button" onClick={() => dismiss([])}>
        {t('references.dismiss')}
      </button>
    </div>
  );
}
