import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CLEARABLE_JOB_STATES, type Job } from '@shared/domain/job';
import { api } from '../../ipc/api';
import { useUi } from '../../store/stores';
import { useCardTabIndex } from './cardFocus';
import { isActive, jobDetails } from './jobText';

type CopyState = 'idle' | 'copied' | 'failed';

/** Stop waiting, retry as new, copy the details, the job's log lines, and clear it from the list. */
export function JobActions({ job, onClear }: { job: Job; onClear: () => void }) {
  const { t } = useTranslation();
  const openLogs = useUi((state) => state.openLogs);
  const tabIndex = useCardTabIndex();
  const [copy, setCopy] = useState<CopyState>('idle');

  useEffect(() => {
    if (copy === 'idle') return;
    const timer = setTimeout(() => setCopy('idle'), 2_000);
    return () => clearTimeout(timer);
  }, [copy]);

  const copyDetails = async () => {
    try {
      await navigator.clipboard.writeText(jobDetails(job));
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  // Core refuses to cancel while it is talking to KIE (sending, downloading): no button then.
  const cancellable =
    isActive(job) && job.state !== 'submitting' && job.state !== 'uploading' && job.state !== 'downloading';
  // An unknown-outcome job is sent again from its recovery panel, which asks first.
  const retryable = job.state === 'failed' || job.state === 'cancelled';
  return (
    <div className="job-actions">
      {retryable && (
        <button
          type="button"
          className="link-button"
          data-testid="job-retry"
          tabIndex={tabIndex}
          onClick={() => void api().request('jobs.retry', { id: job.id })}
        >
          {t('jobs.retry')}
        </button>
      )}
      {cancellable && (
        <button
          type="button"
          className="link-button"
          data-testid="job-cancel"
          tabIndex={tabIndex}
          onClick={() => void api().request('jobs.cancel', { id: job.id })}
        >
          {job.kieTaskId === null ? t('jobs.cancelQueued') : t('jobs.cancel')}
        </button>
      )}
      <span className="job-actions-end">
        <button
          type="button"
          className="link-button"
          data-testid="job-copy"
          data-copied={copy}
          tabIndex={tabIndex}
          onClick={() => void copyDetails()}
        >
          {copy === 'copied' ? t('jobs.copied') : copy === 'failed' ? t('jobs.copyFailed') : t('jobs.copy')}
        </button>
        <button
          type="button"
          className="link-button"
          data-testid="job-log"
          tabIndex={tabIndex}
          onClick={() => openLogs({ jobId: job.id })}
        >
          {t('jobs.log')}
        </button>
        {CLEARABLE_JOB_STATES.includes(job.state) && (
          <button
            type="button"
            className="link-button"
            data-testid="job-clear"
            tabIndex={tabIndex}
            title={t('jobs.clearHelp')}
            onClick={onClear}
          >
            {t('jobs.clear')}
          </button>
        )}
      </span>
      <span className="visually-hidden" role="status">
        {copy === 'copied' ? t('jobs.copied') : copy === 'failed' ? t('jobs.copyFailed') : ''}
      </span>
    </div>
  );
}
