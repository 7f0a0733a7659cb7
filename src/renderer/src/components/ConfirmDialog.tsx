import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useConfirm, type ConfirmRequest } from '../store/confirm';
import { QuestionDialog } from './QuestionDialog';

export function ConfirmDialog() {
  const pending = useConfirm((state) => state.pending);
  return pending ? <ConfirmBody request={pending} /> : null;
}

function ConfirmBody({ request }: { request: ConfirmRequest }) {
  const { t } = useTranslation();
  const answer = useConfirm((state) => state.answer);
  // Cancel has the focus, so a stray Enter never confirms.
  const cancelRef = useRef<HTMLButtonElement>(null);

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
    <QuestionDialog
      title={text.title}
      body={<p>{text.body}</p>}
      safeRef={cancelRef}
      onDismiss={() => answer(false)}
      testId="confirm-dialog"
    >
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
    </QuestionDialog>
  );
}
