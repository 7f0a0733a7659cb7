import { describe, expect, it } from 'vitest';
import type { Credits } from '@shared/domain/credits';
import { TEXT_MODELS } from '@shared/domain/models';
import {
  offeredRunModels,
  plannedVariants,
  runBase,
  runCost,
  runProblem,
  runVariation,
  type RunChoices,
  type RunCompose,
} from './abRunRules';

const compose: RunCompose = {
  prompt: 'a lighthouse at dawn',
  model: 'google/nano-banana',
  aspectRatio: '16:9',
  outputFormat: 'png',
  resolution: '2K',
  googleSearch: false,
  references: [],
};
const choices: RunChoices = { vary: 'prompt', prompts: ['a lighthouse at night'], models: [], ratios: [] };
const reference = (index: number) => ({ id: index.toString(16).padStart(32, '0'), bytes: 1000 });
const credits = (balance: number): Credits => ({
  balance,
  demo: false,
  checkedAt: '2026-01-01T00:00:00.000Z',
});

describe('A/B run rules', () => {
  it('offers the text models, or with references the models that take that many', () => {
    expect(offeredRunModels([])).toEqual([...TEXT_MODELS]);
    expect(offeredRunModels([reference(1)])).toEqual([
      'google/nano-banana-edit',
      'nano-banana-pro',
      'nano-banana-2',
    ]);
    const eleven = Array.from({ length: 11 }, (_, index) => reference(index));
    expect(offeredRunModels(eleven)).toEqual(['nano-banana-2']);
  });

  it('puts the prompt box first among prompt variants, and keeps the order the panel shows', () => {
    expect(runVariation(compose, choices)).toEqual({
      vary: 'prompt',
      values: ['a lighthouse at dawn', 'a lighthouse at night'],
    });
    // Models and ratios in the order they are offered, whatever order they were ticked in.
    expect(
      runVariation(compose, { ...choices, vary: 'model', models: ['nano-banana-2', 'google/nano-banana'] }),
    ).toEqual({ vary: 'model', values: ['google/nano-banana', 'nano-banana-2'] });
    expect(runVariation(compose, { ...choices, vary: 'aspectRatio', ratios: ['1:1', '16:9'] })).toEqual({
      vary: 'aspectRatio',
      values: ['1:1', '16:9'],
    });
  });

  it('says why a run cannot go', () => {
    expect(runProblem(compose, choices)).toBeNull();
    expect(runProblem(compose, { ...choices, vary: 'model', models: ['nano-banana-pro'] })).toEqual({
      kind: 'count',
      count: 1,
    });
    expect(runProblem(compose, { ...choices, prompts: ['  '] })).toEqual({ kind: 'empty', index: 1 });
    expect(
      runProblem({ ...compose, prompt: '' }, { ...choices, vary: 'aspectRatio', ratios: ['1:1', '3:4'] }),
    ).toEqual({
      kind: 'empty',
      index: 0,
    });
    expect(runProblem(compose, { ...choices, prompts: ['a lighthouse at dawn '] })).toEqual({
      kind: 'repeated',
      index: 1,
    });
    expect(runProblem(compose, { ...choices, prompts: ['x'.repeat(5001)] })).toMatchObject({
      kind: 'tooLong',
      index: 1,
      over: 1,
      model: 'google/nano-banana',
    });
    // Nano Banana 2's 1:8 is not Nano Banana's.
    expect(
      runProblem(
        { ...compose, model: 'nano-banana-2', aspectRatio: '1:8' },
        { ...choices, vary: 'model', models: ['nano-banana-2', 'google/nano-banana'] },
      ),
    ).toEqual({ kind: 'ratio', index: 0, model: 'google/nano-banana', ratio: '1:8' });
    expect(plannedVariants(compose, { ...choices, prompts: [''] })).toEqual([]);
  });

  it('sends the references only to models that take them, and a model run keeps the resolution', () => {
    expect(runBase(compose, 'prompt')).toEqual({
      prompt: compose.prompt,
      model: 'google/nano-banana',
      aspectRatio: '16:9',
      outputFormat: 'png',
      resolution: null,
    });
    expect(runBase(compose, 'model').resolution).toBe('2K');
    const withReference = {
      ...compose,
      model: 'google/nano-banana-edit' as const,
      references: [reference(7)],
    };
    expect(runBase(withReference, 'aspectRatio').references).toEqual([reference(7).id]);
    const planned = plannedVariants(withReference, {
      ...choices,
      vary: 'model',
      models: ['google/nano-banana-edit', 'nano-banana-pro'],
    });
    expect(planned.map(({ params }) => [params.model, params.resolution, params.references])).toEqual([
      ['google/nano-banana-edit', null, [reference(7).id]],
      ['nano-banana-pro', '2K', [reference(7).id]],
    ]);
  });

  it('prices each variant at its own model, free in Demo mode, refused over the balance', () => {
    const models = {
      ...choices,
      vary: 'model' as const,
      models: ['google/nano-banana', 'nano-banana-pro'] as const,
    };
    const view = { demoMode: false, costOverrides: {} };
    expect(runCost(compose, { ...models, models: [...models.models] }, view, credits(1000))).toEqual({
      demo: false,
      tasks: 2,
      total: 22,
      standing: 'ok',
    });
    expect(runCost(compose, { ...models, models: [...models.models] }, view, credits(20)).standing).toBe(
      'insufficient',
    );
    expect(runCost(compose, choices, { ...view, demoMode: true }, credits(0))).toMatchObject({
      demo: true,
      standing: 'free',
    });
  });
});
