import { beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import { routeFixtures } from '@shared/ipc/fixtures';
import type { WireError } from '@shared/ipc/result';
import { setApi, type Api } from '../ipc/api';
import { usePromptHistory } from './promptHistory';
import { composeCost, useCompose, useCredits, useSettings, useUi } from './stores';

const job = routeFixtures['jobs.submit'].output as Job;
const view = routeFixtures['settings.get'].output;

describe('compose submit: images per prompt, batch, cost and credits', () => {
  const submitted: unknown[] = [];
  const updates: unknown[] = [];
  let refuseAt: { index: number; error: WireError } | null = null;

  beforeEach(() => {
    useUi.setState({ connection: 'connected' });
    submitted.length = 0;
    updates.length = 0;
    refuseAt = null;
    const api: Api = {
      async request(route, input) {
        if (route === 'jobs.submit') {
          if (refuseAt?.index === submitted.length) return { ok: false, error: refuseAt.error };
          submitted.push(input);
          return { ok: true, value: { ...job, id: `job-${submitted.length}` } } as never;
        }
        if (route === 'settings.update') {
          updates.push(input);
          return { ok: true, value: view } as never;
        }
        return { ok: false, error: { code: 'OFFLINE', message: 'not in this test' } };
      },
      on: () => () => undefined,
    };
    setApi(api);
    useSettings.setState({ view: { ...view, demoMode: false, costOverrides: {} } });
    useCredits.setState({ credits: null });
    usePromptHistory.setState({ items: [], loaded: true });
    useCompose.setState({
      prompt: 'a red fox',
      model: 'nano-banana-2',
      resolution: '4K',
      imagesPerPrompt: 1,
      batch: false,
      batchConfirm: false,
      progress: null,
      references: [],
      pending: [],
      submitting: false,
      error: null,
    });
  });

  const compose = () => useCompose.getState();
  const prompts = () => submitted.map((input) => (input as { prompt: string }).prompt);

  it('images per prompt are separate submits, remembered as the default', async () => {
    compose().choose({ imagesPerPrompt: 3 });
    compose().requestSubmit();
    await expect.poll(() => submitted.length).toBe(3);
    expect(prompts()).toEqual(['a red fox', 'a red fox', 'a red fox']);
    expect(submitted[0]).toMatchObject({ model: 'nano-banana-2', resolution: '4K' });
    expect(updates).toEqual([{ compose: { imagesPerPrompt: 3 } }]);
    await expect.poll(() => compose().submitting).toBe(false);
    expect(usePromptHistory.getState().items).toEqual(['a red fox']);
  });

  it('batch mode asks first, then sends every line × images in order', async () => {
    useCompose.setState({ prompt: ' fox \n\n owl\n  \nbear ', batch: true, imagesPerPrompt: 2 });
    compose().requestSubmit();
    expect(compose().batchConfirm).toBe(true);
    expect(submitted).toEqual([]);
    compose().confirmBatch(false);
    expect(compose().batchConfirm).toBe(false);
    expect(submitted).toEqual([]);

    compose().requestSubmit();
    compose().confirmBatch(true);
    await expect.poll(() => compose().submitting).toBe(false);
    expect(prompts()).toEqual(['fox', 'fox', 'owl', 'owl', 'bear', 'bear']);
    expect(usePromptHistory.getState().items).toEqual(['bear', 'owl', 'fox']);
    expect(compose().progress).toBeNull();
  });

  it('nothing is sent, or held to send later, while the web bridge is down', async () => {
    useCompose.setState({ prompt: 'a red fox' });
    for (const connection of ['reconnecting', 'down'] as const) {
      useUi.setState({ connection });
      compose().requestSubmit();
      expect(compose().submitting).toBe(false);
    }
    useUi.setState({ connection: 'connected' });
    await Promise.resolve();
    expect(submitted).toEqual([]);
    compose().requestSubmit();
    await expect.poll(() => submitted.length).toBe(1);
  });

  it('the first refusal stops the rest and says how many went', async () => {
    useCompose.setState({ imagesPerPrompt: 4 });
    refuseAt = { index: 2, error: { code: 'NO_CREDITS', message: 'Top up.' } };
    await compose().submit();
    expect(submitted).toHaveLength(2);
    expect(compose()).toMatchObject({ error: { code: 'NO_CREDITS' }, progress: { sent: 2, total: 4 } });
  });

  it('cost: images × per-image price × lines, with the user’s overrides', () => {
    const state = {
      prompt: 'a\nb\nc',
      model: 'nano-banana-2',
      resolution: '4K',
      imagesPerPrompt: 2,
    } as const;
    expect(composeCost({ ...state, batch: false }, view, null)).toMatchObject({ perImage: 12, total: 24 });
    expect(composeCost({ ...state, batch: true }, view, null)).toMatchObject({ tasks: 6, total: 72 });
    const overridden = { ...view, demoMode: false, costOverrides: { 'nano-banana-2': { '4K': 10 } } };
    expect(composeCost({ ...state, batch: true }, overridden, null).total).toBe(60);
    // An empty box previews one prompt's worth.
    expect(composeCost({ ...state, prompt: '', batch: false }, view, null).total).toBe(24);
  });

  it('a known balance below the cost refuses the submit; Demo mode never does', async () => {
    useCredits.setState({ credits: { balance: 11, demo: false, checkedAt: job.createdAt } });
    compose().requestSubmit();
    await compose().submit();
    expect(submitted).toEqual([]);
    useSettings.setState({ view: { ...view, demoMode: true } });
    await compose().submit();
    expect(submitted).toHaveLength(1);
  });

  it('switching models keeps the values the new model takes', () => {
    useCompose.setState({ aspectRatio: '21:9', outputFormat: 'jpeg' });
    compose().choose({ model: 'google/nano-banana' });
    expect(compose()).toMatchObject({
      model: 'google/nano-banana',
      aspectRatio: '21:9',
      outputFormat: 'jpeg',
    });
  });
});
