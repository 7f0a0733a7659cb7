import { useEffect, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CLEARABLE_JOB_STATES, type Job } from '@shared/domain/job';
import { MODELS } from '@shared/domain/models';
import { useReferenceCache } from '../../store/referenceCache';
import { useJobImages } from '../../store/jobImages';
import { useViewer } from '../../store/viewer';
import { CardTabIndex } from './cardFocus';
import { elapsedSeconds, formatElapsed, formatStarted } from './elapsed';
import { JobActions } from './JobActions';
import { JobImages } from './JobImages';
import { JobProblem } from './JobProblem';
import { JobRecovery } from './JobRecovery';
import { JobSteps } from './JobSteps';
import { isActive } from './jobText';

interface JobCardProps {
  job: Job;
  now: number;
  /** The card in the Tab order (roving focus, see cardFocus.ts). */
  current: boolean;
  /** Just brought into view by a notification or a toast: shown for a moment. */
  revealed: boolean;
  onClear: () => void;
}

/**
 * One job, compact: its images (links to the viewer), prompt and time, model and state, the step
 * bar, why it stopped, and its actions. The card itself is one Tab stop
 * with Enter (open the image) and Delete (clear a finished job) on it.
 */
export function JobCard({ job, now, current, revealed, onClear }: JobCardProps) {
  const { t, i18n } = useTranslation();
  const spec = MODELS[job.params.model];
  const active = isActive(job);
  const stateText =
    job.state === 'uploading' && job.progress
      ? t('jobs.uploadingProgress', { done: job.progress.done, total: job.progress.total })
      : t(`states.${job.state}`);

  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>) => {
    if (event.target !== event.currentTarget) return;
    const first = job.imageIds[0];
    if (event.key === 'Enter' && first !== undefined) {
      const image = useJobImages.getState().byId[first];
      if (image !== null) useViewer.getState().open(first, image);
      event.preventDefault();
    } else if (
      (event.key === 'Delete' || event.key === 'Backspace') &&
      CLEARABLE_JOB_STATES.includes(job.state)
    ) {
      onClear();
      event.preventDefault();
    }
  };

  return (
    <li
      className={`job job-${job.state}`}
      data-testid="job-item"
      data-job-id={job.id}
      data-state={job.state}
      data-current={current}
      data-revealed={revealed || undefined}
      tabIndex={current ? 0 : -1}
      aria-label={t('jobs.cardLabel', { prompt: job.params.prompt, state: stateText })}
      onKeyDown={onKeyDown}
    >
      <CardTabIndex.Provider value={current ? 0 : -1}>
        <div className="job-top">
          {job.imageIds.length > 0 && <JobImages ids={job.imageIds} />}
          <div className="job-head">
            <div className="job-line">
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
                {stateText}
              </span>
            </div>
          </div>
        </div>
        {(job.params.references?.length ?? 0) > 0 && <JobReferences ids={job.params.references ?? []} />}
        <JobSteps job={job} />
        <JobProblem job={job} />
        <JobRecovery job={job} />
        <JobActions job={job} onClear={onClear} />
      </CardTabIndex.Provider>
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
