import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LogEntryView } from '@shared/domain/log';
import { Modal } from '../../components/Modal';
import { api } from '../../ipc/api';
import { useUi } from '../../store/stores';
import { CloseButton } from '../../components/CloseButton';

/** The latest log lines (secrets already redacted by core), all or for one job. */
export function LogDialog() {
  const logs = useUi((state) => state.logs);
  return logs ? <LogBody jobId={logs.jobId} /> : null;
}

function LogBody({ jobId }: { jobId: string | null }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const openLogs = useUi((state) => state.openLogs);
  const [entries, setEntries] = useState<LogEntryView[] | null>(null);
  const [onlyJob, setOnlyJob] = useState(jobId !== null);

  useEffect(() => {
    let live = true;
    void api()
      .request('logs.list', { jobId: onlyJob ? jobId : null, limit: 500 })
      .then((result) => live && setEntries(result.ok ? result.value : []));
    return () => {
      live = false;
    };
  }, [jobId, onlyJob]);

  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' });
  return (
    <Modal
      className="dialog dialog-wide"
      aria-labelledby={`${id}-title`}
      data-testid="log-dialog"
      onClose={() => openLogs(null)}
    >
      <div className="dialog-head">
        <h2 id={`${id}-title`}>{t('logs.title')}</h2>
        <CloseButton label={t('logs.close')} testId="log-close" onClick={() => openLogs(null)} />
      </div>
      {jobId !== null && (
        <label className="toggle">
          <input type="checkbox" checked={onlyJob} onChange={(event) => setOnlyJob(event.target.checked)} />
          <span>{t('logs.onlyThisJob')}</span>
        </label>
      )}
      {entries === null ? null : entries.length === 0 ? (
        <p className="empty">{t('logs.empty')}</p>
      ) : (
        <ol className="log-list" data-testid="log-list">
          {entries.map((entry, index) => (
            <li key={`${entry.time}-${index}`} className={`log log-${entry.level}`}>
              <span className="log-time">{time.format(new Date(entry.time))}</span>
              <span className="log-message">{entry.message}</span>
              {entry.fields && <code className="log-fields">{entry.fields}</code>}
            </li>
          ))}
        </ol>
      )}
    </Modal>
  );
}
