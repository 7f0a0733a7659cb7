import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Job } from '@shared/domain/job';
import { MODELS } from '@shared/domain/models';
import { api } from '../../ipc/api';
import { useReferenceCache } from '../../store/referenceCache';
import { useJobs } from '../../store/stores';
import { elapsedSeconds, formatElapsed, formatStarted } from './elapsed';
import { JobActions } from './JobActions';
import { JobProblem } from './JobProblem';
import { JobRecovery } from './JobRecovery';
import { JobSteps } from './JobSteps';
import { isActive } from './jobText';

/** Ticks once a second while any job is active, so elapsed times move. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const tick = () => setNow(Date.now());
    // At once too: the clock may have stood still since the last active job.
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [active]);
  return now;
}

export function JobList() {
  const { t } = useTranslation();
  const { byId, order, queue } = useJobs();
  const jobs = order.map((id) => byId[id]).filter((job): job is Job => job !== undefined);
  const now = useNow(jobs.some(isActive));
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
      {/* Offline has its own banner above everything (OfflineBanner). */}
      {queue?.paused && queue.reason && queue.reason !== 'offline' && (
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
  const { t, i18n } = useTranslation();
  const spec = MODELS[job.params.model];
  const active = isActive(job);
  return (
    <li className={`job job-${job.state}`} data-testid="job-item" data-job-id={job.id} data-state={job.state}>
      <div className="job-top">
        <p className="job-prompt" title={job.params.prompt}>
          {job.params.prompt}
        </p>
        <span
          className="job-elapsed"
          data-testid="job-elapsed"
          data-active={active}
          title={t('jobs.started', { time: formatStarted(job.createdAt, i18n.language, now) })}
        >
          {formatElapsed(elapsedSeconds(job, now), i18n.language)}
        </span>
      </div>
      <div className="job-meta">
        <span>{t(`models.${spec.labelKey}`)}</span>
        <span>{job.params.aspectRatio}</span>
        {job.params.resolution && <span>{job.params.resolution}</span>}
        {job.demo && <span className="badge badge-demo">{t('jobs.demo')}</span>}
        <span className="job-state" data-testid="job-state">
          {job.state === 'uploading' && job.progress
            ? t('jobs.uploadingProgress', { done: job.progress.done, total: job.progress.total })
            : t(`states.${job.state}`)}
        </span>
      </div>
      {(job.params.references?.length ?? 0) > 0 && <JobReferences ids={job.params.references ?? []} />}
      <JobSteps job={job} />
      <JobProblem job={job} />
      <JobRecovery job={job} />
      <JobActions job={job} />
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
