import { useTranslation } from 'react-i18next';
import type { Job } from '@shared/domain/job';
import { jobSteps } from './jobText';

/** The compact stepper: one segment per step, its name under it, the current one stressed. */
export function JobSteps({ job }: { job: Job }) {
  const { t } = useTranslation();
  const steps = jobSteps(job);
  return (
    <ol className="job-steps" data-testid="job-steps" aria-label={t('jobs.progress')}>
      {steps.map((step) => {
        const name = t(`jobs.steps.${step.name}`);
        return (
          <li
            key={step.name}
            className={`job-step job-step-${step.status}`}
            data-step={step.name}
            data-status={step.status}
            aria-current={step.status === 'now' ? 'step' : undefined}
          >
            <span className="job-step-bar" aria-hidden="true" />
            <span className="job-step-name" aria-hidden="true">
              {name}
            </span>
            <span className="visually-hidden">{t(`jobs.stepStatus.${step.status}`, { step: name })}</span>
          </li>
        );
      })}
    </ol>
  );
}
