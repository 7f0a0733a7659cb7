import { useTranslation } from 'react-i18next';
import type { Job } from '@shared/domain/job';
import { errorText } from '../../components/errorText';
import { chargeNote, jobCause, kieMessage } from './jobText';

/**
 * Why a job stopped, in plain words by cause, KIE's own words when it gave any, and whether
 * credits were charged. A job waiting after a pause gets the same words, quietly.
 */
export function JobProblem({ job }: { job: Job }) {
  const { t } = useTranslation();
  const cause = jobCause(job);
  const charge = chargeNote(job);
  if (cause === null && charge === null) return null;
  const waiting = job.state === 'queued';
  const kie = kieMessage(job);
  // 'other' has no words of its own: the error's generic text, which already quotes KIE.
  const generic = cause === 'other' && job.error !== null;
  const explanation =
    cause === null ? null : generic && job.error ? errorText(t, job.error) : t(`jobs.causes.${cause}`);
  return (
    <div
      className={waiting ? 'job-problem job-problem-waiting' : 'job-problem'}
      data-testid="job-error"
      data-cause={cause ?? undefined}
      data-charge={charge ?? undefined}
      role={waiting || job.state === 'cancelled' ? undefined : 'alert'}
    >
      {explanation && <p className="job-problem-text">{explanation}</p>}
      {kie && !generic && <p className="job-problem-kie">{t('errors.detail', { message: kie })}</p>}
      {charge && (
        <p className={`job-charge job-charge-${charge}`} data-testid="job-charge">
          {t(`jobs.charge.${charge}`)}
        </p>
      )}
    </div>
  );
}
