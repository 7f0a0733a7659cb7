import { create } from 'zustand';
import type { Job, JobParams } from '@shared/domain/job';
import type { ReconcileReport } from '@shared/ipc/galleryRoutes';
import type { WireError } from '@shared/ipc/result';
import type { ReferenceProblem } from './referenceProblems';

/** What a toast says; the Toasts component turns each kind into translated text. */
export type ToastBody =
  | { kind: 'trashed'; ids: string[] }
  | { kind: 'restored'; count: number }
  | { kind: 'purged'; count: number }
  | { kind: 'forgotten'; count: number }
  | { kind: 'exported'; count: number; folder: string | null }
  | { kind: 'albumAdded'; count: number; album: string }
  | { kind: 'tagged'; count: number }
  | { kind: 'reused' }
  | { kind: 'referenceAdded' }
  | { kind: 'referenceProblem'; problem: ReferenceProblem }
  /** A dropped file was made by Banana Studio: its settings can be reused. */
  | { kind: 'madeHere'; name: string; params: JobParams }
  | { kind: 'copied' }
  | { kind: 'rescanned'; report: ReconcileReport }
  /** A job failed (or its outcome became unknown) while this window was open. */
  | { kind: 'jobFailed'; job: Job }
  /** C or Compare with fewer than 2 or more than 4 images selected. */
  | { kind: 'compareNeeds' }
  /** "Again ×N" queued its jobs. */
  | { kind: 'sent'; count: number }
  /** An A/B run queued one job per variant. */
  | { kind: 'runSent'; count: number }
  /** "Open run" before two of its pictures have arrived. */
  | { kind: 'runNotReady'; done: number; total: number; pending: number }
  | { kind: 'error'; error: WireError };

export interface Toast {
  id: number;
  body: ToastBody;
}

/** Long enough to reach for Undo (or Reuse); the rest are plain confirmations. */
export const UNDO_TOAST_MS = 8_000;
export const TOAST_MS = 4_000;
const MAX_TOASTS = 3;

interface ToastState {
  toasts: Toast[];
  show(body: ToastBody): number;
  dismiss(id: number): void;
  /** Drops Undo toasts for images that were since restored or purged another way. */
  settle(ids: readonly string[]): void;
}

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  show(body) {
    const id = nextId++;
    set((state) => ({ toasts: [...state.toasts, { id, body }].slice(-MAX_TOASTS) }));
    const ms =
      body.kind === 'trashed' || body.kind === 'madeHere' || body.kind === 'jobFailed'
        ? UNDO_TOAST_MS
        : TOAST_MS;
    timers.set(
      id,
      setTimeout(() => get().dismiss(id), ms),
    );
    return id;
  },
  dismiss(id) {
    const timer = timers.get(id);
    if (timer) clearTimeout(timer);
    timers.delete(id);
    set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
  },
  settle(ids) {
    const settled = new Set(ids);
    for (const toast of get().toasts) {
      if (toast.body.kind === 'trashed' && toast.body.ids.some((id) => settled.has(id)))
        get().dismiss(toast.id);
    }
  },
}));

export function toastError(error: WireError): void {
  useToasts.getState().show({ kind: 'error', error });
}
