import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CLEARABLE_JOB_STATES, type Job, type JobClearInput } from '@shared/domain/job';
import { Popover } from '../../components/Popover';
import { api } from '../../ipc/api';
import { useJobs } from '../../store/stores';
import { toastError } from '../../store/toasts';
import { JobCard } from './JobCard';
import { isActive, listOrder } from './jobText';

/** How long a card brought into view by a notification or a toast stays marked. */
const REVEAL_MS = 2_000;

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

/** Card to card with the arrow keys, Home and End (only when a card itself has the focus). */
const MOVES: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (index, count) => Math.min(count - 1, index + 1),
  ArrowUp: (index) => Math.max(0, index - 1),
  Home: () => 0,
  End: (_index, count) => count - 1,
};

function findCard(list: HTMLElement | null, id: string): HTMLElement | null {
  return list?.querySelector<HTMLElement>(`li[data-job-id="${CSS.escape(id)}"]`) ?? null;
}

/**
 * The job list: a panel of its own height that scrolls, the jobs on their way first. Ended jobs
 * can be cleared (one, every finished one, every failed one); their images stay in the gallery.
 */
export function JobList() {
  const { t } = useTranslation();
  const { byId, order, queue } = useJobs();
  const jobs = listOrder(order.map((id) => byId[id]).filter((job): job is Job => job !== undefined));
  const now = useNow(jobs.some(isActive));
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const current = jobs.some((job) => job.id === currentId) ? currentId : (jobs[0]?.id ?? null);

  const card = (id: string) => findCard(listRef.current, id);
  const focusCard = (id: string) => {
    setCurrentId(id);
    card(id)?.focus();
  };
  /** After a clear took the focused card away: the focus goes on in the list, not to the page. */
  const keepFocus = (next: string | null) =>
    requestAnimationFrame(() => {
      if (document.activeElement !== document.body) return;
      if (next !== null && card(next)) focusCard(next);
      else titleRef.current?.focus();
    });

  // A notification or a toast asked to see a job: into view, focused (which makes it current).
  useEffect(
    () =>
      useJobs.subscribe((state, previous) => {
        if (!state.revealed || state.revealed === previous.revealed) return;
        const element = findCard(listRef.current, state.revealed.id);
        if (!element) return;
        element.scrollIntoView({ block: 'nearest' });
        element.focus({ preventScroll: true });
        setFlash(state.revealed.id);
      }),
    [],
  );
  useEffect(() => {
    if (flash === null) return;
    const timer = setTimeout(() => setFlash(null), REVEAL_MS);
    return () => clearTimeout(timer);
  }, [flash]);

  const clear = async (input: JobClearInput, next: string | null) => {
    const error = await useJobs.getState().clear(input);
    if (error) toastError(error);
    else keepFocus(next);
  };
  const clearOne = (id: string) => {
    const index = jobs.findIndex((job) => job.id === id);
    void clear({ scope: 'job', id }, jobs[index + 1]?.id ?? jobs[index - 1]?.id ?? null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    const move = MOVES[event.key];
    const target = event.target as HTMLElement;
    if (!move || target.dataset['testid'] !== 'job-item') return;
    const index = jobs.findIndex((job) => job.id === target.dataset['jobId']);
    const next = jobs[move(index, jobs.length)];
    if (next) focusCard(next.id);
    event.preventDefault();
  };

  const finished = jobs.filter((job) => CLEARABLE_JOB_STATES.includes(job.state)).length;
  const failed = jobs.filter((job) => job.state === 'failed').length;
  const firstLive = jobs.find((job) => isActive(job) || job.state === 'unknown-outcome')?.id ?? null;
  // Offline has its own banner above everything (OfflineBanner).
  const paused = queue?.paused && queue.reason && queue.reason !== 'offline' && (
    <div className="alert alert-warn" role="status" data-testid="queue-paused">
      <strong>{t('jobs.queuePaused')}</strong> {t(`pause.${queue.reason}`)}{' '}
      {queue.pending > 0 && t('jobs.pending', { count: queue.pending })}
    </div>
  );
  return (
    <section className="panel jobs" aria-label={t('jobs.title')} data-testid="jobs-panel">
      <div className="panel-head">
        <h2 className="panel-title" ref={titleRef} tabIndex={-1}>
          {t('jobs.title')}
        </h2>
        {finished > 0 && (
          <Popover
            testId="jobs-clear-menu"
            className="job-clear-menu"
            label={t('jobs.clearMenu')}
            ariaLabel={t('jobs.clearMenuLabel')}
          >
            {(close) => (
              <div className="job-clear-options">
                <button
                  type="button"
                  className="secondary"
                  data-testid="jobs-clear-finished"
                  onClick={() => {
                    close();
                    void clear({ scope: 'finished' }, firstLive);
                  }}
                >
                  {t('jobs.clearFinished')}
                </button>
                <button
                  type="button"
                  className="secondary"
                  data-testid="jobs-clear-failed"
                  disabled={failed === 0}
                  onClick={() => {
                    close();
                    void clear({ scope: 'failed' }, firstLive);
                  }}
                >
                  {t('jobs.clearFailed')}
                </button>
                <p className="help">{t('jobs.clearHelp')}</p>
              </div>
            )}
          </Popover>
        )}
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
      {jobs.length === 0 ? (
        <>
          {paused}
          <p className="empty">{t('jobs.empty')}</p>
        </>
      ) : (
        // The pause notice scrolls with the list: on a low window it must not take the list's room.
        <div className="job-scroll" data-testid="job-scroll">
          {paused}
          <p id="job-list-keys" className="visually-hidden">
            {t('jobs.keysHelp')}
          </p>
          <ol
            className="job-list"
            data-testid="job-list"
            ref={listRef}
            aria-describedby="job-list-keys"
            onKeyDown={onKeyDown}
            onFocus={(event) => {
              const id = (event.target as HTMLElement).closest<HTMLElement>('li[data-job-id]')?.dataset[
                'jobId'
              ];
              if (id !== undefined && id !== currentId) setCurrentId(id);
            }}
          >
            {jobs.map((job) => (
              <JobCard
                key={job.id}
                job={job}
                now={now}
                current={job.id === current}
                revealed={job.id === flash}
                onClear={() => clearOne(job.id)}
              />
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
