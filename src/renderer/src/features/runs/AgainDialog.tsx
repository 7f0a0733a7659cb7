import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { MODELS, modelIdSchema } from '@shared/domain/models';
import { costOf } from '@shared/domain/pricing';
import { MAX_AGAIN } from '@shared/ipc/runRoutes';
import { errorText } from '../../components/errorText';
import { QuestionDialog } from '../../components/QuestionDialog';
import { useAgain } from '../../store/again';
import { creditStanding } from '../../store/composeRules';
import { useCredits, useSettings, useUi } from '../../store/stores';
import { useNumberFormat } from '../compose/useComposeCost';
import { missingNames } from './runText';
import './runs.css';

const COUNTS = Array.from({ length: MAX_AGAIN }, (_, index) => index + 1);

/** "Again ×N": how many, what it costs, and which references are gone, before anything is sent. */
export function AgainDialog() {
  const open = useAgain((state) => state.image !== null);
  return open ? <AgainBody /> : null;
}

function AgainBody() {
  const { t } = useTranslation();
  const format = useNumberFormat();
  const id = useId();
  const image = useAgain((state) => state.image);
  const count = useAgain((state) => state.count);
  const missing = useAgain((state) => state.missing);
  const sending = useAgain((state) => state.sending);
  const error = useAgain((state) => state.error);
  const { close, setCount, send } = useAgain.getState();
  const view = useSettings((state) => state.view);
  const credits = useCredits((state) => state.credits);
  const connected = useUi((state) => state.connection === 'connected');
  // Cancel has the focus: Enter on a dialog that spends credits should not spend them.
  const cancelRef = useRef<HTMLButtonElement>(null);
  const model = modelIdSchema.safeParse(image?.params.model).data;
  if (!image || !model) return null;

  const demo = view?.demoMode ?? false;
  const perImage = costOf(model, image.params.resolution, view?.costOverrides ?? {});
  const total = perImage * count;
  const standing = creditStanding(credits, demo, perImage, total);
  const blocked =
    missing === null || missing.length > 0 || standing === 'insufficient' || sending || !connected;
  const references = image.params.references?.length ?? 0;

  return (
    <QuestionDialog
      title={t('runs.againTitle')}
      body={
        <div className="again-body">
          <p className="again-prompt" title={image.params.prompt}>
            {image.params.prompt}
          </p>
          <p className="help" data-testid="again-settings">
            {t('runs.againSettings', {
              model: t(`models.${MODELS[model].labelKey}`),
              ratio: image.params.aspectRatio === 'auto' ? t('compose.auto') : image.params.aspectRatio,
              references: format(references),
            })}
          </p>
          <fieldset className="again-count" data-testid="again-count">
            <legend id={`${id}-count`}>{t('runs.againCount')}</legend>
            <div className="run-segments" role="radiogroup" aria-labelledby={`${id}-count`}>
              {COUNTS.map((value) => (
                <label key={value} className={value === count ? 'run-segment run-segment-on' : 'run-segment'}>
                  <input
                    type="radio"
                    name={`${id}-count`}
                    value={value}
                    data-testid={`again-count-${value}`}
                    checked={value === count}
                    onChange={() => setCount(value)}
                  />
                  <span>{format(value)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <p data-testid="again-cost" data-credits={demo ? 0 : total}>
            {demo
              ? t('compose.batchConfirmDemo')
              : t('runs.againCost', { count: format(count), each: format(perImage), credits: format(total) })}
          </p>
          {missing === null && (
            <p className="help" aria-busy="true">
              {t('runs.againChecking')}
            </p>
          )}
          {missing !== null && missing.length > 0 && (
            <div className="alert alert-error" role="alert" data-testid="again-missing">
              <p>{t('runs.againMissing', { names: missingNames(t, missing) })}</p>
            </div>
          )}
          {standing === 'insufficient' && (
            <div className="alert alert-error" role="alert" data-testid="again-insufficient">
              <p>
                {t('compose.insufficient', {
                  cost: format(total),
                  balance: format(credits?.balance ?? 0),
                })}
              </p>
            </div>
          )}
          {error && !(missing && missing.length > 0) && (
            <div className="alert alert-error" role="alert" data-testid="again-error">
              <p>{errorText(t, error)}</p>
            </div>
          )}
        </div>
      }
      safeRef={cancelRef}
      onDismiss={close}
      testId="again-dialog"
      data-count={count}
    >
      <button ref={cancelRef} type="button" data-testid="again-cancel" onClick={close}>
        {t('compose.batchConfirmCancel')}
      </button>
      <button
        type="button"
        className="primary"
        data-testid="again-ok"
        disabled={blocked}
        onClick={() => void send()}
      >
        {sending ? t('compose.submitting') : t('runs.againOk', { count: format(count) })}
      </button>
    </QuestionDialog>
  );
}
