import { create } from 'zustand';
import type { GalleryImage } from '@shared/domain/image';
import { UNKNOWN_MODEL } from '@shared/domain/image';
import { MAX_AGAIN, missingReferenceSchema, type MissingReference } from '@shared/ipc/runRoutes';
import type { WireError } from '@shared/ipc/result';
import { z } from 'zod';
import { api } from '../ipc/api';
import { useJobs } from './jobs';
import { useToasts } from './toasts';

interface AgainState {
  /** The image to make again; null while the dialog is closed. */
  image: GalleryImage | null;
  /** How many new jobs (1–4). */
  count: number;
  /** Its references whose files are gone; null while core is being asked. */
  missing: MissingReference[] | null;
  sending: boolean;
  error: WireError | null;
  open(image: GalleryImage): void;
  close(): void;
  setCount(count: number): void;
  send(): Promise<void>;
}

/** Whether "Again" can be offered for an image: only for pictures Banana Studio made. */
export function canRunAgain(image: Pick<GalleryImage, 'params'>): boolean {
  return image.params.model !== UNKNOWN_MODEL;
}

const missingDetailsSchema = z.object({ missing: z.array(missingReferenceSchema) });

let generation = 0;

/**
 * "Again ×N": the dialog's state. Opening it asks core which of the image's references are gone,
 * so the dialog can name them before anything is sent; core checks again when it is sent.
 */
export const useAgain = create<AgainState>((set, get) => ({
  image: null,
  count: 1,
  missing: null,
  sending: false,
  error: null,
  open(image) {
    if (!canRunAgain(image)) return;
    const mine = ++generation;
    set({ image, count: 1, missing: null, sending: false, error: null });
    void api()
      .request('jobs.againCheck', { imageId: image.id })
      .then((result) => {
        if (mine !== generation) return;
        if (result.ok) set({ missing: result.value.missing });
        else set({ missing: [], error: result.error });
      });
  },
  close() {
    generation += 1;
    set({ image: null, missing: null, sending: false, error: null });
  },
  setCount: (count) => set({ count: Math.min(MAX_AGAIN, Math.max(1, Math.round(count))), error: null }),
  async send() {
    const { image, count, sending, missing } = get();
    if (!image || sending || missing === null || missing.length > 0) return;
    const mine = generation;
    set({ sending: true, error: null });
    const result = await api().request('jobs.again', { imageId: image.id, count });
    if (mine !== generation) return;
    if (!result.ok) {
      const named = missingDetailsSchema.safeParse(result.error.details);
      set({ sending: false, error: result.error, ...(named.success ? { missing: named.data.missing } : {}) });
      return;
    }
    for (const job of result.value.jobs) useJobs.getState().upsert(job);
    get().close();
    useToasts.getState().show({ kind: 'sent', count: result.value.jobs.length });
  },
}));
