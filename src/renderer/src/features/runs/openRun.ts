import type { TFunction } from 'i18next';
import { api } from '../../ipc/api';
import { useCompare } from '../../store/compare';
import { toastError, useToasts } from '../../store/toasts';
import { runCaption } from './runText';

/**
 * Opens an A/B run as a compare board, each picture captioned with its varying value. A run
 * with fewer than two pictures so far says how far it has got instead.
 */
export async function openRun(t: TFunction, runId: string): Promise<void> {
  const result = await api().request('runs.get', { runId });
  if (!result.ok) {
    toastError(result.error);
    return;
  }
  const { images, size, pending } = result.value;
  if (images.length < 2) {
    useToasts
      .getState()
      .show({ kind: 'runNotReady', done: images.length, total: size ?? images.length, pending });
    return;
  }
  useCompare
    .getState()
    .open(images.map(({ image, run }) => ({ imageId: image.id, caption: runCaption(t, run) })));
}
