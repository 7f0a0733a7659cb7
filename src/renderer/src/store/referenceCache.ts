import { create } from 'zustand';
import type { StagedReference } from '@shared/domain/reference';
import { api } from '../ipc/api';

/** The contract's cap on ids per `references.get`. */
const GET_MAX = 100;

interface ReferenceCacheState {
  /** Staged references seen so far (added in this session, or resolved for the job list). */
  byId: Record<string, StagedReference>;
  remember(references: readonly StagedReference[]): void;
  /** Asks core once for ids not known yet; ids no longer staged simply stay unknown. */
  resolve(ids: readonly string[]): Promise<void>;
}

/** Ids asked for already (answered or not), so a job list re-render does not ask again. */
const asked = new Set<string>();

/** Reference thumbnails for jobs: a job carries only ids, resolved here once each. */
export const useReferenceCache = create<ReferenceCacheState>((set, get) => ({
  byId: {},
  remember(references) {
    if (references.every((item) => get().byId[item.id] === item)) return;
    set((state) => ({
      byId: { ...state.byId, ...Object.fromEntries(references.map((item) => [item.id, item])) },
    }));
  },
  async resolve(ids) {
    const wanted = [...new Set(ids)].filter((id) => !(id in get().byId) && !asked.has(id));
    if (wanted.length === 0) return;
    wanted.forEach((id) => asked.add(id));
    for (let start = 0; start < wanted.length; start += GET_MAX) {
      const result = await api().request('references.get', { ids: wanted.slice(start, start + GET_MAX) });
      if (result.ok) get().remember(result.value);
      else wanted.slice(start, start + GET_MAX).forEach((id) => asked.delete(id));
    }
  },
}));
