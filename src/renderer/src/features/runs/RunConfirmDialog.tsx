import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { QuestionDialog } from '../../components/QuestionDialog';
import { useAbRun } from '../../store/abRun';
import { useCompose } from '../../store/stores';
import { useNumberFormat } from '../compose/useComposeCost';
import { useRunSubmit } from './useRunSubmit';

/** An A/B run's "are you sure" when it costs credits: how many tasks, and what they cost. */
export function RunConfirmDialog() {
  const open = useAbRun((state) => state.confirming);
  return open ? <RunConfirmBody /> : null;
}

function RunConfirmBody() {
  const { t } = useTranslation();
  const format = useNumberFormat();
  const run = useRunSubmit();
  const vary = useAbRun((state) => state.vary);
  // Cancel has the focus: Enter on a dialog that spends credits should not spend them.
  const cancelRef = useRef<HTMLButtonElement>(null);
  const answer = (yes: boolean) => useAbRun.getState().confirm(yes, useCompose.getState());
  const count = format(run?.tasks ?? 0);
  const what =
    vary === 'prompt'
      ? t('runs.varyPrompt')
      : vary === 'model'
        ? t('runs.varyModel')
        : t('runs.varyAspectRatio');
  return (
    <QuestionDialog
      title={t('runs.confirmTitle', { count })}
      body={
        <div className="batch-confirm-body">
          <p>{t('runs.confirmBody', { count, what })}</p>
          <p>{t('compose.batchConfirmCost', { credits: format(run?.total ?? 0) })}</p>
        </div>
      }
      safeRef={cancelRef}
      onDismiss={() => answer(false)}
      testId="run-confirm"
      data-tasks={run?.tasks ?? 0}
    >
      <button ref={cancelRef} type="button" data-testid="run-confirm-cancel" onClick={() => answer(false)}>
        {t('compose.batchConfirmCancel')}
      </button>
      <button type="button" className="primary" data-testid="run-confirm-ok" onClick={() => answer(true)}>
        {t('runs.confirmOk', { count })}
      </button>
    </QuestionDialog>
  );
}
