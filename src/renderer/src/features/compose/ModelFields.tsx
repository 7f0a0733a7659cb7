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
import { SelectField } from '../../components/SelectField';
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
  const googleSearch = useCompose((state) => state.googleSearch);
  const referenceCount = useCompose((state) => state.references.length);
  const choose = useCompose((state) => state.choose);
  const spec = MODELS[model];

  return (
    <>
      <SelectField<ModelId>
        label={t('compose.model')}
        testId="model-select"
        value={model}
        options={offeredModels(model, referenceCount).map((id) => ({
          value: id,
          label: t(`models.${MODELS[id].labelKey}`),
        }))}
        onChange={(picked) => choose({ model: picked })}
      />
      <ModelNotes />
      <div className="field-grid">
        <SelectField<AspectRatio>
          label={t('compose.aspectRatio')}
          testId="aspect-select"
          value={aspectRatio}
          options={spec.aspectRatios.map((ratio) => ({
            value: ratio,
            label: ratio === 'auto' ? t('compose.auto') : ratio,
          }))}
          onChange={(picked) => choose({ aspectRatio: picked })}
        />
        {spec.supportsResolution && (
          <SelectField<Resolution>
            label={t('compose.resolution')}
            testId="resolution-select"
            value={resolution}
            options={RESOLUTIONS.map((value) => ({ value, label: value }))}
            onChange={(picked) => choose({ resolution: picked })}
          />
        )}
        <SelectField<OutputFormat>
          label={t('compose.outputFormat')}
          testId="format-select"
          value={outputFormat}
          options={spec.outputFormats.map((value) => ({ value, label: t(`formats.${value}`) }))}
          onChange={(picked) => choose({ outputFormat: picked })}
        />
        <SelectField<number>
          label={t('compose.imagesPerPrompt')}
          testId="images-select"
          title={t('compose.imagesPerPromptHint')}
          value={imagesPerPrompt}
          options={IMAGE_COUNTS.map((count) => ({ value: count, label: format(count) }))}
          onChange={(picked) => choose({ imagesPerPrompt: picked })}
        />
      </div>
      {spec.supportsGoogleSearch && (
        <label className="toggle compose-toggle">
          <input
            type="checkbox"
            data-testid="google-search-toggle"
            checked={googleSearch}
            onChange={(event) => choose({ googleSearch: event.target.checked })}
          />
          <span>
            {t('compose.googleSearch')}
            <span className="help">{t('compose.googleSearchHint')}</span>
          </span>
        </label>
      )}
    </>
  );
}
