import { useTranslation } from 'react-i18next';
import { MODELS } from '@shared/domain/models';
import { errorText } from '../../components/errorText';
import { LOW_BALANCE_IMAGES } from '../../store/composeRules';
import { referencesBlockSubmit } from '../../store/referenceRules';
import { composeProblem, useCompose, useCredits, useUi } from '../../store/stores';
import { useRunSubmit } from '../runs/useRunSubmit';
import { useComposeCost, useNumberFormat } from './useComposeCost';

/**
 * Generate with its cost, what the balance says to it, and how the last submit went. It sticks
 * to the bottom of the sidebar, so a long prompt or a full reference tray never pushes Generate
 * out of the window.
 */
export function SubmitBar() {
  const { t } = useTranslation();
  const format = useNumberFormat();
  const compose = useCompose();
  const refreshCredits = useCredits((state) => state.refresh);
  const creditsLoading = useCredits((state) => state.loading);
  const openSettings = useUi((state) => state.openSettings);
  const connected = useUi((state) => state.connection === 'connected');
  const single = useComposeCost();
  // In A/B mode Generate sends the run: its own tasks, cost and checks.
  const run = useRunSubmit();
  const cost = run ? { ...single, ...run } : single;
  const balance = cost.credits?.balance ?? 0;
  const modelName = t(`models.${MODELS[compose.model].labelKey}`);
  const disabled =
    (run
      ? run.problem !== null || run.submitting
      : composeProblem(compose.prompt, compose.model, compose.batch) !== null) ||
    referencesBlockSubmit(compose.model, compose.references) ||
    cost.standing === 'insufficient' ||
    compose.submitting ||
    compose.pending.length > 0 ||
    !connected;
  const progress = compose.progress;

  return (
    <div className="submit-bar" data-testid="submit-bar">
      {cost.standing === 'low' && (
        <div className="alert alert-warn" role="status" data-testid="low-balance">
          <p>
            {t('compose.lowBalance', {
              balance: format(balance),
              images: format(LOW_BALANCE_IMAGES),
              model: modelName,
            })}
          </p>
        </div>
      )}
      {cost.standing === 'insufficient' && (
        <div className="alert alert-error" role="alert" data-testid="insufficient-credits">
          <p>{t('compose.insufficient', { cost: format(cost.total), balance: format(balance) })}</p>
          <button
            type="button"
            className="link-button"
            data-testid="refresh-credits"
            disabled={creditsLoading}
            onClick={() => void refreshCredits()}
          >
            {t('compose.refreshBalance')}
          </button>
        </div>
      )}

      <button
        type="button"
        className="primary submit"
        data-testid="submit-button"
        disabled={disabled}
        onClick={compose.requestSubmit}
        title={connected ? t('compose.shortcut') : t('app.notConnected')}
      >
        <span>
          {run
            ? run.submitting
              ? t('compose.submitting')
              : t('runs.submit', { count: format(run.tasks) })
            : compose.submitting && progress && progress.total > 1
              ? t('compose.sendingMany', { sent: format(progress.sent), total: format(progress.total) })
              : compose.submitting
                ? t('compose.submitting')
                : t('compose.submit')}
        </span>
        <span className="submit-cost" data-testid="submit-cost" data-credits={cost.demo ? 0 : cost.total}>
          {cost.demo ? t('compose.costDemo') : t('compose.cost', { credits: format(cost.total) })}
        </span>
      </button>

      {compose.error && (
        <div className="alert alert-error" role="alert" data-testid="compose-error">
          {progress && progress.sent > 0 && (
            <p data-testid="compose-partial">
              {t('compose.partial', { sent: format(progress.sent), total: format(progress.total) })}
            </p>
          )}
          <p>{errorText(t, compose.error)}</p>
          {compose.error.code === 'UNAUTHORIZED' && (
            <button type="button" className="link-button" onClick={() => openSettings(true)}>
              {t('compose.openSettings')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
