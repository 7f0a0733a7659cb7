import { beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { StagedReference } from '@shared/domain/reference';
import { routeFixtures } from '@shared/ipc/fixtures';
import { setApi, type Api } from '../ipc/api';
import { usePromptHistory } from './promptHistory';
import { addReferenceFiles } from './referenceActions';
import { referenceProblem } from './referenceRules';
import { useCompose, useCredits, useSettings, useUi } from './stores';

/**
 * The compose panel against each model's own limits (models.ts, from KIE's pages): a reference
 * too big for the model it would go to is refused with the tray kept, a big one already in the
 * tray holds Generate once the model is switched to one with a lower limit, and a ratio only
 * Nano Banana 2 takes does not follow an image to another model.
 */
const MB = 1024 * 1024;
const job = routeFixtures['jobs.submit'].output as Job;
const view = routeFixtures['settings.get'].output;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const staged = (id: string, bytes: number): StagedReference => ({
  id: id.repeat(32).slice(0, 32),
  name: `${id}.png`,
  format: 'png',
  width: 64,
  height: 64,
  bytes,
  frames: 1,
  url: `gallery://ref/${id}`,
  thumbUrl: `gallery://ref/${id}`,
  galleryImageId: null,
});

/** A PNG-looking file of `size` bytes (its first bytes are what the panel sniffs). */
function pngFile(name: string, size: number): File {
  const bytes = new Uint8Array(size);
  bytes.set(PNG_SIGNATURE);
  return new File([bytes], name, { type: 'image/png' });
}

describe('compose limits per model', () => {
  const calls: string[] = [];
  const submitted: unknown[] = [];

  beforeEach(() => {
    useUi.setState({ connection: 'connected' });
    calls.length = 0;
    submitted.length = 0;
    const api: Api = {
      async request(route, input) {
        calls.push(route);
        if (route === 'references.add') {
          const { name, base64 } = input as { name: string; base64: string };
          return { ok: true, value: { ...staged('b', (base64.length * 3) / 4), name } } as never;
        }
        if (route === 'jobs.submit') {
          submitted.push(input);
          return { ok: true, value: job } as never;
        }
        if (route === 'settings.update') return { ok: true, value: view } as never;
        return { ok: false, error: { code: 'OFFLINE', message: 'not in this test' } };
      },
      on: () => () => undefined,
    };
    setApi(api);
    useSettings.setState({ view: { ...view, demoMode: true, costOverrides: {} } });
    useCredits.setState({ credits: null });
    usePromptHistory.setState({ items: [], loaded: true });
    useCompose.setState({
      prompt: 'a lighthouse',
      model: 'nano-banana-pro',
      aspectRatio: '1:1',
      outputFormat: 'png',
      resolution: '1K',
      imagesPerPrompt: 1,
      batch: false,
      batchConfirm: false,
      progress: null,
      references: [],
      pending: [],
      referenceProblems: [],
      modelPinned: false,
      modelHint: null,
      submitting: false,
      error: null,
    });
  });

  const compose = () => useCompose.getState();

  it('a 29 MB file goes to Pro; for the edit model it is refused by name, model and limit, tray kept', async () => {
    const small = staged('a', 2 * MB);
    compose().addReferences([small]);
    await addReferenceFiles([{ file: pngFile('big.png', 29 * MB), isDirectory: false }]);
    expect(calls.filter((route) => route === 'references.add')).toHaveLength(1);
    expect(compose().references.map((item) => item.name)).toEqual(['a.png', 'big.png']);
    expect(compose().referenceProblems).toEqual([]);

    compose().clearReferences();
    compose().choose({ model: 'google/nano-banana-edit' });
    compose().addReferences([small]);
    calls.length = 0;
    await addReferenceFiles([{ file: pngFile('big.png', 29 * MB), isDirectory: false }]);
    expect(calls).not.toContain('references.add');
    expect(compose().references).toEqual([small]);
    expect(compose().referenceProblems).toEqual([
      { kind: 'size', name: 'big.png', bytes: 29 * MB, model: 'google/nano-banana-edit' },
    ]);
  });

  it('the text model hands a dropped file to the edit model, whose limit applies', async () => {
    compose().choose({ model: 'google/nano-banana' });
    await addReferenceFiles([{ file: pngFile('big.png', 11 * MB), isDirectory: false }]);
    expect(calls).not.toContain('references.add');
    expect(compose().referenceProblems).toMatchObject([{ kind: 'size', model: 'google/nano-banana-edit' }]);
  });

  it('switching Pro to the edit model with a 29 MB reference in the tray holds Generate until fixed', async () => {
    compose().addReferences([staged('a', 2 * MB), staged('c', 29 * MB)]);
    compose().choose({ model: 'google/nano-banana-edit' });
    expect(compose().references).toHaveLength(2);
    expect(referenceProblem(compose().model, compose().references)).toBe('tooBig');
    compose().requestSubmit();
    await Promise.resolve();
    expect(submitted).toEqual([]);

    compose().choose({ model: 'nano-banana-pro' });
    expect(referenceProblem(compose().model, compose().references)).toBeNull();
    compose().requestSubmit();
    await expect.poll(() => submitted.length).toBe(1);
  });

  it('a ratio only Nano Banana 2 takes stays with it, and falls back for the others', () => {
    compose().choose({ model: 'nano-banana-2' });
    compose().choose({ aspectRatio: '1:8' });
    expect(compose().aspectRatio).toBe('1:8');
    compose().choose({ model: 'nano-banana-pro' });
    expect(compose().aspectRatio).toBe('1:1');
    // Reusing an image's settings: its 1:8 is kept for Nano Banana 2, not given to another model.
    const params = {
      prompt: 'a tall tower',
      aspectRatio: '1:8',
      outputFormat: 'png',
      resolution: '1K',
    } as const;
    compose().reuse({ ...params, model: 'nano-banana-2' });
    expect(compose()).toMatchObject({ model: 'nano-banana-2', aspectRatio: '1:8' });
    compose().reuse({ ...params, model: 'unknown' });
    expect(compose()).toMatchObject({ model: 'nano-banana-2', aspectRatio: '1:8' });
    compose().choose({ model: 'google/nano-banana' });
    compose().reuse({ ...params, model: 'unknown' });
    expect(compose()).toMatchObject({ model: 'google/nano-banana', aspectRatio: '1:1' });
  });
});
