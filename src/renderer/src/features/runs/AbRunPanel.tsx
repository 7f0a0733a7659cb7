import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { MODELS, RESOLUTIONS, type Resolution } from '@shared/domain/models';
import { MAX_RUN_VARIANTS, RUN_VARIES, type RunVary } from '@shared/domain/run';
import { errorText } from '../../components/errorText';
import { SelectField } from '../../components/SelectField';
import { useAbRun } from '../../store/abRun';
import {
  offeredRunModels,
  offeredRunRatios,
  runProblem,
  runVariation,
  type RunProblem,
} from '../../store/abRunRules';
import { useCompose } from '../../store/stores';
import { useNumberFormat } from '../compose/useComposeCost';
import { RunConfirmDialog } from './RunConfirmDialog';
import { variantLetter } from './runText';
import './runs.css';

function varyLabel(t: TFunction, vary: RunVary): string {
  if (vary === 'prompt') return t('runs.varyPrompt');
  if (vary === 'model') return t('runs.varyModel');
  return t('runs.varyAspectRatio');
}

function problemText(t: TFunction, problem: RunProblem, format: (value: number) => string): string {
  switch (problem.kind) {
    case 'count':
      return t('runs.problems.count', { count: format(problem.count) });
    case 'empty':
      return t('runs.problems.empty', { letter: variantLetter(problem.index) });
    case 'tooLong':
      return t('runs.problems.tooLong', {
        letter: variantLetter(problem.index),
        over: format(problem.over),
        limit: format(problem.limit),
        model: t(`models.${MODELS[problem.model].labelKey}`),
      });
    case 'ratio':
      return t('runs.problems.ratio', {
        letter: variantLetter(problem.index),
        model: t(`models.${MODELS[problem.model].labelKey}`),
        ratio: problem.ratio,
      });
    case 'repeated':
      return t('runs.problems.repeated', { letter: variantLetter(problem.index) });
  }
}

/**
 * A/B mode: one Generate sends two to four jobs that differ in one thing (prompt, model or
 * aspect ratio), everything else as set above, grouped as a run in the gallery.
 */
export function AbRunPanel() {
  const { t } = useTranslation();
  const format = useNumberFormat();
  const id = useId();
  const enabled = useAbRun((state) => state.enabled);
  const vary = useAbRun((state) => state.vary);
  const error = useAbRun((state) => state.error);
  const compose = useCompose();
  const choices = useAbRun();
  const problem = enabled ? runProblem(compose, choices) : null;
  const count = enabled ? runVariation(compose, choices).values.length : 0;

  const pickVary = (next: RunVary) => {
    const store = useAbRun.getState();
    store.setVary(next);
    // A fresh model or ratio run starts from the current one, so one more tick makes two.
    if (next === 'model' && store.models.length === 0) store.toggleModel(compose.model);
    if (next === 'aspectRatio' && store.ratios.length === 0) store.toggleRatio(compose.aspectRatio);
  };

  return (
    <section className="ab-run" aria-labelledby={`${id}-title`}>
      <label className="toggle compose-toggle" id={`${id}-title`}>
        <input
          type="checkbox"
          data-testid="ab-toggle"
          checked={enabled}
          onChange={(event) => {
            if (event.target.checked) compose.setBatch(false);
            useAbRun.getState().setEnabled(event.target.checked);
          }}
        />
        <span>
          {t('runs.toggle')}
          <span className="help">{t('runs.toggleHint')}</span>
        </span>
      </label>
      {enabled && (
        <div className="ab-run-body" data-testid="ab-run" data-vary={vary}>
          <div className="run-segments" role="radiogroup" aria-label={t('runs.vary')}>
            {RUN_VARIES.map((value) => (
              <label key={value} className={value === vary ? 'run-segment run-segment-on' : 'run-segment'}>
                <input
                  type="radio"
                  name={`${id}-vary`}
                  data-testid={`ab-vary-${value}`}
                  checked={value === vary}
                  onChange={() => pickVary(value)}
                />
                <span>{varyLabel(t, value)}</span>
              </label>
            ))}
          </div>
          {vary === 'prompt' && <PromptVariants />}
          {vary === 'model' && <ModelVariants />}
          {vary === 'aspectRatio' && <RatioVariants />}
          <p className="help" data-testid="ab-summary" data-count={count}>
            {t('runs.summary', { count: format(count) })}
          </p>
          {problem && (
            <p className="field-problem" role="status" data-testid="ab-problem" data-kind={problem.kind}>
              {problemText(t, problem, format)}
            </p>
          )}
          {error && (
            <div className="alert alert-error" role="alert" data-testid="ab-error">
              <p>{errorText(t, error)}</p>
            </div>
          )}
        </div>
      )}
      <RunConfirmDialog />
    </section>
  );
}

function PromptVariants() {
  const { t } = useTranslation();
  const id = useId();
  const prompts = useAbRun((state) => state.prompts);
  const { setPrompt, addPrompt, removePrompt } = useAbRun.getState();
  return (
    <>
      <p className="help">{t('runs.promptA')}</p>
      {prompts.map((prompt, index) => {
        const letter = variantLetter(index + 1);
        return (
          <div key={index} className="ab-variant">
            <div className="ab-variant-head">
              <label className="field-label" htmlFor={`${id}-${index}`}>
                {t('runs.variant', { letter })}
              </label>
              {prompts.length > 1 && (
                <button
                  type="button"
                  className="link-button"
                  data-testid={`ab-prompt-remove-${index}`}
                  aria-label={t('runs.removeVariant', { letter })}
                  onClick={() => removePrompt(index)}
                >
                  {t('runs.remove')}
                </button>
              )}
            </div>
            <textarea
              id={`${id}-${index}`}
              data-testid={`ab-prompt-${index}`}
              rows={3}
              value={prompt}
              placeholder={t('runs.promptPlaceholder')}
              onChange={(event) => setPrompt(index, event.target.value)}
            />
          </div>
        );
      })}
      {prompts.length + 1 < MAX_RUN_VARIANTS && (
        <button type="button" className="secondary" data-testid="ab-prompt-add" onClick={addPrompt}>
          {t('runs.addVariant')}
        </button>
      )}
    </>
  );
}

function ModelVariants() {
  const { t } = useTranslation();
  const models = useAbRun((state) => state.models);
  const toggleModel = useAbRun((state) => state.toggleModel);
  const references = useCompose((state) => state.references);
  const model = useCompose((state) => state.model);
  const resolution = useCompose((state) => state.resolution);
  const choose = useCompose((state) => state.choose);
  const offered = offeredRunModels(references);
  const picked = offered.filter((item) => models.includes(item));
  // The resolution select above shows only for a model that has one; a run may add such models.
  const needsResolution =
    !MODELS[model].supportsResolution && picked.some((item) => MODELS[item].supportsResolution);
  return (
    <>
      <div className="ab-choices" role="group" aria-label={t('runs.varyModel')}>
        {offered.map((item) => (
          <label key={item} className="ab-choice">
            <input
              type="checkbox"
              data-testid={`ab-model-${item}`}
              checked={picked.includes(item)}
              disabled={!picked.includes(item) && picked.length >= MAX_RUN_VARIANTS}
              onChange={() => toggleModel(item)}
            />
            {t(`models.${MODELS[item].labelKey}`)}
          </label>
        ))}
      </div>
      {needsResolution && (
        <SelectField<Resolution>
          label={t('compose.resolution')}
          testId="ab-resolution"
          value={resolution}
          options={RESOLUTIONS.map((value) => ({ value, label: value }))}
          onChange={(value) => choose({ resolution: value })}
        />
      )}
    </>
  );
}

function RatioVariants() {
  const { t } = useTranslation();
  const ratios = useAbRun((state) => state.ratios);
  const toggleRatio = useAbRun((state) => state.toggleRatio);
  const model = useCompose((state) => state.model);
  const offered = offeredRunRatios(model);
  const picked = offered.filter((item) => ratios.includes(item));
  return (
    <div className="ab-choices" role="group" aria-label={t('runs.varyAspectRatio')}>
      {offered.map((ratio) => (
        <label key={ratio} className="ab-choice">
          <input
            type="checkbox"
            data-testid={`ab-ratio-${ratio}`}
            checked={picked.includes(ratio)}
            disabled={!picked.includes(ratio) && picked.length >= MAX_RUN_VARIANTS}
            onChange={() => toggleRatio(ratio)}
          />
          {ratio === 'auto' ? t('compose.auto') : ratio}
        </label>
      ))}
    </div>
  );
}
