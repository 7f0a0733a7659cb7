import type { TFunction } from 'i18next';
import { MODELS, modelIdSchema } from '@shared/domain/models';
import type { RunTag, RunVary } from '@shared/domain/run';
import type { MissingReference } from '@shared/ipc/runRoutes';

/** The references Again cannot send, by name where core still knows it, for one sentence. */
export function missingNames(t: TFunction, missing: readonly MissingReference[]): string {
  return missing.map((item) => (item.name ? `“${item.name}”` : t('runs.unnamedReference'))).join(', ');
}

/** A / B / C / D: how a run's variants are told apart. */
export function variantLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

/** A variant's value as the user reads it: the prompt, the model's name, or the ratio. */
export function variantValue(t: TFunction, vary: RunVary, label: string): string {
  if (vary === 'model') {
    const model = modelIdSchema.safeParse(label).data;
    return model ? t(`models.${MODELS[model].labelKey}`) : label;
  }
  if (vary === 'aspectRatio') return label === 'auto' ? t('compose.auto') : label;
  return label;
}

/** What is written under a run's picture on the compare board: "B · Nano Banana Pro". */
export function runCaption(t: TFunction, run: RunTag): string {
  return t('runs.caption', { letter: variantLetter(run.index), value: variantValue(t, run.vary, run.label) });
}
