import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MODEL_IDS, MODELS, type ModelId } from '@shared/domain/models';
import {
  listPrice,
  MAX_CREDITS_PER_IMAGE,
  priceTiers,
  withOverride,
  type CostOverrides,
  type PriceTier,
} from '@shared/domain/pricing';
import { useSettings } from '../../store/stores';
import { useNumberFormat } from './useComposeCost';

const NO_OVERRIDES: CostOverrides = {};

/**
 * Credits per image, per model and resolution, for Settings: the built-in estimate as the
 * placeholder, the user's figure when they set one. Saved as `costOverrides` on blur or Enter;
 * an empty field (or the estimate itself) goes back to the estimate.
 */
export function CostOverridesEditor() {
  const { t } = useTranslation();
  // Selected as is: a fresh `{}` from the selector would re-render without end.
  const overrides = useSettings((state) => state.view?.costOverrides) ?? NO_OVERRIDES;
  const update = useSettings((state) => state.update);
  const save = (next: CostOverrides) => void update({ costOverrides: next });
  const empty = Object.keys(overrides).length === 0;

  return (
    <div className="cost-overrides" data-testid="cost-overrides">
      <p className="help">{t('pricing.help')}</p>
      <table className="cost-table">
        <thead>
          <tr>
            <th scope="col">{t('pricing.model')}</th>
            <th scope="col">{t('pricing.perImage')}</th>
          </tr>
        </thead>
        <tbody>
          {MODEL_IDS.map((model) => (
            <tr key={model}>
              <th scope="row">{t(`models.${MODELS[model].labelKey}`)}</th>
              <td>
                <div className="cost-tiers">
                  {priceTiers(model).map((tier) => (
                    <CostField
                      key={tier}
                      model={model}
                      tier={tier}
                      value={overrides[model]?.[tier] ?? null}
                      onCommit={(credits) => save(withOverride(overrides, model, tier, credits))}
                    />
                  ))}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="link-button"
        data-testid="cost-overrides-reset"
        disabled={empty}
        onClick={() => save({})}
      >
        {t('pricing.reset')}
      </button>
    </div>
  );
}

function CostField({
  model,
  tier,
  value,
  onCommit,
}: {
  model: ModelId;
  tier: PriceTier;
  value: number | null;
  onCommit(credits: number | null): void;
}) {
  const { t } = useTranslation();
  const format = useNumberFormat();
  const [draft, setDraft] = useState<string | null>(null);
  const estimate = listPrice(model, tier);
  const tierName = tier === 'default' ? t('pricing.standard') : tier;
  const text = draft ?? (value === null ? '' : String(value));
  const parsed = text.trim() === '' ? null : Number(text);
  const invalid =
    parsed !== null && (!Number.isFinite(parsed) || parsed < 0 || parsed > MAX_CREDITS_PER_IMAGE);

  const commit = () => {
    if (draft === null) return;
    setDraft(null);
    if (!invalid && parsed !== value) onCommit(parsed);
  };

  return (
    <label className="cost-field">
      <span className="field-label">{tierName}</span>
      <input
        type="number"
        inputMode="decimal"
        min={0}
        max={MAX_CREDITS_PER_IMAGE}
        step="any"
        data-testid="cost-override"
        data-model={model}
        data-tier={tier}
        value={text}
        placeholder={format(estimate)}
        aria-invalid={invalid}
        title={t('pricing.estimate', { credits: format(estimate) })}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
          if (event.key === 'Escape' && draft !== null) {
            event.stopPropagation();
            setDraft(null);
          }
        }}
      />
    </label>
  );
}
