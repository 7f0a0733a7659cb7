import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useConfirm, type ConfirmRequest } from '../store/confirm';
import { useAlertDialog } from './useAlertDialog';

export function ConfirmDialog() {
  const pending = useConfirm((state) => state.pending);
  return pending ? <ConfirmBody request={pending} /> : null;
}

function ConfirmBody({ request }: { request: ConfirmRequest }) {
  const { t } = useTranslation();
  const id = useId();
  const answer = useConfirm((state) => state.answer);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useAlertDialog(cancelRef, () => answer(false));

  const text =
    request.kind === 'purge'
      ? {
          title: t('confirm.purgeTitle'),
          body: t('confirm.purgeBody', { count: request.count }),
          ok: t('confirm.purgeOk'),
        }
      : request.kind === 'forget'
        ? {
            title: t('confirm.forgetTitle'),
            body: t('confirm.forgetBody', { count: request.count }),
            ok: t('confirm.forgetOk'),
          }
        : {
            title: t('confirm.deleteAlbumTitle'),
            body: t('confirm.deleteAlbumBody', { name: request.name }),
            ok: t('confirm.deleteAlbumOk'),
          };

  return (
    <div
      className="overlay overlay-top"
      onMouseDown={(event) => event.target === event.currentTarget && answer(false)}
    >
      <div
        className="dialog dialog-small"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        data-testid="confirm-dialog"
      >
        <h2 id={`${id}-title`}>{text.title}</h2>
        <p id={`${id}-body`}>{text.body}</p>
        <div className="dialog-actions">
          <button ref={cancelRef} type="button" data-testid="confirm-cancel" onClick={() => answer(false)}>
            {t('confirm.cancel')}
          </button>
          <button
            type="button"
            className="danger-button solid"
            data-testid="confirm-ok"
            onClick={() => answer(true)}
          >
            {text.ok}
          </button>
        </div>
      </div>
    </div>
  );
}
