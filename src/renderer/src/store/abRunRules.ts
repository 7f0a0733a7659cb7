import type { Credits } from '@shared/domain/credits';
import type { JobParams } from '@shared/domain/job';
import { MODEL_IDS, MODELS, TEXT_MODELS, type AspectRatio, type ModelId } from '@shared/domain/models';
import { costOf, type CostOverrides } from '@shared/domain/pricing';
import { promptLength } from '@shared/domain/prompts';
import {
  MAX_RUN_VARIANTS,
  MIN_RUN_VARIANTS,
  repeatedVariant,
  runVariants,
  type RunVariant,
  type RunVariation,
  type RunVary,
} from '@shared/domain/run';
import { creditStanding, type CreditStanding } from './composeRules';
import { referencesBlockSubmit, referencesToSend } from './referenceRules';

/**
 * The A/B run's rules, pure so they are easy to test: what the panel offers, what one submit
 * sends (the same runVariants core uses), why it cannot be sent, and what it costs.
 */

/** The compose panel's choices a run is built from. */
export interface RunCompose {
  prompt: string;
  model: ModelId;
  aspectRatio: AspectRatio;
  outputFormat: JobParams['outputFormat'];
  resolution: NonNullable<JobParams['resolution']>;
  googleSearch: boolean;
  references: readonly { id: string; bytes: number }[];
}

/** The A/B choices: what varies, and the values picked for each kind. */
export interface RunChoices {
  vary: RunVary;
  /** Prompt variants after the prompt box's own (which is variant A): one to three more. */
  prompts: readonly string[];
  models: readonly ModelId[];
  ratios: readonly AspectRatio[];
}

/** The models a model run offers: those that take the attached references (all text models without). */
export function offeredRunModels(references: RunCompose['references']): ModelId[] {
  if (references.length === 0) return [...TEXT_MODELS];
  return MODEL_IDS.filter(
    (model) => MODELS[model].maxReferences > 0 && !referencesBlockSubmit(model, references),
  );
}

/** The ratios a ratio run offers: the current model's. */
export function offeredRunRatios(model: ModelId): AspectRatio[] {
  return [...MODELS[model].aspectRatios];
}

/** The variation the choices describe, values in the order they are shown. */
export function runVariation(compose: RunCompose, choices: RunChoices): RunVariation {
  switch (choices.vary) {
    case 'prompt':
      return { vary: 'prompt', values: [compose.prompt, ...choices.prompts] };
    case 'model': {
      const offered = offeredRunModels(compose.references);
      return { vary: 'model', values: offered.filter((model) => choices.models.includes(model)) };
    }
    case 'aspectRatio': {
      const offered = offeredRunRatios(compose.model);
      return { vary: 'aspectRatio', values: offered.filter((ratio) => choices.ratios.includes(ratio)) };
    }
  }
}

/**
 * What every variant shares. A model run keeps the chosen resolution for the variants that take
 * one (runVariants decides per model); otherwise it goes only if the model takes it, as a single
 * submit sends it.
 */
export function runBase(compose: RunCompose, vary: RunVary): Omit<JobParams, 'run'> {
  const spec = MODELS[compose.model];
  const references =
    vary === 'model'
      ? compose.references.map((item) => item.id)
      : referencesToSend(
          compose.model,
          compose.references.map((item) => item.id),
        );
  const keepsAll = vary === 'model';
  return {
    prompt: compose.prompt,
    model: compose.model,
    aspectRatio: compose.aspectRatio,
    outputFormat: compose.outputFormat,
    resolution: keepsAll || spec.supportsResolution ? compose.resolution : null,
    ...(references.length > 0 ? { references } : {}),
    // Only when the user could see it on: it is offered for Nano Banana 2 alone.
    ...(compose.googleSearch && spec.supportsGoogleSearch ? { googleSearch: true } : {}),
  };
}

export type RunProblem =
  | { kind: 'count'; count: number }
  | { kind: 'empty'; index: number }
  | { kind: 'tooLong'; index: number; over: number; limit: number; model: ModelId }
  | { kind: 'ratio'; index: number; model: ModelId; ratio: AspectRatio }
  | { kind: 'repeated'; index: number };

/** Why the run cannot be sent as it is, or null. `index` is the variant (0 = A). */
export function runProblem(compose: RunCompose, choices: RunChoices): RunProblem | null {
  const variation = runVariation(compose, choices);
  const count = variation.values.length;
  if (count < MIN_RUN_VARIANTS || count > MAX_RUN_VARIANTS) return { kind: 'count', count };
  if (variation.vary === 'prompt') {
    const empty = variation.values.findIndex((value) => value.trim() === '');
    if (empty >= 0) return { kind: 'empty', index: empty };
  } else if (compose.prompt.trim() === '') return { kind: 'empty', index: 0 };
  const variants = runVariants(runBase(compose, variation.vary), variation);
  for (const [index, { params }] of variants.entries()) {
    const limit = MODELS[params.model].promptMaxChars;
    const length = promptLength(params.prompt);
    if (length > limit) return { kind: 'tooLong', index, over: length - limit, limit, model: params.model };
    if (!MODELS[params.model].aspectRatios.includes(params.aspectRatio)) {
      return { kind: 'ratio', index, model: params.model, ratio: params.aspectRatio };
    }
  }
  const repeated = repeatedVariant(variants);
  return repeated >= 0 ? { kind: 'repeated', index: repeated } : null;
}

/** The variants one submit sends (empty while the run has a problem). */
export function plannedVariants(compose: RunCompose, choices: RunChoices): RunVariant[] {
  if (runProblem(compose, choices)) return [];
  const variation = runVariation(compose, choices);
  return runVariants(runBase(compose, variation.vary), variation);
}

/** What the run costs: each variant at its own model's price, and what the balance says to that. */
export function runCost(
  compose: RunCompose,
  choices: RunChoices,
  view: { demoMode: boolean; costOverrides: CostOverrides } | null,
  credits: Credits | null,
): { demo: boolean; tasks: number; total: number; standing: CreditStanding } {
  const demo = view?.demoMode ?? false;
  const variation = runVariation(compose, choices);
  const variants = runVariants(runBase(compose, variation.vary), variation);
  const prices = variants.map(({ params }) =>
    costOf(params.model, params.resolution, view?.costOverrides ?? {}),
  );
  const total = prices.reduce((sum, price) => sum + price, 0);
  const standing = creditStanding(credits, demo, Math.max(0, ...prices), total);
  return { demo, tasks: variants.length, total, standing };
}
