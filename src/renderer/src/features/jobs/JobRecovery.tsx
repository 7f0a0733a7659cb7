import { useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Job } from '@shared/domain/job';
import type { WireError } from '@shared/ipc/result';
import { api } from '../../ipc/api';
import { errorText } from '../../components/errorText';
import { useCardTabIndex } from './cardFocus';

/** What KIE's dashboard shows as a task id; the same rule the IPC contract enforces. */
const TASK_ID = /^[A-Za-z0-9_-]{1,128}$/;

type Panel = 'closed' | 'find' | 'confirm';

/** Words for a refusal of "Find it on KIE" or "Send again", by the reason core gave. */
function recoveryError(t: TFunction, error: WireError): string {
  const reason = error.details?.['reason'];
  if (reason === 'no-task') return t('jobs.recovery.noTask');
  if (reason === 'other-request') return t('jobs.recovery.otherRequest');
  if (reason === 'already-in-library') return t('jobs.recovery.alreadyInLibrary');
  if (reason === 'not-unknown') return t('jobs.recovery.notUnknown');
  return errorText(t, error);
}

/**
 * For a job whose createTask answer never came: what that means, "Find it on KIE" (paste the
 * task id from KIE's dashboard; core checks it was made from this job's request before it
 * downloads), and "Send again", which asks first because KIE may already have charged.
 */
export function JobRecovery({ job }: { job: Job }) {
  const { t } = useTranslation();
  const [panel, setPanel] = useState<Panel>('closed');
  const [taskId, setTaskId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const tabIndex = useCardTabIndex();
  if (job.state !== 'unknown-outcome') return null;

  const open = (next: Panel) => {
    setPanel(next);
    setError(null);
  };

  const find = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = taskId.trim();
    if (!TASK_ID.test(trimmed)) {
      setError(trimmed === '' ? t('jobs.recovery.taskIdEmpty') : t('jobs.recovery.taskIdFormat'));
      return;
    }
    setBusy(true);
    const result = await api().request('jobs.findOnKie', { id: job.id, taskId: trimmed });
    setBusy(false);
    if (result.ok) {
      setPanel('closed');
      setTaskId('');
      setError(null);
    } else {
      setError(recoveryError(t, result.error));
    }
  };

  const sendAgain = async () => {
    setBusy(true);
    const result = await api().request('jobs.retry', { id: job.id, confirmMayChargeTwice: true });
    setBusy(false);
    if (result.ok) setPanel('closed');
    else setError(recoveryError(t, result.error));
  };

  return (
    <div className="job-recovery" data-testid="job-recovery" data-panel={panel}>
      <p className="job-recovery-text">{t('jobs.recovery.explain')}</p>
      {panel === 'closed' && (
        <div className="job-recovery-actions">
          <button
            tabIndex={tabIndex}
            type="button"
            className="link-button"
            data-testid="find-on-kie"
            onClick={() => open('find')}
          >
            {t('jobs.recovery.find')}
          </button>
          <button
            tabIndex={tabIndex}
            type="button"
            className="link-button"
            data-testid="send-again"
            onClick={() => open('confirm')}
          >
            {t('jobs.recovery.sendAgain')}
          </button>
        </div>
      )}
      {panel === 'find' && (
        <form className="job-recovery-form" onSubmit={(event) => void find(event)} noValidate>
          <label className="field-label" htmlFor={`find-task-${job.id}`}>
            {t('jobs.recovery.taskIdLabel')}
          </label>
          <div className="input-row">
            <input
              tabIndex={tabIndex}
              id={`find-task-${job.id}`}
              type="text"
              data-testid="find-task-input"
              value={taskId}
              maxLength={200}
              autoComplete="off"
              spellCheck={false}
              placeholder={t('jobs.recovery.taskIdPlaceholder')}
              aria-invalid={error !== null}
              onChange={(event) => {
                setTaskId(event.target.value);
                setError(null);
              }}
            />
            <button
              tabIndex={tabIndex}
              type="submit"
              className="primary"
              data-testid="find-task-submit"
              disabled={busy}
            >
              {busy ? t('jobs.recovery.checking') : t('jobs.recovery.check')}
            </button>
            <button tabIndex={tabIndex} type="button" className="secondary" onClick={() => open('closed')}>
              {t('jobs.recovery.back')}
            </button>
          </div>
          <p className="help">{t('jobs.recovery.taskIdHelp')}</p>
        </form>
      )}
      {panel === 'confirm' && (
        <div className="job-recovery-confirm" data-testid="send-again-confirm" role="alertdialog">
          <p className="job-recovery-warning">{t('jobs.recovery.chargeTwice')}</p>
          <div className="input-row">
            <button
              tabIndex={tabIndex}
              type="button"
              className="primary"
              data-testid="send-again-yes"
              disabled={busy}
              onClick={() => void sendAgain()}
            >
              {t('jobs.recovery.sendAgainYes')}
            </button>
            <button tabIndex={tabIndex} type="button" className="secondary" onClick={() => open('closed')}>
              {t('jobs.recovery.back')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="job-recovery-error">
          {error}
        </p>
      )}
    </div>
  );
}
