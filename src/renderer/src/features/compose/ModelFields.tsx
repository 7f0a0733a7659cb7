import { useTranslation } from 'react-i18next';
import {
  MODEL_IDS,
  MODELS,
  RESOLUTIONS,
  TEXT_MODELS,
  type AspectRatio,
  type ModelId,
  type OutputFormat,
  type Resolution,
} from '@shared/domain/models';
import { MAX_IMAGES_PER_PROMPT } from '@shared/domain/settings';
import { useCompose } from '../../store/stores';
import { ModelNotes } from './ModelNotes';
import { useNumberFormat } from './useComposeCost';

/** The models the select offers: the edit model only while references are attached (it needs them). */
function offeredModels(current: ModelId, referenceCount: number): ModelId[] {
  return MODEL_IDS.filter(
    (model) =>
      TEXT_MODELS.includes(model) ||
      model === current ||
      (referenceCount > 0 && MODELS[model].maxReferences > 0),
  );
}

const IMAGE_COUNTS = Array.from({ length: MAX_IMAGES_PER_PROMPT }, (_, index) => index + 1);

/** The model and the fields it takes (per MODELS), plus how many images each prompt makes. */
export function ModelFields() {
  const { t } = useTranslation();
  const format = useNumberFormat();
  const model = useCompose((state) => state.model);
  const aspectRatio = useCompose((state) => state.aspectRatio);
  const outputFormat = useCompose((state) => state.outputFormat);
  const resolution = useCompose((state) => state.resolution);
  const imagesPerPrompt = useCompose((state) => state.imagesPerPrompt);
  const referenceCount = useCompose((state) => state.references.length);
  const choose = useCompose((state) => state.choose);
  const spec = MODELS[model];

  return (
    <>
      <label className="field">
        <span className="field-label">{t('compose.model')}</span>
        <select
          data-testid="model-select"
          value={model}
          onChange={(event) => choose({ model: event.target.value as ModelId })}
        >
          {offeredModels(model, referenceCount).map((id) => (
            <option key={id} value={id}>
              {t(`models.${MODELS[id].labelKey}`)}
            </option>
          ))}
        </select>
      </label>
      <ModelNotes />
      <div className="field-grid">
        <label className="field">
          <span className="field-label">{t('compose.aspectRatio')}</span>
          <select
            data-testid="aspect-select"
            value={aspectRatio}
            onChange={(event) => choose({ aspectRatio: event.target.value as AspectRatio })}
          >
            {spec.aspectRatios.map((ratio) => (
              <option key={ratio} value={ratio}>
                {ratio === 'auto' ? t('compose.auto') : ratio}
              </option>
            ))}
          </select>
        </label>
        {spec.supportsResolution && (
          <label className="field">
            <span className="field-label">{t('compose.resolution')}</span>
            <select
              data-testid="resolution-select"
              value={resolution}
              onChange={(event) => choose({ resolution: event.target.value as Resolution })}
            >
              {RESOLUTIONS.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span className="field-label">{t('compose.outputFormat')}</span>
          <select
            data-testid="format-select"
            value={outputFormat}
            onChange={(event) => choose({ outputFormat: event.target.value as OutputFormat })}
          >
            {spec.outputFormats.map((value) => (
              <option key={value} value={value}>
                {t(`formats.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('compose.imagesPerPrompt')}</span>
          <select
            data-testid="images-select"
            value={imagesPerPrompt}
            title={t('compose.imagesPerPromptHint')}
            onChange={(event) => choose({ imagesPerPrompt: Number(event.target.value) })}
          >
            {IMAGE_COUNTS.map((count) => (
              <option key={count} value={count}>
                {format(count)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </>
  );
}
