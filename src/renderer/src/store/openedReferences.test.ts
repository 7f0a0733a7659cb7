import { beforeEach, describe, expect, it } from 'vitest';
import { nothingOpened, type OpenedReferences, type StagedReference } from '@shared/domain/reference';
import { routeFixtures } from '@shared/ipc/fixtures';
import { setApi, type Api } from '../ipc/api';
import { collectOpenedReferences, startOpenedReferences } from './openedReferences';
import { useCompose } from './stores';
import { useToasts } from './toasts';
import { useViewer } from './viewer';

const staged = (index: number): StagedReference => {
  const id = index.toString(16).padStart(32, '0');
  return {
    id,
    name: `photo-${index}.png`,
    format: 'png',
    width: 64,
    height: 48,
    bytes: 1000,
    frames: 1,
    url: `test://ref/${id}`,
    thumbUrl: `test://ref/${id}`,
    galleryImageId: null,
  };
};

const nothing = (): OpenedReferences => nothingOpened();

describe('files opened with the app, in the renderer', () => {
  /** What core has waiting; a take hands it out and empties it, as core does. */
  let waiting: OpenedReferences;
  let takes: number;

  beforeEach(() => {
    waiting = nothing();
    takes = 0;
    const api: Api = {
      async request(route) {
        if (route !== 'references.takeOpened')
          return { ok: false, error: { code: 'OFFLINE', message: route } };
        takes += 1;
        const taken = waiting;
        waiting = nothing();
        return { ok: true, value: taken } as never;
      },
      on: () => () => undefined,
    };
    setApi(api);
    useViewer.setState({ imageId: null });
    useToasts.setState({ toasts: [] });
    useCompose.setState({
      prompt: 'make it night',
      model: 'google/nano-banana',
      modelPinned: false,
      modelHint: null,
      references: [],
      pending: [],
      referenceProblems: [],
    });
  });

  const compose = () => useCompose.getState();
  const trayIds = () => compose().references.map((item) => item.id);

  it('waits for the panel to be ready, then adds them and switches to the edit model', async () => {
    waiting = { ...nothingOpened(), references: [staged(1), staged(2)] };
    // An event before the panel has its settings takes nothing yet.
    await collectOpenedReferences();
    expect(takes).toBe(0);

    await startOpenedReferences();
    expect(trayIds()).toEqual([staged(1).id, staged(2).id]);
    expect(compose().model).toBe('google/nano-banana-edit');
    expect(compose().modelHint).toEqual({
      kind: 'switched',
      from: 'google/nano-banana',
      to: 'google/nano-banana-edit',
    });
    expect(compose().prompt).toBe('make it night');
    expect(compose().pending).toEqual([]);
  });

  it('shows core’s messages like a bad drop, and keeps the prompt and the tray', async () => {
    await startOpenedReferences();
    waiting = { ...nothingOpened(), references: [staged(1)] };
    await collectOpenedReferences();

    waiting = {
      ...nothingOpened(),
      references: [staged(1), staged(3)],
      problems: [
        { name: 'notes.png', problem: 'type', message: '“notes.png” is not a PNG, JPEG or WebP image.' },
      ],
    };
    await collectOpenedReferences();
    expect(trayIds()).toEqual([staged(1).id, staged(3).id]);
    expect(compose().referenceProblems).toEqual([
      { kind: 'refused', message: '“notes.png” is not a PNG, JPEG or WebP image.' },
      { kind: 'duplicate', name: 'photo-1.png' },
    ]);
    expect(compose().prompt).toBe('make it night');
    // The panel is in sight: no toast.
    expect(useToasts.getState().toasts).toEqual([]);
  });

  it('keeps to the model’s limit, as a drop does', async () => {
    await startOpenedReferences();
    compose().choose({ model: 'nano-banana-pro' });
    waiting = { ...nothingOpened(), references: Array.from({ length: 10 }, (_, index) => staged(index + 1)) };
    await collectOpenedReferences();
    expect(trayIds()).toHaveLength(8);
    expect(compose().referenceProblems).toEqual([
      { kind: 'count', model: 'nano-banana-pro', limit: 8, skipped: 2 },
    ]);
  });

  it('over the viewer, says what happened in a toast too', async () => {
    await startOpenedReferences();
    useViewer.setState({ imageId: 'some-image' });
    waiting = { ...nothingOpened(), references: [staged(4)] };
    await collectOpenedReferences();
    expect(useToasts.getState().toasts.map((toast) => toast.body.kind)).toEqual(['referenceAdded']);
  });

  it('an opened image Banana Studio made offers to reuse its settings, as a drop does', async () => {
    await startOpenedReferences();
    const { metadata } = (routeFixtures['references.takeOpened'].output as OpenedReferences).madeHere[0]!;
    waiting = {
      ...nothingOpened(),
      references: [staged(7), staged(8)],
      madeHere: [{ referenceId: staged(8).id, metadata }],
    };
    await collectOpenedReferences();
    const offers = useToasts.getState().toasts.filter((toast) => toast.body.kind === 'madeHere');
    expect(offers).toHaveLength(1);
    expect(offers[0]?.body).toMatchObject({
      params: { model: metadata.model, prompt: metadata.prompt, resolution: '2K' },
    });
  });

  it('overlapping takes add each file once, in order', async () => {
    await startOpenedReferences();
    waiting = { ...nothingOpened(), references: [staged(5), staged(6)] };
    await Promise.all([collectOpenedReferences(), collectOpenedReferences()]);
    expect(trayIds()).toEqual([staged(5).id, staged(6).id]);
    expect(compose().referenceProblems).toEqual([]);
  });
});
