import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { QuestionDialog } from '../../components/QuestionDialog';
import { useStorageQuestion } from '../../store/secrets';

/**
 * Asked before the first secret is saved on a system without a keyring: store it obfuscated, or
 * keep it for this session only. The safe answer has the focus; Esc or a click outside saves
 * nothing and leaves the question for next time.
 */
export function StorageQuestionDialog() {
  const open = useStorageQuestion((state) => state.open);
  return open ? <StorageQuestionBody /> : null;
}

function StorageQuestionBody() {
  const { t } = useTranslation();
  const answer = useStorageQuestion((state) => state.answer);
  const sessionRef = useRef<HTMLButtonElement>(null);

  return (
    <QuestionDialog
      title={t('secrets.askTitle')}
      body={
        <>
          <p>{t('secrets.askBody')}</p>
          <p className="help">{t('secrets.askHint')}</p>
        </>
      }
      safeRef={sessionRef}
      onDismiss={() => answer(null)}
      testId="storage-question"
    >
      <div className="dialog-actions-stacked">
        <button
          ref={sessionRef}
          type="button"
          className="primary"
          data-testid="storage-session"
          onClick={() => answer('session')}
        >
          {t('secrets.choices.session')}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="storage-store"
          onClick={() => answer('store')}
        >
          {t('secrets.choices.store')}
        </button>
      </div>
    </QuestionDialog>
  );
}
