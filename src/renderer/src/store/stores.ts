import { create } from 'zustand';
import type { Credits } from '@shared/domain/credits';
import type { GalleryCursor, GalleryImage } from '@shared/domain/image';
import type { Job } from '@shared/domain/job';
import {
  MODELS,
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

// ── gallery ───────────────────────────────────────────────────────────────────────────────
interface GalleryState {
  items: GalleryImage[];
  cursor: GalleryCursor | null;
  loaded: boolean;
  loading: boolean;
  hasMore: boolean;
  error: WireError | null;
  loadMore(): Promise<void>;
  prepend(image: GalleryImage): void;
}

export const GALLERY_PAGE = 60;

export function prependImage(items: GalleryImage[], image: GalleryImage): GalleryImage[] {
  if (items.some((item) => item.id === image.id)) return items;
  return [image, ...items];
}

export const useGallery = create<GalleryState>((set, get) => ({
  items: [],
  cursor: null,
  loaded: false,
  loading: false,
  hasMore: true,
  error: null,
  async loadMore() {
    const { loading, hasMore, cursor } = get();
    if (loading || !hasMore) return;
    set({ loading: true });
    const result = await api().request('gallery.list', { cursor, limit: GALLERY_PAGE });
    if (!result.ok) {
      set({ loading: false, error: result.error, loaded: true });
      return;
    }
    set((state) => {
      const seen = new Set(state.items.map((item) => item.id));
      const fresh = result.value.items.filter((item) => !seen.has(item.id));
      return {
        items: [...state.items, ...fresh],
        cursor: result.value.nextCursor,
        hasMore: result.value.nextCursor !== null,
        loading: false,
        loaded: true,
        error: null,
      };
    });
  },
  prepend: (image) => set((state) => ({ items: prependImage(state.items, image) })),
}));

// ── compose ───────────────────────────────────────────────────────────────────────────────
interface ComposeState {
  prompt: string;
  model: ModelId;
  aspectRatio: AspectRatio;
  outputFormat: OutputFormat;
  resolution: Resolution;
  submitting: boolean;
  error: WireError | null;
  setPrompt(prompt: string): void;
  choose(patch: Partial<Pick<ComposeState, 'model' | 'aspectRatio' | 'outputFormat' | 'resolution'>>): void;
  adoptDefaults(view: SettingsView): void;
  submit(): Promise<void>;
}

/** Why the current prompt cannot be sent, or null. Pure, so it is easy to test. */
export function composeProblem(prompt: string, model: ModelId): 'empty' | 'tooLong' | null {
  if (prompt.trim() === '') return 'empty';
  if (Array.from(prompt.trim()).length > MODELS[model].promptMaxChars) return 'tooLong';
  return null;
}

export const useCompose = create<ComposeState>((set, get) => ({
  prompt: '',
  model: 'google/nano-banana',
  aspectRatio: '1:1',
  outputFormat: 'png',
  resolution: '1K',
  submitting: false,
  error: null,
  setPrompt: (prompt) => set({ prompt }),
  choose(patch) {
    set({ ...patch, error: null });
    void useSettings.getState().update({ compose: patch });
  },
  adoptDefaults: (view) => set({ ...view.compose }),
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
interface UiState {
  settingsOpen: boolean;
  viewerImageId: string | null;
  connection: ConnectionState;
  /** The log dialog, optionally filtered to one job. */
  logs: { jobId: string | null } | null;
  openSettings(open: boolean): void;
  openLogs(logs: { jobId: string | null } | null): void;
  openViewer(imageId: string | null): void;
  setConnection(state: ConnectionState): void;
}

export const useUi = create<UiState>((set) => ({
  settingsOpen: false,
  viewerImageId: null,
  connection: 'connecting',
  logs: null,
  openSettings: (settingsOpen) => set({ settingsOpen }),
  openLogs: (logs) => set({ logs }),
  openViewer: (viewerImageId) => set({ viewerImageId }),
  setConnection: (connection) => set({ connection }),
}));
