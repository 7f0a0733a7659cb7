import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Job, JobState } from '@shared/domain/job';
import { MODELS } from '@shared/domain/models';
import { api } from '../../ipc/api';
import { errorText } from '../../components/errorText';
import { useReferenceCache } from '../../store/referenceCache';
import { useJobs, useUi } from '../../store/stores';

const STEPS: JobState[] = ['queued', 'submitting', 'generating', 'downloading', 'done'];
const STEP_OF: Partial<Record<JobState, number>> = {
  queued: 0,
  uploading: 1,
  submitting: 1,
  submitted: 2,
  waiting: 2,
  queuing: 2,
  generating: 2,
  downloading: 3,
  done: 4,
};
const ACTIVE: JobState[] = [
  'queued',
  'uploading',
  'submitting',
  'submitted',
  'waiting',
  'queuing',
  'generating',
  'downloading',
];

/** Ticks once a second while any job is active, so elapsed times move. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function JobList() {
  const { t } = useTranslation();
  const { byId, order, queue } = useJobs();
  const jobs = order.map((id) => byId[id]).filter((job): job is Job => job !== undefined);
  const now = useNow(jobs.some((job) => ACTIVE.includes(job.state)));
  return (
    <section className="panel jobs" aria-label={t('jobs.title')}>
      <div className="panel-head">
        <h2 className="panel-title">{t('jobs.title')}</h2>
        {queue && (
          <button
            type="button"
            className="link-button"
            data-testid="queue-toggle"
            onClick={() => void api().request(queue.paused ? 'queue.resume' : 'queue.pause', {})}
          >
            {queue.paused ? t('jobs.resume') : t('jobs.pause')}
          </button>
        )}
      </div>
      {queue?.paused && queue.reason && (
        <div className="alert alert-warn" role="status" data-testid="queue-paused">
          <strong>{t('jobs.queuePaused')}</strong> {t(`pause.${queue.reason}`)}{' '}
          {queue.pending > 0 && t('jobs.pending', { count: queue.pending })}
        </div>
      )}
      {jobs.length === 0 ? (
        <p className="empty">{t('jobs.empty')}</p>
      ) : (
        <ol className="job-list" data-testid="job-list">
          {jobs.map((job) => (
            <JobItem key={job.id} job={job} now={now} />
          ))}
        </ol>
      )}
    </section>
  );
}

function JobItem({ job, now }: { job: Job; now: number }) {
  const { t } = useTranslation();
  const openLogs = useUi((state) => state.openLogs);
  const step = STEP_OF[job.state];
  const active = ACTIVE.includes(job.state);
  const seconds = Math.max(
    0,
    Math.round(((active ? now : Date.parse(job.updatedAt)) - Date.parse(job.createdAt)) / 1000),
  );
  const spec = MODELS[job.params.model];
  return (
    <li className={`job job-${job.state}`} data-testid="job-item" data-job-id={job.id} data-state={job.state}>
      <div className="job-top">
        <p className="job-prompt" title={job.params.prompt}>
          {job.params.prompt}
        </p>
        <span className="job-elapsed">{t('jobs.elapsed', { seconds })}</span>
      </div>
      <div className="job-meta">
        <span>{t(`models.${spec.labelKey}`)}</span>
        <span>{job.params.aspectRatio}</span>
        {job.demo && <span className="badge badge-demo">{t('jobs.demo')}</span>}
        <span className="job-state" data-testid="job-state">
          {job.state === 'uploading' && job.progress
            ? t('jobs.uploadingProgress', { done: job.progress.done, total: job.progress.total })
            : t(`states.${job.state}`)}
        </span>
      </div>
      {(job.params.references?.length ?? 0) > 0 && <JobReferences ids={job.params.references ?? []} />}
      {step !== undefined && (
        <ol className="steps" aria-hidden="true">
          {STEPS.map((name, index) => (
            <li
              key={name}
              className={index < step ? 'step step-done' : index === step ? 'step step-now' : 'step'}
            />
          ))}
        </ol>
      )}
      {job.error && (job.state === 'failed' || job.state === 'unknown-outcome' || job.state === 'queued') && (
        <p className="job-error" data-testid="job-error" role={job.state === 'queued' ? undefined : 'alert'}>
          {errorText(t, job.error)} {chargeNote(t, job)}
        </p>
      )}
      <div className="job-actions">
        <button
          type="button"
          className="link-button"
          data-testid="job-log"
          onClick={() => openLogs({ jobId: job.id })}
        >
          {t('jobs.log')}
        </button>
        {(job.state === 'failed' || job.state === 'unknown-outcome' || job.state === 'cancelled') && (
          <button
            type="button"
            className="link-button"
            data-testid="job-retry"
            onClick={() => void api().request('jobs.retry', { id: job.id })}
          >
            {t('jobs.retry')}
          </button>
        )}
        {active && job.state !== 'submitting' && job.state !== 'uploading' && job.state !== 'downloading' && (
          <button
            type="button"
            className="link-button"
            data-testid="job-cancel"
            onClick={() => void api().request('jobs.cancel', { id: job.id })}
          >
            {job.kieTaskId === null ? t('jobs.cancelQueued') : t('jobs.cancel')}
          </button>
        )}
      </div>
    </li>
  );
}

/** The job's reference images, in the order they were sent; ids are resolved once and cached. */
function JobReferences({ ids }: { ids: string[] }) {
  const { t } = useTranslation();
  const byId = useReferenceCache((state) => state.byId);
  const resolve = useReferenceCache((state) => state.resolve);
  const key = ids.join(',');
  useEffect(() => {
    void resolve(key.split(','));
  }, [key, resolve]);
  return (
    <ol className="job-references" data-testid="job-references" aria-label={t('jobs.references')}>
      {ids.map((id, index) => {
        const reference = byId[id];
        return (
          <li key={id} data-testid="job-reference" data-reference-id={id} title={reference?.name}>
            {reference ? (
              <img src={reference.thumbUrl} alt={t('jobs.referenceAlt', { number: index + 1 })} />
            ) : (
              <span
                className="job-reference-missing"
                aria-label={t('jobs.referenceAlt', { number: index + 1 })}
              >
                {index + 1}
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function chargeNote(t: (key: string) => string, job: Job): string {
  if (!job.error || job.state === 'queued') return '';
  if (job.error.code === 'UNKNOWN_OUTCOME') return t('jobs.mayBeCharged');
  if (job.error.code === 'CONTENT_REJECTED') return `${t('jobs.rephrase')} ${t('jobs.notCharged')}`;
  if (job.kieTaskId === null) return t('jobs.notCharged');
  if (job.error.code === 'GENERATION_FAILED') return t('jobs.notCharged');
  return t('jobs.charged');
}
