import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { markSizes } from '@shared/domain/marks';
import type { WireError } from '@shared/ipc/result';
import { CloseButton } from '../../components/CloseButton';
import { QuestionDialog } from '../../components/QuestionDialog';
import { useOverlay } from '../../components/useOverlay';
import { isDirty, useAnnotate, type AnnotateSession } from '../../store/annotate';
import { stagingProblem } from '../../store/referenceProblems';
import { isTextField } from '../compose/textFields';
import { referenceProblemText } from '../compose/referenceProblemText';
import { AnnotateStage } from './AnnotateStage';
import { AnnotateToolbar } from './AnnotateToolbar';
import { editorKeyAction } from './shortcuts';

/** The annotation editor, while a tray reference is open in it. */
export function AnnotateEditor() {
  const session = useAnnotate((state) => state.session);
  return session ? <EditorDialog key={session.trayId} session={session} /> : null;
}

type Picture = { url: string; image: HTMLImageElement | null; failed: boolean };

/** The picture, decoded off the main thread before it is drawn. */
function usePicture(url: string | null): Picture | null {
  const [picture, setPicture] = useState<Picture | null>(null);
  useEffect(() => {
    if (url === null) return;
    let live = true;
    const image = new Image();
    image.decoding = 'async';
    image.src = url;
    image.decode().then(
      () => live && setPicture({ url, image, failed: false }),
      () => live && setPicture({ url, image: null, failed: true }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return picture?.url === url ? picture : null;
}

/** Why saving failed, in the user's language, naming the file. */
function saveErrorText(t: TFunction, error: WireError, name: string): string {
  const details = error.details ?? {};
  if (details['problem'] === 'marksSize') return t('annotate.errors.marksSize', { name });
  if (error.code === 'VALIDATION' && typeof details['referenceId'] === 'string') {
    return t('annotate.errors.missing', { name });
  }
  return referenceProblemText(t, stagingProblem(name, error));
}

function EditorDialog({ session }: { session: AnnotateSession }) {
  const { t } = useTranslation();
  const id = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const [asking, setAsking] = useState(false);
  const saving = useAnnotate((state) => state.saving);
  const saveError = useAnnotate((state) => state.saveError);
  const dirty = useAnnotate(isDirty);
  const picture = usePicture(session.status === 'ready' ? session.original.url : null);
  const image = picture?.image ?? null;
  const size = image
    ? { width: image.naturalWidth, height: image.naturalHeight }
    : { width: session.original.width, height: session.original.height };

  const requestClose = () => {
    const state = useAnnotate.getState();
    if (state.saving) return;
    if (isDirty(state)) setAsking(true);
    else state.close();
  };
  useOverlay(dialog, { onClose: requestClose });

  // Once the picture is there, the keyboard draws on it straight away.
  useEffect(() => {
    if (image) stage.current?.focus({ preventScroll: true });
  }, [image]);

  const save = async () => {
    if (!image) return;
    const trayId = await useAnnotate.getState().save(size);
    if (trayId === null) return;
    useAnnotate.getState().close();
    // The chip was replaced by the copy: the focus goes to the new chip's button.
    requestAnimationFrame(() =>
      document
        .querySelector<HTMLElement>(
          `[data-testid="reference-chip"][data-reference-id="${trayId}"] [data-testid="reference-annotate"]`,
        )
        ?.focus(),
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.defaultPrevented || event.nativeEvent.isComposing) return;
    const action = editorKeyAction(event);
    if (!action) return;
    if (isTextField(event.target)) {
      if (action.kind !== 'save') return;
      // Saving from a note being typed: the focus leaving the note places it first.
      stage.current?.focus({ preventScroll: true });
    }
    event.preventDefault();
    const state = useAnnotate.getState();
    if (state.saving) return;
    switch (action.kind) {
      case 'tool':
        return state.setTool(action.tool);
      case 'color':
        return state.setColor(action.color);
      case 'size': {
        const last = markSizes(size.width, size.height).length - 1;
        return state.setSize(Math.min(last, Math.max(0, state.sizeLevel + action.delta)), size);
      }
      case 'undo':
        return state.undo();
      case 'redo':
        return state.redo();
      case 'delete':
        return state.removeMark();
      case 'save':
        return void save();
    }
  };

  const name = session.original.name;
  return (
    <>
      <div className="overlay annotate-overlay">
        <div
          ref={dialog}
          role="dialog"
          aria-modal="true"
          tabIndex={-1}
          className="annotate"
          data-testid="annotate-editor"
          data-dirty={dirty ? 'true' : 'false'}
          data-original-id={session.original.id}
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-hint`}
          onKeyDown={onKeyDown}
        >
          <div className="annotate-head">
            <h2 id={`${id}-title`} title={name}>
              {t('annotate.title', { name })}
            </h2>
            <CloseButton label={t('annotate.close')} testId="annotate-close" onClick={requestClose} />
          </div>
          <AnnotateToolbar picture={size} />
          {session.reopenFailed && (
            <p className="alert alert-warn annotate-alert" role="status" data-testid="annotate-reopen-failed">
              {t('annotate.errors.reopen')}
            </p>
          )}
          {image ? (
            <AnnotateStage ref={stage} picture={image} />
          ) : (
            <div className="annotate-frame" data-testid="annotate-frame">
              {picture?.failed ? (
                <p className="alert alert-error" role="alert" data-testid="annotate-load-error">
                  {t('annotate.errors.load', { name })}
                </p>
              ) : (
                <span className="spinner" role="status" aria-label={t('annotate.loading')} />
              )}
            </div>
          )}
          <div className="annotate-foot">
            <p id={`${id}-hint`} className="annotate-hint">
              {t('annotate.hint')}
            </p>
            {saveError && (
              <p className="alert alert-error annotate-alert" role="alert" data-testid="annotate-save-error">
                {saveErrorText(t, saveError, name)}
              </p>
            )}
            <button type="button" data-testid="annotate-cancel" disabled={saving} onClick={requestClose}>
              {t('annotate.cancel')}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="annotate-save"
              aria-keyshortcuts="Control+S Control+Enter"
              disabled={!image || saving}
              aria-busy={saving}
              onClick={() => void save()}
            >
              {saving ? t('annotate.saving') : t('annotate.save')}
            </button>
          </div>
        </div>
      </div>
      {asking && (
        <QuestionDialog
          title={t('annotate.discard.title')}
          body={<p>{t('annotate.discard.body')}</p>}
          safeRef={keepRef}
          onDismiss={() => setAsking(false)}
          testId="annotate-discard"
        >
          <button ref={keepRef} type="button" data-testid="annotate-keep" onClick={() => setAsking(false)}>
            {t('annotate.discard.keep')}
          </button>
          <button
            type="button"
            className="danger-button solid"
            data-testid="annotate-discard-ok"
            onClick={() => {
              setAsking(false);
              useAnnotate.getState().close();
            }}
          >
            {t('annotate.discard.ok')}
          </button>
        </QuestionDialog>
      )}
    </>
  );
}
