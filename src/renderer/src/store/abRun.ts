import { create } from 'zustand';
import type { AspectRatio, ModelId } from '@shared/domain/models';
import { MAX_RUN_VARIANTS, MIN_RUN_VARIANTS, type RunVary } from '@shared/domain/run';
import type { WireError } from '@shared/ipc/result';
import { api } from '../ipc/api';
import { runBase, runCost, runProblem, runVariation, type RunChoices, type RunCompose } from './abRunRules';
import { useCredits } from './credits';
import { useJobs } from './jobs';
import { usePromptHistory } from './promptHistory';
import { useSettings } from './settings';
import { useToasts } from './toasts';
import { useUi } from './ui';

/** The compose panel as a run needs it, with what blocks any submit (staging, sending). */
export interface RunComposeState extends RunCompose {
  pending: readonly unknown[];
  submitting: boolean;
}

interface AbRunState extends RunChoices {
  /** A/B mode: the next Generate sends one job per variant of the one thing that varies. */
  enabled: boolean;
  /** The "are you sure" for a run that costs credits is open. */
  confirming: boolean;
  submitting: boolean;
  error: WireError | null;
  setEnabled(enabled: boolean): void;
  setVary(vary: RunVary): void;
  setPrompt(index: number, text: string): void;
  addPrompt(): void;
  removePrompt(index: number): void;
  toggleModel(model: ModelId): void;
  toggleRatio(ratio: AspectRatio): void;
  /** Generate in A/B mode: sends at once in Demo mode, or asks first when it costs credits. */
  request(compose: RunComposeState): void;
  confirm(yes: boolean, compose: RunComposeState): void;
  send(compose: RunComposeState): Promise<void>;
}

/** Ticks a value on or off, keeping at most MAX_RUN_VARIANTS. */
function toggled<T>(values: readonly T[], value: T): T[] {
  if (values.includes(value)) return values.filter((item) => item !== value);
  return values.length >= MAX_RUN_VARIANTS ? [...values] : [...values, value];
}

function blocked(state: Pick<AbRunState, 'submitting'> & RunChoices, compose: RunComposeState): boolean {
  const cost = runCost(compose, state, useSettings.getState().view, useCredits.getState().credits);
  return (
    state.submitting ||
    compose.submitting ||
    compose.pending.length > 0 ||
    runProblem(compose, state) !== null ||
    cost.standing === 'insufficient' ||
    useUi.getState().connection !== 'connected'
  );
}

export const useAbRun = create<AbRunState>((set, get) => ({
  enabled: false,
  vary: 'prompt',
  prompts: [''],
  models: [],
  ratios: [],
  confirming: false,
  submitting: false,
  error: null,
  setEnabled: (enabled) => set({ enabled, error: null }),
  setVary: (vary) => set({ vary, error: null }),
  setPrompt: (index, text) =>
    set((state) => ({ prompts: state.prompts.map((item, at) => (at === index ? text : item)), error: null })),
  addPrompt: () =>
    set((state) =>
      state.prompts.length + 1 >= MAX_RUN_VARIANTS ? state : { prompts: [...state.prompts, ''], error: null },
    ),
  removePrompt: (index) =>
    set((state) =>
      state.prompts.length + 1 <= MIN_RUN_VARIANTS
        ? state
        : { prompts: state.prompts.filter((_, at) => at !== index), error: null },
    ),
  toggleModel: (model) => set((state) => ({ models: toggled(state.models, model), error: null })),
  toggleRatio: (ratio) => set((state) => ({ ratios: toggled(state.ratios, ratio), error: null })),
  request(compose) {
    const state = get();
    if (blocked(state, compose)) return;
    const cost = runCost(compose, state, useSettings.getState().view, useCredits.getState().credits);
    if (cost.demo) void state.send(compose);
    else set({ confirming: true });
  },
  confirm(yes, compose) {
    set({ confirming: false });
    if (yes) void get().send(compose);
  },
  async send(compose) {
    const state = get();
    if (blocked(state, compose)) return;
    const variation = runVariation(compose, state);
    set({ submitting: true, error: null });
    const result = await api().request('jobs.submitRun', {
      base: runBase(compose, variation.vary),
      variation,
    });
    if (!result.ok) {
      set({ submitting: false, error: result.error });
      return;
    }
    for (const job of result.value.jobs) useJobs.getState().upsert(job);
    const prompts = variation.vary === 'prompt' ? variation.values : [compose.prompt];
    for (const prompt of prompts) usePromptHistory.getState().remember(prompt);
    // The choices are kept, so the user can change one value and send the run again.
    set({ submitting: false });
    useToasts.getState().show({ kind: 'runSent', count: result.value.jobs.length });
  },
}));
