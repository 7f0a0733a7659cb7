import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { StagedReference } from '@shared/domain/reference';
import { referenceNotes, type ReferenceNote } from '../../store/referenceRules';

/** The DOM id of one note, for the chip's aria-describedby. */
export function referenceNoteId(prefix: string, referenceId: string, note: ReferenceNote): string {
  return `${prefix}-note-${referenceId}-${note.kind}`;
}

export function referenceNoteText(t: TFunction, language: string, name: string, note: ReferenceNote): string {
  if (note.kind === 'animated') return t('references.notes.animated', { name });
  const number = new Intl.NumberFormat(language);
  return t('references.notes.large', {
    name,
    width: number.format(note.width),
    height: number.format(note.height),
  });
}

interface ReferenceNotesProps {
  references: readonly StagedReference[];
  /** The tray's id prefix, shared with the chips that point here. */
  idPrefix: string;
}

/**
 * What KIE will make of references it takes as they are (scaled down, first frame only): notes
 * under the tray, not errors, for as long as those references are in it.
 */
export function ReferenceNotes({ references, idPrefix }: ReferenceNotesProps) {
  const { t, i18n } = useTranslation();
  const notes = references.flatMap((reference) =>
    referenceNotes(reference).map((note) => ({ reference, note })),
  );
  if (notes.length === 0) return null;
  return (
    <ul className="reference-notes" data-testid="reference-notes">
      {notes.map(({ reference, note }) => (
        <li
          key={referenceNoteId(idPrefix, reference.id, note)}
          id={referenceNoteId(idPrefix, reference.id, note)}
          data-testid="reference-note"
          data-kind={note.kind}
          data-reference-id={reference.id}
        >
          {referenceNoteText(t, i18n.language, reference.name, note)}
        </li>
      ))}
    </ul>
  );
}
