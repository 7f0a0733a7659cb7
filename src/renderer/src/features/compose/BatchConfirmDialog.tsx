import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { promptsOf } from '../../store/composeRules';
import { useCompose } from '../../store/stores';
import { useComposeCost, useNumberFormat } from './useComposeCost';
import { useAlertDialog } from '../../components/useAlertDialog';

/** Batch mode's "are you sure": how many tasks the lines make, and what they cost. */
export function BatchConfirmDialog() {
  const open = useCompose((state) => state.batchConfirm);
  return open ? <BatchConfirmBody /> : null;
}

function BatchConfirmBody() {
  const { t } = useTranslation();
  const id = useId();
  const format = useNumberFormat();
  const confirm = useCompose((state) => state.confirmBatch);
  const prompts = useCompose((state) => promptsOf(state.prompt, true).length);
  const images = useCompose((state) => state.imagesPerPrompt);
  const cost = useComposeCost();
  // Cancel has the focus: Enter on a dialog that spends credits should not spend them.
  const cancelRef = useRef<HTMLButtonElement>(null);

  useAlertDialog(cancelRef, () => confirm(false));

  const counts = { prompts: format(prompts), images: format(images), tasks: format(cost.tasks) };
  return (
    <div
      className="overlay overlay-top"
      onMouseDown={(event) => event.target === event.currentTarget && confirm(false)}
    >
      <div
        className="dialog dialog-small"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        data-testid="batch-confirm"
        data-tasks={cost.tasks}
      >
        <h2 id={`${id}-title`}>{t('compose.batchConfirmTitle', counts)}</h2>
        <div id={`${id}-body`} className="batch-confirm-body">
          <p>{t('compose.batchConfirmTasks', counts)}</p>
          <p>
            {cost.demo
              ? t('compose.batchConfirmDemo')
              : t('compose.batchConfirmCost', { credits: format(cost.total) })}
          </p>
        </div>
        <div className="dialog-actions">
          <button
            ref={cancelRef}
            type="button"
            data-testid="batch-confirm-cancel"
            onClick={() => confirm(false)}
          >
            {t('compose.batchConfirmCancel')}
          </button>
          <button
            type="button"
            className="primary"
            data-testid="batch-confirm-ok"
            onClick={() => confirm(true)}
          >
            {t('compose.batchConfirmOk', counts)}
          </button>
        </div>
      </div>
    </div>
  );
}
