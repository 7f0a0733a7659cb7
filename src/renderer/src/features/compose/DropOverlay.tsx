import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MODELS } from '@shared/domain/models';
import { dropReferences } from '../../store/referenceActions';
import { dropIntent, referenceLimit, type DropIntent } from '../../store/referenceRules';
import { useCompose } from '../../store/stores';
import { isTextField } from './textFields';

function intentOf(event: DragEvent): DropIntent {
  const data = event.dataTransfer;
  if (!data) return { kind: 'none' };
  return dropIntent(
    [...data.types],
    [...data.items].map((item) => ({ kind: item.kind, type: item.type })),
  );
}

/** A link dropped on a text field is text for that field, not a reference. */
function ours(intent: DropIntent, target: EventTarget | null): boolean {
  return intent.kind !== 'none' && !(intent.kind === 'link' && isTextField(target));
}

function sameIntent(a: DropIntent | null, b: DropIntent | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Files, gallery tiles and library links dragged anywhere over the window: a full-window overlay
 * says what a drop would do, and the drop adds them to the reference tray. Esc hides the overlay
 * for the rest of that drag.
 */
export function DropOverlay() {
  const [intent, setIntent] = useState<DropIntent | null>(null);

  useEffect(() => {
    // dragenter/dragleave fire for every element crossed; the window is left when they balance.
    let depth = 0;
    let shown: DropIntent | null = null;
    let dismissed = false;
    const show = (next: DropIntent | null) => {
      if (sameIntent(shown, next)) return;
      shown = next;
      setIntent(next);
    };
    const reset = () => {
      depth = 0;
      dismissed = false;
      show(null);
    };
    const onEnter = (event: DragEvent) => {
      depth += 1;
      onOver(event);
    };
    const onOver = (event: DragEvent) => {
      const next = intentOf(event);
      if (!ours(next, event.target)) return;
      // Without this the browser would open a dropped file in place of the app.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      if (!dismissed) show(next);
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) reset();
    };
    const onDrop = (event: DragEvent) => {
      const next = intentOf(event);
      reset();
      if (!ours(next, event.target) || !event.dataTransfer) return;
      event.preventDefault();
      dropReferences(event.dataTransfer);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || shown === null) return;
      // The overlay is what Esc closes now, not the viewer or a dialog under it.
      event.preventDefault();
      event.stopImmediatePropagation();
      dismissed = true;
      show(null);
    };
    // Capture: a drop must be handled (and the browser's default stopped) wherever it lands.
    window.addEventListener('dragenter', onEnter, true);
    window.addEventListener('dragover', onOver, true);
    window.addEventListener('dragleave', onLeave, true);
    window.addEventListener('drop', onDrop, true);
    window.addEventListener('dragend', reset, true);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('dragenter', onEnter, true);
      window.removeEventListener('dragover', onOver, true);
      window.removeEventListener('dragleave', onLeave, true);
      window.removeEventListener('drop', onDrop, true);
      window.removeEventListener('dragend', reset, true);
      window.removeEventListener('keydown', onKey, true);
    };
  }, []);

  return intent ? <OverlayBody intent={intent} /> : null;
}

function OverlayBody({ intent }: { intent: DropIntent }) {
  const { t } = useTranslation();
  const model = useCompose((state) => state.model);
  const pinned = useCompose((state) => state.modelPinned);
  const count = useCompose((state) => state.references.length + state.pending.length);
  const limit = referenceLimit({ model, pinned, hint: null }, count);
  const room = Math.max(0, limit.limit - count);
  const modelName = t(`models.${MODELS[limit.model].labelKey}`);
  const refused = (intent.kind === 'files' && intent.images === 0) || room === 0;
  const incoming = intent.kind === 'files' ? intent.images : 1;

  let title: string;
  if (intent.kind === 'files' && intent.images === 0) title = t('references.dropOnlyImages');
  else if (room === 0) title = t('references.dropFull', { model: modelName, limit: limit.limit });
  else if (intent.kind !== 'files') title = t('references.dropImage');
  else if (intent.images === 1) title = t('references.dropOne');
  else title = t('references.dropMany', { count: intent.images });

  const notes: string[] = [];
  if (intent.kind === 'files' && intent.images > 0 && intent.others > 0)
    notes.push(t('references.dropSkipped'));
  if (!refused && incoming > room) notes.push(t('references.dropRoom', { model: modelName, count: room }));

  return (
    <div
      className={refused ? 'drop-overlay drop-overlay-refused' : 'drop-overlay'}
      data-testid="drop-overlay"
      data-kind={intent.kind}
      data-refused={refused}
      role="status"
      aria-live="assertive"
    >
      <div className="drop-card">
        <p className="drop-title">{title}</p>
        {notes.map((note) => (
          <p key={note} className="drop-note">
            {note}
          </p>
        ))}
        <p className="drop-note drop-esc">{t('references.dropEsc')}</p>
      </div>
    </div>
  );
}
