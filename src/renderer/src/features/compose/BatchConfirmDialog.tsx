import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { promptsOf } from '../../store/composeRules';
import { useCompose } from '../../store/stores';
import { useComposeCost, useNumberFormat } from './useComposeCost';
import { QuestionDialog } from '../../components/QuestionDialog';

/** Batch mode's "are you sure": how many tasks the lines make, and what they cost. */
export function BatchConfirmDialog() {
  const open = useCompose((state) => state.batchConfirm);
  return open ? <BatchConfirmBody /> : null;
}

function BatchConfirmBody() {
  const { t } = useTranslation();
  const format = useNumberFormat();
  const confirm = useCompose((state) => state.confirmBatch);
  const prompts = useCompose((state) => promptsOf(state.prompt, true).length);
  const images = useCompose((state) => state.imagesPerPrompt);
  const cost = useComposeCost();
  // Cancel has the focus: Enter on a dialog that spends credits should not spend them.
  const cancelRef = useRef<HTMLButtonElement>(null);

  const counts = { prompts: format(prompts), images: format(images), tasks: format(cost.tasks) };
  return (
    <QuestionDialog
      title={t('compose.batchConfirmTitle', counts)}
      body={
        <div className="batch-confirm-body">
          <p>{t('compose.batchConfirmTasks', counts)}</p>
          <p>
            {cost.demo
              ? t('compose.batchConfirmDemo')
              : t('compose.batchConfirmCost', { credits: format(cost.total) })}
          </p>
        </div>
      }
      safeRef={cancelRef}
      onDismiss={() => confirm(false)}
      testId="batch-confirm"
      data-tasks={cost.tasks}
    >
      <button ref={cancelRef} type="button" data-testid="batch-confirm-cancel" onClick={() => confirm(false)}>
        {t('compose.batchConfirmCancel')}
      </button>
      <button type="button" className="primary" data-testid="batch-confirm-ok" onClick={() => confirm(true)}>
        {t('compose.batchConfirmOk', counts)}
      </button>
    </QuestionDialog>
  );
}
