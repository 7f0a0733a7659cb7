import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Job, JobParams } from '@shared/domain/job';
import { referenceProblemText } from '../features/compose/referenceProblemText';
import { restoreImages } from '../store/galleryActions';
import { useSelectionBar } from '../store/selectionBar';
import { useCompose, useJobs } from '../store/stores';
import { useToasts, type Toast, type ToastBody } from '../store/toasts';
import { useViewer } from '../store/viewer';
import { errorText } from './errorText';
import { CloseButton } from './CloseButton';

function toastText(t: TFunction, body: ToastBody): string {
  switch (body.kind) {
    case 'trashed':
      return t('toast.trashed', { count: body.ids.length });
    case 'restored':
      return t('toast.restored', { count: body.count });
    case 'purged':
      return t('toast.purged', { count: body.count });
    case 'forgotten':
      return t('toast.forgotten', { count: body.count });
    case 'exported':
      return t('toast.exported', { count: body.count, folder: body.folder ?? '' });
    case 'albumAdded':
      return t('toast.albumAdded', { count: body.count, album: body.album });
    case 'tagged':
      return t('toast.tagged', { count: body.count });
    case 'reused':
      return t('toast.reused');
    case 'referenceAdded':
      return t('toast.referenceAdded');
    case 'referenceProblem':
      return referenceProblemText(t, body.problem);
    case 'madeHere':
      return t('toast.madeHere', { name: body.name });
    case 'copied':
      return t('toast.copied');
    case 'rescanned':
      return t('toast.rescanned', {
        scanned: body.report.scanned,
        imported: body.report.imported + body.report.recovered,
        missing: body.report.missing,
      });
    case 'compareNeeds':
      return t('compare.needs');
    case 'sent':
      return t('runs.againSent', { count: body.count });
    case 'runSent':
      return t('runs.sent', { count: body.count });
    case 'runNotReady':
      return body.pending > 0
        ? t('runs.notReady', { done: body.done, total: body.total })
        : t('runs.notEnough', { done: body.done });
    case 'error':
      return errorText(t, body.error);
    case 'jobFailed':
      return jobFailedText(t, body.job);
  }
}

/** "“a cat…” failed: <the error in a few words>", or that KIE never answered. */
function jobFailedText(t: TFunction, job: Job): string {
  const prompt = job.params.prompt.length > 60 ? `${job.params.prompt.slice(0, 59)}…` : job.params.prompt;
  if (job.state === 'unknown-outcome') return t('jobs.toast.unknown', { prompt });
  return t('jobs.toast.failed', {
    prompt,
    reason: job.error ? t(`errors.${job.error.code}`) : t(`states.${job.state}`),
  });
}

/** "Reuse its settings" on a dropped image of ours: prompt, model and options go to Create. */
function reuseMadeHere(params: JobParams): void {
  useCompose.getState().reuse(params);
  useToasts.getState().show({ kind: 'reused' });
}

/** Space between the toasts and the selection bar they stack above. */
const ABOVE_BAR = 10;

export function Toasts() {
  const toasts = useToasts((state) => state.toasts);
  const barRoom = useSelectionBar((state) => state.room);
  const inViewer = useViewer((state) => state.imageId !== null);
  return (
    <div
      className={inViewer ? 'toasts toasts-viewer' : 'toasts'}
      role="status"
      aria-live="polite"
      data-testid="toasts"
      style={!inViewer && barRoom > 0 ? { bottom: barRoom + ABOVE_BAR } : undefined}
    >
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </div>
  );
}

function ToastItem({ toast }: { toast: Toast }) {
  const { t } = useTranslation();
  const dismiss = useToasts((state) => state.dismiss);
  const { body } = toast;
  return (
    <div
      className={
        body.kind === 'error' || body.kind === 'referenceProblem' || body.kind === 'jobFailed'
          ? 'toast toast-error'
          : 'toast'
      }
      data-testid="toast"
      data-kind={body.kind}
    >
      <span>{toastText(t, body)}</span>
      {body.kind === 'trashed' && (
        <button
          type="button"
          className="toast-action"
          data-testid="toast-undo"
          onClick={() => {
            dismiss(toast.id);
            void restoreImages(body.ids, true);
          }}
        >
          {t('toast.undo')}
        </button>
      )}
      {body.kind === 'madeHere' && (
        <button
          type="button"
          className="toast-action"
          data-testid="reuse-settings"
          onClick={() => {
            dismiss(toast.id);
            reuseMadeHere(body.params);
          }}
        >
          {t('toast.reuseSettings')}
        </button>
      )}
      {body.kind === 'jobFailed' && (
        <button
          type="button"
          className="toast-action"
          data-testid="toast-show-job"
          onClick={() => {
            dismiss(toast.id);
            useJobs.getState().reveal(body.job.id);
          }}
        >
          {t('jobs.toast.show')}
        </button>
      )}
      <CloseButton
        label={t('toast.close')}
        testId="toast-close"
        onClick={() => dismiss(toast.id)}
        className="toast-close"
      />
    </div>
  );
}
