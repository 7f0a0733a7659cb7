import { useId, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ASPECT_RATIOS,
  creditsPerImage,
  MODEL_IDS,
  MODELS,
  OUTPUT_FORMATS,
  RESOLUTIONS,
  TEXT_MODELS,
  type AspectRatio,
  type ModelId,
  type OutputFormat,
  type Resolution,
} from '@shared/domain/models';
import { errorText } from '../../components/errorText';
import { referenceProblem } from '../../store/referenceRules';
import { composeProblem, useCompose, useSettings, useUi } from '../../store/stores';
import { ModelNotes } from './ModelNotes';
import { ReferenceTray } from './ReferenceTray';

/** The models the select offers: the edit model only while references are attached (it needs them). */
function offeredModels(current: ModelId, referenceCount: number): ModelId[] {
  return MODEL_IDS.filter(
    (model) =>
      TEXT_MODELS.includes(model) ||
      model === current ||
      (referenceCount > 0 && MODELS[model].maxReferences > 0),
  );
}

export function ComposePanel() {
  const { t } = useTranslation();
  const id = useId();
  const compose = useCompose();
  const demo = useSettings((state) => state.view?.demoMode ?? false);
  const openSettings = useUi((state) => state.openSettings);
  const spec = MODELS[compose.model];
  const length = Array.from(compose.prompt.trim()).length;
  const problem = composeProblem(compose.prompt, compose.model);
  const blocked = referenceProblem(compose.model, compose.references.length) === 'tooMany';
  const cost = creditsPerImage(compose.model, spec.supportsResolution ? compose.resolution : null);

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void compose.submit();
    }
  };

  return (
    <section className="panel compose" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="panel-title">
        {t('compose.title')}
      </h2>
      <label className="field">
        <span className="field-label">{t('compose.prompt')}</span>
        <textarea
          data-testid="prompt-input"
          value={compose.prompt}
          onChange={(event) => compose.setPrompt(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={t('compose.promptPlaceholder')}
          rows={7}
          aria-invalid={problem === 'tooLong'}
          aria-describedby={`${id}-counter`}
        />
      </label>
      <div id={`${id}-counter`} className={problem === 'tooLong' ? 'counter counter-over' : 'counter'}>
        {problem === 'tooLong' && <span>{t('compose.tooLong')} </span>}
        {t('compose.counter', { count: length, limit: spec.promptMaxChars })}
      </div>
      <ReferenceTray />

      <label className="field">
        <span className="field-label">{t('compose.model')}</span>
        <select
          data-testid="model-select"
          value={compose.model}
          onChange={(event) => compose.choose({ model: event.target.value as ModelId })}
        >
          {offeredModels(compose.model, compose.references.length).map((model) => (
            <option key={model} value={model}>
              {t(`models.${MODELS[model].labelKey}`)}
            </option>
          ))}
        </select>
      </label>
      <ModelNotes />
      <div className="field-row">
        <label className="field">
          <span className="field-label">{t('compose.aspectRatio')}</span>
          <select
            data-testid="aspect-select"
            value={compose.aspectRatio}
            onChange={(event) => compose.choose({ aspectRatio: event.target.value as AspectRatio })}
          >
            {ASPECT_RATIOS.map((ratio) => (
              <option key={ratio} value={ratio}>
                {ratio === 'auto' ? t('compose.auto') : ratio}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('compose.outputFormat')}</span>
          <select
            data-testid="format-select"
            value={compose.outputFormat}
            onChange={(event) => compose.choose({ outputFormat: event.target.value as OutputFormat })}
          >
            {OUTPUT_FORMATS.map((format) => (
              <option key={format} value={format}>
                {t(`formats.${format}`)}
              </option>
            ))}
          </select>
        </label>
        {spec.supportsResolution && (
          <label className="field">
            <span className="field-label">{t('compose.resolution')}</span>
            <select
              data-testid="resolution-select"
              value={compose.resolution}
              onChange={(event) => compose.choose({ resolution: event.target.value as Resolution })}
            >
              {RESOLUTIONS.map((resolution) => (
                <option key={resolution} value={resolution}>
                  {resolution}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>

      <button
        type="button"
        className="primary submit"
        data-testid="submit-button"
        disabled={problem !== null || blocked || compose.submitting || compose.pending.length > 0}
        onClick={() => void compose.submit()}
        title={t('compose.shortcut')}
      >
        <span>{compose.submitting ? t('compose.submitting') : t('compose.submit')}</span>
        <span className="submit-cost">
          {demo ? t('compose.costDemo') : t('compose.cost', { count: cost })}
        </span>
      </button>

      {compose.error && (
        <div className="alert alert-error" role="alert" data-testid="compose-error">
          <p>{errorText(t, compose.error)}</p>
          {compose.error.code === 'UNAUTHORIZED' && (
            <button type="button" className="link-button" onClick={() => openSettings(true)}>
              {t('compose.openSettings')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
