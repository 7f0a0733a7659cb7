import { useTranslation } from 'react-i18next';
import { MODELS, tooBigFor, type ModelId } from '@shared/domain/models';
import { megabytes } from '@shared/domain/reference';
import { referenceProblem } from '../../store/referenceRules';
import { useCompose } from '../../store/stores';

/**
 * What the panel did with the model, or what is wrong with it, next to the model select: an
 * automatic switch to the edit model (with an undo), the way back once the tray is empty, and
 * references that the chosen model cannot take (none at all, that many, or a file that big).
 */
export function ModelNotes() {
  return (
    <>
      <ModelSwitchHint />
      <ReferenceModelWarning />
    </>
  );
}

function useModelName(): (model: ModelId) => string {
  const { t } = useTranslation();
  return (model) => t(`models.${MODELS[model].labelKey}`);
}

function ModelSwitchHint() {
  const { t } = useTranslation();
  const name = useModelName();
  const hint = useCompose((state) => state.modelHint);
  const undo = useCompose((state) => state.undoModelSwitch);
  const dismiss = useCompose((state) => state.dismissModelHint);
  if (!hint) return null;
  return (
    <div
      className="alert alert-info model-hint"
      role="status"
      data-testid="model-switch-hint"
      data-kind={hint.kind}
      data-model={hint.to}
    >
      <p>
        {hint.kind === 'switched'
          ? t('references.switched', { model: name(hint.to) })
          : t('references.restored', { model: name(hint.to) })}
      </p>
      <div className="inline-actions">
        {hint.kind === 'switched' && (
          <button type="button" className="link-button" data-testid="model-switch-undo" onClick={undo}>
            {t('references.keep', { model: name(hint.from) })}
          </button>
        )}
        <button type="button" className="link-button" data-testid="model-switch-dismiss" onClick={dismiss}>
          {t('references.dismiss')}
        </button>
      </div>
    </div>
  );
}

function ReferenceModelWarning() {
  const { t } = useTranslation();
  const name = useModelName();
  const model = useCompose((state) => state.model);
  const references = useCompose((state) => state.references);
  const choose = useCompose((state) => state.choose);
  const problem = referenceProblem(model, references);
  if (problem === null) return null;
  const spec = MODELS[model];
  const counterpart = spec.counterpart;
  const text = (): string => {
    switch (problem) {
      case 'unused':
        return t('references.unused', { model: name(model) });
      case 'tooMany':
        return t('references.tooMany', {
          model: name(model),
          limit: spec.maxReferences,
          extra: references.length - spec.maxReferences,
        });
      case 'tooBig': {
        const big = tooBigFor(model, references);
        const limit = megabytes(spec.referenceMaxBytes);
        const [first] = big;
        return big.length === 1 && first
          ? t('references.tooBig', {
              model: name(model),
              limit,
              name: first.name.trim() === '' ? t('references.unnamed') : first.name,
              size: megabytes(first.bytes),
            })
          : t('references.tooBigMany', { model: name(model), limit, count: big.length });
      }
    }
  };
  return (
    <div className="alert alert-warn" role="alert" data-testid="model-reference-warning" data-kind={problem}>
      <p>{text()}</p>
      {problem === 'unused' && counterpart !== null && (
        <button type="button" className="link-button" onClick={() => choose({ model: counterpart })}>
          {t('references.useModel', { model: name(counterpart) })}
        </button>
      )}
    </div>
  );
}
