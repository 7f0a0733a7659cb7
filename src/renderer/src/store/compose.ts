import { create } from 'zustand';
import type { Credits } from '@shared/domain/credits';
import { UNKNOWN_MODEL, type ImageParams } from '@shared/domain/image';
import {
  MAX_REFERENCES_ANY_MODEL,
  MODELS,
  TEXT_MODELS,
  type AspectRatio,
  type ModelId,
  type OutputFormat,
  type Resolution,
} from '@shared/domain/models';
import { costOf } from '@shared/domain/pricing';
import type { StagedReference } from '@shared/domain/reference';
import { DEFAULT_SETTINGS, type ComposeDefaults, type SettingsView } from '@shared/domain/settings';
import type { WireError } from '@shared/ipc/result';
import { api } from '../ipc/api';
import { useAbRun } from './abRun';
import { creditStanding, fitToModel, planTasks, promptProblem } from './composeRules';
import { useCredits } from './credits';
import { useJobs } from './jobs';
import { usePromptHistory } from './promptHistory';
import type { ReferenceProblem } from './referenceProblems';
import {
  chooseModel,
  followReferences,
  moveById,
  nudgeById,
  referencesBlockSubmit,
  referencesToSend,
  undoSwitch,
  type ModelChoice,
  type ModelHint,
} from './referenceRules';
import { useSettings } from './settings';
import { useUi } from './ui';

/** A file or library image being staged: shown as a spinner chip until core answers. */
export interface PendingReference {
  key: number;
  name: string;
}

interface ComposeState {
  prompt: string;
  model: ModelId;
  aspectRatio: AspectRatio;
  outputFormat: OutputFormat;
  resolution: Resolution;
  /** Each image is its own task (its own jobs.submit), so 1–4 jobs per prompt. */
  imagesPerPrompt: number;
  /** Google Search on; sent only to the models that take it (Nano Banana 2). */
  googleSearch: boolean;
  /** One prompt per line, each sent `imagesPerPrompt` times, after a confirmation. */
  batch: boolean;
  /** The batch confirmation is open. */
  batchConfirm: boolean;
  /** Tasks sent so far while a submit of several is running, or when one of them was refused. */
  progress: { sent: number; total: number } | null;
  /** Staged reference images, in the order they are sent. */
  references: StagedReference[];
  pending: PendingReference[];
  /** Why the latest files could not be added; shown under the tray until dismissed. */
  referenceProblems: ReferenceProblem[];
  /** See ModelChoice: the model was picked with references attached and is not switched. */
  modelPinned: boolean;
  modelHint: ModelHint | null;
  submitting: boolean;
  error: WireError | null;
  setPrompt(prompt: string): void;
  choose(
    patch: Partial<
      Pick<
        ComposeState,
        'model' | 'aspectRatio' | 'outputFormat' | 'resolution' | 'imagesPerPrompt' | 'googleSearch'
      >
    >,
  ): void;
  setBatch(batch: boolean): void;
  /** Generate: submits at once, or in batch mode opens the confirmation first. */
  requestSubmit(): void;
  confirmBatch(yes: boolean): void;
  adoptDefaults(view: SettingsView): void;
  /** Puts an earlier image's prompt and settings back into the panel. */
  reuse(params: ImageParams): void;
  /** Appends staged references (ones already in the tray are skipped); false if none was new. */
  addReferences(references: readonly StagedReference[]): boolean;
  removeReference(id: string): void;
  clearReferences(): void;
  /** Moves a reference to `index` of the tray. */
  moveReference(id: string, index: number): void;
  /** Moves a reference one place earlier or later (Alt+← / Alt+→). */
  nudgeReference(id: string, delta: -1 | 1): void;
  startPending(names: readonly string[]): PendingReference[];
  endPending(key: number): void;
  setReferenceProblems(problems: ReferenceProblem[]): void;
  addReferenceProblems(problems: readonly ReferenceProblem[]): void;
  undoModelSwitch(): void;
  dismissModelHint(): void;
  /** Sends every planned task in order, one jobs.submit each; stops at the first refusal. */
  submit(): Promise<void>;
}

/** Why the current prompt cannot be sent, or null. Pure, so it is easy to test. */
export function composeProblem(prompt: string, model: ModelId, batch = false): 'empty' | 'tooLong' | null {
  return promptProblem(prompt, model, batch)?.kind ?? null;
}

/** What the panel's current choices cost: per image, in all, and what the balance says to that. */
export function composeCost(
  state: Pick<ComposeState, 'prompt' | 'model' | 'resolution' | 'imagesPerPrompt' | 'batch'>,
  view: Pick<SettingsView, 'demoMode' | 'costOverrides'> | null,
  credits: Credits | null,
) {
  const demo = view?.demoMode ?? false;
  const perImage = costOf(
    state.model,
    MODELS[state.model].supportsResolution ? state.resolution : null,
    view?.costOverrides ?? {},
  );
  const tasks = planTasks(state.prompt, state.batch, state.imagesPerPrompt).length;
  // An empty box still previews one prompt's worth, so the price is visible before typing.
  const total = perImage * Math.max(tasks, state.imagesPerPrompt);
  const standing = creditStanding(credits, demo, perImage, total);
  return { demo, perImage, tasks, total, standing };
}

/** Whether Generate is unavailable right now (the panel says why). */
function submitBlocked(state: ComposeState): boolean {
  return (
    state.submitting ||
    // Not while a reference is still being staged: the job would go without it.
    state.pending.length > 0 ||
    composeProblem(state.prompt, state.model, state.batch) !== null ||
    referencesBlockSubmit(state.model, state.references) ||
    composeCost(state, useSettings.getState().view, useCredits.getState().credits).standing === 'insufficient'
  );
}

/**
 * The panel settings for reusing an image's parameters. The edit model is taken only while
 * references are attached (it needs them); otherwise the current model stays, as it does for a
 * model the panel does not know and for a photo from elsewhere (unknown model). A null resolution keeps the current one; Google Search is taken
 * as it was (off when the image's model does not take it).
 */
export function reusedSettings(
  params: ImageParams,
  current: Pick<ComposeState, 'model' | 'resolution'> & { referenceCount?: number },
): Pick<ComposeState, 'prompt' | 'model' | 'aspectRatio' | 'outputFormat' | 'resolution' | 'googleSearch'> {
  const model = params.model === UNKNOWN_MODEL ? null : params.model;
  const offered =
    model !== null &&
    (TEXT_MODELS.includes(model) || ((current.referenceCount ?? 0) > 0 && MODELS[model].maxReferences > 0));
  return {
    prompt: params.prompt,
    model: offered ? model : current.model,
    aspectRatio: params.aspectRatio,
    outputFormat: params.outputFormat,
    resolution: params.resolution ?? current.resolution,
    googleSearch: params.googleSearch ?? false,
  };
}

function modelChoice(state: Pick<ComposeState, 'model' | 'modelPinned' | 'modelHint'>): ModelChoice {
  return { model: state.model, pinned: state.modelPinned, hint: state.modelHint };
}

function fromChoice(choice: ModelChoice): Pick<ComposeState, 'model' | 'modelPinned' | 'modelHint'> {
  return { model: choice.model, modelPinned: choice.pinned, modelHint: choice.hint };
}

/** The tray changed to `references`: the model follows (see followReferences). */
function withReferences(
  state: ComposeState,
  references: StagedReference[],
  added = false,
): Partial<ComposeState> {
  const choice = followReferences(modelChoice(state), references.length, added);
  return { references, ...fromChoice(choice), ...fitToModel(choice.model, state) };
}

/** Remembers the panel's choices as the defaults; never the edit model, which needs references. */
function saveDefaults(patch: Partial<ComposeDefaults>): void {
  const { model, ...rest } = patch;
  const compose = model !== undefined && !MODELS[model].requiresReferences ? { ...rest, model } : rest;
  if (Object.keys(compose).length > 0) void useSettings.getState().update({ compose });
}

let pendingKey = 0;

export const useCompose = create<ComposeState>((set, get) => ({
  prompt: '',
  // Until the saved settings arrive (adoptDefaults): the app's own defaults.
  ...DEFAULT_SETTINGS.compose,
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
  setPrompt: (prompt) => set({ prompt }),
  choose(patch) {
    const state = get();
    const modelPatch =
      patch.model !== undefined
        ? {
            ...fromChoice(chooseModel(patch.model, state.references.length)),
            ...fitToModel(patch.model, { ...state, ...patch }),
          }
        : {};
    set({ ...patch, ...modelPatch, error: null, progress: null });
    saveDefaults(patch);
  },
  setBatch(batch) {
    // Batch and A/B are two ways of sending many: one at a time.
    if (batch) useAbRun.getState().setEnabled(false);
    set({ batch, error: null, progress: null });
  },
  requestSubmit() {
    const state = get();
    if (useAbRun.getState().enabled) {
      useAbRun.getState().request(state);
      return;
    }
    // While the web bridge is down nothing can be sent (and nothing is queued to go later).
    if (submitBlocked(state) || useUi.getState().connection !== 'connected') return;
    if (state.batch) set({ batchConfirm: true });
    else void state.submit();
  },
  confirmBatch(yes) {
    set({ batchConfirm: false });
    if (yes) void get().submit();
  },
  adoptDefaults: (view) =>
    set((state) => {
      const choice = followReferences(
        { model: view.compose.model, pinned: false, hint: null },
        state.references.length,
      );
      // A saved default is not a switch the user needs to hear about.
      return {
        ...view.compose,
        ...fromChoice({ ...choice, hint: null }),
        ...fitToModel(choice.model, view.compose),
      };
    }),
  reuse(params) {
    const state = get();
    const settings = reusedSettings(params, { ...state, referenceCount: state.references.length });
    // The reused model is followed like a fresh one: a text model with references attached hands
    // over to its edit model, with the hint and its undo.
    const choice = followReferences(
      { model: settings.model, pinned: false, hint: null },
      state.references.length,
    );
    // An image's ratio may be one only its own model takes (Nano Banana 2's 1:8).
    const fitted = { ...settings, ...fitToModel(choice.model, settings) };
    set({ ...fitted, ...fromChoice(choice), error: null });
    const { prompt: _prompt, ...defaults } = fitted;
    saveDefaults(defaults);
  },
  addReferences(references) {
    const known = new Set(get().references.map((item) => item.id));
    const fresh = references.filter(
      (item, index) => !known.has(item.id) && references.indexOf(item) === index,
    );
    if (fresh.length === 0) return false;
    set((state) =>
      withReferences(state, [...state.references, ...fresh].slice(0, MAX_REFERENCES_ANY_MODEL), true),
    );
    return true;
  },
  removeReference: (id) =>
    set((state) =>
      withReferences(
        state,
        state.references.filter((item) => item.id !== id),
      ),
    ),
  clearReferences: () => set((state) => withReferences(state, [])),
  moveReference: (id, index) => set((state) => ({ references: moveById(state.references, id, index) })),
  nudgeReference: (id, delta) => set((state) => ({ references: nudgeById(state.references, id, delta) })),
  startPending(names) {
    const added = names.map((name) => ({ key: ++pendingKey, name }));
    set((state) => ({ pending: [...state.pending, ...added] }));
    return added;
  },
  endPending: (key) => set((state) => ({ pending: state.pending.filter((item) => item.key !== key) })),
  setReferenceProblems: (referenceProblems) => set({ referenceProblems }),
  addReferenceProblems: (problems) =>
    set((state) => ({ referenceProblems: [...state.referenceProblems, ...problems] })),
  undoModelSwitch: () => set((state) => fromChoice(undoSwitch(modelChoice(state)))),
  dismissModelHint: () => set({ modelHint: null }),
  async submit() {
    const state = get();
    if (useAbRun.getState().enabled) {
      useAbRun.getState().request(state);
      return;
    }
    if (submitBlocked(state)) return;
    const { model, aspectRatio, outputFormat, resolution, references, googleSearch } = state;
    const ids = referencesToSend(
      model,
      references.map((item) => item.id),
    );
    const prompts = planTasks(state.prompt, state.batch, state.imagesPerPrompt);
    const total = prompts.length;
    set({ submitting: true, error: null, progress: { sent: 0, total } });
    // One after another, so the jobs queue in the order of the lines; the first refusal stops
    // the rest (a missing key or no credits would refuse them all the same).
    for (const [index, prompt] of prompts.entries()) {
      const result = await api().request('jobs.submit', {
        prompt,
        model,
        aspectRatio,
        outputFormat,
        resolution: MODELS[model].supportsResolution ? resolution : null,
        ...(ids.length > 0 ? { references: ids } : {}),
        ...(googleSearch && MODELS[model].supportsGoogleSearch ? { googleSearch: true } : {}),
      });
      if (!result.ok) {
        set({ submitting: false, error: result.error, progress: index > 0 ? { sent: index, total } : null });
        return;
      }
      useJobs.getState().upsert(result.value);
      usePromptHistory.getState().remember(prompt);
      set({ progress: { sent: index + 1, total } });
    }
    // The prompt and references are kept, so the user can iterate or fix and resend.
    set({ submitting: false, progress: null });
  },
}));
