import { describe, expect, it } from 'vitest';
import { jobParamsSchema } from './job';
import { MAX_REFERENCES_ANY_MODEL, MODEL_IDS, MODELS, modelForReferences, type ModelId } from './models';

describe('modelForReferences', () => {
  const table: [ModelId, number, ModelId][] = [
    // The text model hands over to the edit model once references are attached…
    ['google/nano-banana', 0, 'google/nano-banana'],
    ['google/nano-banana', 1, 'google/nano-banana-edit'],
    ['google/nano-banana', 10, 'google/nano-banana-edit'],
    // …past its limit too: the count is checked separately, the model does not jump to another.
    ['google/nano-banana', 12, 'google/nano-banana-edit'],
    // …and the edit model hands back when none are left.
    ['google/nano-banana-edit', 0, 'google/nano-banana'],
    ['google/nano-banana-edit', 1, 'google/nano-banana-edit'],
    ['google/nano-banana-edit', 10, 'google/nano-banana-edit'],
    // Pro and Nano Banana 2 take references themselves, with or without.
    ['nano-banana-pro', 0, 'nano-banana-pro'],
    ['nano-banana-pro', 3, 'nano-banana-pro'],
    ['nano-banana-2', 0, 'nano-banana-2'],
    ['nano-banana-2', 14, 'nano-banana-2'],
  ];

  it.each(table)('%s with %i references → %s', (selected, count, expected) => {
    expect(modelForReferences(selected, count)).toBe(expected);
  });

  it('always lands on a model that can run with that many references (up to its limit)', () => {
    for (const model of MODEL_IDS) {
      for (let count = 0; count <= MODELS[model].maxReferences; count += 1) {
        const chosen = MODELS[modelForReferences(model, count)];
        expect(count === 0 ? !chosen.requiresReferences : chosen.maxReferences > 0).toBe(true);
      }
    }
  });

  it('counterparts point at each other', () => {
    for (const model of MODEL_IDS) {
      const counterpart = MODELS[model].counterpart;
      if (counterpart !== null) expect(MODELS[counterpart].counterpart).toBe(model);
    }
  });
});

describe('job params references', () => {
  const params = {
    model: 'google/nano-banana-edit',
    prompt: 'p',
    aspectRatio: '1:1',
    outputFormat: 'png',
    resolution: null,
  } as const;

  it('caps the list at the most any model takes', () => {
    expect(MAX_REFERENCES_ANY_MODEL).toBe(14);
    const id = 'ab'.repeat(16);
    expect(jobParamsSchema.safeParse({ ...params, references: Array(14).fill(id) }).success).toBe(true);
    expect(jobParamsSchema.safeParse({ ...params, references: Array(15).fill(id) }).success).toBe(false);
  });

  it('keeps params stored before references parsing unchanged, and refuses malformed ids', () => {
    expect(jobParamsSchema.parse(params)).toEqual(params);
    expect(jobParamsSchema.safeParse({ ...params, references: ['../../etc/passwd'] }).success).toBe(false);
  });
});
