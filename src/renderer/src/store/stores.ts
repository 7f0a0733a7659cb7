import { create } from 'zustand';
import type { Credits } from '@shared/domain/credits';
import type { Job, JobParams } from '@shared/domain/job';
import {
  MAX_REFERENCES_ANY_MODEL,
  MODELS,
  TEXT_MODELS,
  type AspectRatio,
  type ModelId,
  type OutputFormat,
  type Resolution,
} from '@shared/domain/models';
import type { QueueStatus } from '@shared/domain/queue';
import type { SettingsPatch, SettingsView } from '@shared/domain/settings';
import type { TunnelStatus } from '@shared/domain/tunnel';
import type { WireError } from '@shared/ipc/result';
import { api } from '../ipc/api';
import type { ConnectionState } from '../ipc/wsBridge';

// ── settings ──────────────────────────────────────────────────────────────────────────────
interface SettingsState {
  view: SettingsView | null;
  error: WireError | null;
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<boolean>;
  setApiKey(apiKey: string | null): Promise<boolean>;
  setSecret(name: 'ngrokAuthtoken' | 'webhookHmacKey', value: string | null): Promise<boolean>;
  received(view: SettingsView): void;
}

export const useSettings = create<SettingsState>((set, get) => ({
  view: null,
  error: null,
  async load() {
    const result = await api().request('settings.get', {});
    if (result.ok) set({ view: result.value, error: null });
    else set({ error: result.error });
  },
  async update(patch) {
    // Optimistic, so toggles and selects follow the click at once; core's answer wins after.
    const before = get().view;
    if (before) set({ view: { ...before, ...patch, compose: { ...before.compose, ...patch.compose } } });
    const result = await api().request('settings.update', patch);
    if (result.ok) set({ view: result.value, error: null });
    else set({ view: before, error: result.error });
    return result.ok;
  },
  async setApiKey(apiKey) {
    const result = await api().request('settings.setApiKey', { apiKey });
    if (result.ok) set({ view: result.value, error: null });
    else set({ error: result.error });
    return result.ok;
  },
  async setSecret(name, value) {
    const result = await api().request('settings.setSecret', { name, value });
    if (result.ok) set({ view: result.value, error: null });
    else set({ error: result.error });
    return result.ok;
  },
  received: (view) => set({ view }),
}));

// ── credits ───────────────────────────────────────────────────────────────────────────────
interface CreditsState {
  credits: Credits | null;
  loading: boolean;
  error: WireError | null;
  refresh(): Promise<void>;
  received(credits: Credits): void;
}

export const useCredits = create<CreditsState>((set) => ({
  credits: null,
  loading: false,
  error: null,
  async refresh() {
    set({ loading: true });
    const result = await api().request('credits.get', {});
    set(
      result.ok
        ? { credits: result.value, error: null, loading: false }
        : { error: result.error, loading: false },
    );
  },
  received: (credits) => set({ credits, error: null }),
}));

// ── jobs ──────────────────────────────────────────────────────────────────────────────────
interface JobsState {
  byId: Record<string, Job>;
  /** Newest first. */
  order: string[];
  queue: QueueStatus | null;
  load(): Promise<void>;
  upsert(job: Job): void;
  setQueue(queue: QueueStatus): void;
}

export function upsertJob(
  state: Pick<JobsState, 'byId' | 'order'>,
  job: Job,
): Pick<JobsState, 'byId' | 'order'> {
  const known = job.id in state.byId;
  const byId = { ...state.byId, [job.id]: job };
  if (known) return { byId, order: state.order };
  const order = [...state.order, job.id].sort((a, b) => {
    const left = byId[a]?.createdAt ?? '';
    const right = byId[b]?.createdAt ?? '';
    return left === right ? b.localeCompare(a) : right.localeCompare(left);
  });
  return { byId, order };
}

export const useJobs = create<JobsState>((set) => ({
  byId: {},
  order: [],
  queue: null,
  async load() {
    const [jobs, queue] = await Promise.all([
      api().request('jobs.list', { limit: 100 }),
      api().request('queue.get', {}),
    ]);
    if (jobs.ok) {
      set((state) => jobs.value.reduce((acc, job) => ({ ...acc, ...upsertJob(acc, job) }), { ...state }));
    }
    if (queue.ok) set({ queue: queue.value });
  },
  upsert: (job) => set((state) => upsertJob(state, job)),
  setQueue: (queue) => set({ queue }),
}));

// ── compose ───────────────────────────────────────────────────────────────────────────────
/** A gallery image picked as a reference for image-to-image (sent in a later release). */
export interface ComposeReference {
  id: string;
  thumbUrl: string;
}

interface ComposeState {
  prompt: string;
  model: ModelId;
  aspectRatio: AspectRatio;
  outputFormat: OutputFormat;
  resolution: Resolution;
  references: ComposeReference[];
  submitting: boolean;
  error: WireError | null;
  setPrompt(prompt: string): void;
  choose(patch: Partial<Pick<ComposeState, 'model' | 'aspectRatio' | 'outputFormat' | 'resolution'>>): void;
  adoptDefaults(view: SettingsView): void;
  /** Puts an earlier image's prompt and settings back into the panel. */
  reuse(params: JobParams): void;
  addReference(reference: ComposeReference): void;
  removeReference(id: string): void;
  submit(): Promise<void>;
}

/** Why the current prompt cannot be sent, or null. Pure, so it is easy to test. */
export function composeProblem(prompt: string, model: ModelId): 'empty' | 'tooLong' | null {
  if (prompt.trim() === '') return 'empty';
  if (Array.from(prompt.trim()).length > MODELS[model].promptMaxChars) return 'tooLong';
  return null;
}

/**
 * The panel settings for reusing an image's parameters. Models the panel does not offer (the
 * edit model needs references) keep the current model; a null resolution keeps the current one.
 */
export function reusedSettings(
  params: JobParams,
  current: Pick<ComposeState, 'model' | 'resolution'>,
): Pick<ComposeState, 'prompt' | 'model' | 'aspectRatio' | 'outputFormat' | 'resolution'> {
  return {
    prompt: params.prompt,
    model: TEXT_MODELS.includes(params.model) ? params.model : current.model,
    aspectRatio: params.aspectRatio,
    outputFormat: params.outputFormat,
    resolution: params.resolution ?? current.resolution,
  };
}

export const useCompose = create<ComposeState>((set, get) => ({
  prompt: '',
  model: 'google/nano-banana',
  aspectRatio: '1:1',
  outputFormat: 'png',
  resolution: '1K',
  references: [],
  submitting: false,
  error: null,
  setPrompt: (prompt) => set({ prompt }),
  choose(patch) {
    set({ ...patch, error: null });
    void useSettings.getState().update({ compose: patch });
  },
  adoptDefaults: (view) => set({ ...view.compose }),
  reuse(params) {
    const { prompt, ...settings } = reusedSettings(params, get());
    set({ prompt });
    get().choose(settings);
  },
  addReference(reference) {
    set((state) =>
      state.references.some((item) => item.id === reference.id) ||
      state.references.length >= MAX_REFERENCES_ANY_MODEL
        ? {}
        : { references: [...state.references, reference] },
    );
  },
  removeReference: (id) =>
    set((state) => ({ references: state.references.filter((item) => item.id !== id) })),
  async submit() {
    const { prompt, model, aspectRatio, outputFormat, resolution, submitting } = get();
    if (submitting || composeProblem(prompt, model) !== null) return;
    set({ submitting: true, error: null });
    const result = await api().request('jobs.submit', {
      prompt,
      model,
      aspectRatio,
      outputFormat,
      resolution: MODELS[model].supportsResolution ? resolution : null,
    });
    // The prompt is kept either way, so the user can iterate or fix and resend.
    if (result.ok) {
      useJobs.getState().upsert(result.value);
      set({ submitting: false });
    } else {
      set({ submitting: false, error: result.error });
    }
  },
}));

// ── tunnel ────────────────────────────────────────────────────────────────────────────────
interface TunnelState {
  status: TunnelStatus | null;
  load(): Promise<void>;
  received(status: TunnelStatus): void;
}

export const useTunnel = create<TunnelState>((set) => ({
  status: null,
  async load() {
    const result = await api().request('tunnel.get', {});
    if (result.ok) set({ status: result.value });
  },
  received: (status) => set({ status }),
}));

// ── ui ────────────────────────────────────────────────────────────────────────────────────
/** What the gallery area shows. */
export type GalleryView = 'library' | 'albums' | 'trash';

interface UiState {
  settingsOpen: boolean;
  connection: ConnectionState;
  /** The log dialog, optionally filtered to one job. */
  logs: { jobId: string | null } | null;
  galleryView: GalleryView;
  openSettings(open: boolean): void;
  openLogs(logs: { jobId: string | null } | null): void;
  setConnection(state: ConnectionState): void;
  setGalleryView(view: GalleryView): void;
}

export const useUi = create<UiState>((set) => ({
  settingsOpen: false,
  connection: 'connecting',
  logs: null,
  galleryView: 'library',
  openSettings: (settingsOpen) => set({ settingsOpen }),
  openLogs: (logs) => set({ logs }),
  setConnection: (connection) => set({ connection }),
  setGalleryView: (galleryView) => set({ galleryView }),
}));
