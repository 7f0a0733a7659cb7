import { api } from '../ipc/api';
import { addOpenedReferences } from './referenceActions';
import { useViewer } from './viewer';

/**
 * Files opened with the app ("Open with → Banana Studio") wait in core until taken: once the
 * panel is ready (its default model adopted, so the edit-model switch is not undone by it), and
 * again on every `references.opened`. Takes run one after another, so files join the tray in the
 * order they were opened; core hands each file out once, so an overlapping take finds nothing.
 */
let ready = false;
let queue: Promise<void> = Promise.resolve();

/** Called once the panel has its settings: from now on opened files go straight to the tray. */
export function startOpenedReferences(): Promise<void> {
  ready = true;
  return collectOpenedReferences();
}

/** Takes whatever was opened since the last take and adds it; a no-op before start. */
export function collectOpenedReferences(): Promise<void> {
  if (!ready) return Promise.resolve();
  queue = queue
    .then(takeAndAdd)
    .catch((error: unknown) => console.error('Adding the opened files failed', error));
  return queue;
}

async function takeAndAdd(): Promise<void> {
  const result = await api().request('references.takeOpened', {});
  if (!result.ok) {
    console.error('Could not take the opened files', result.error);
    return;
  }
  const { references, problems } = result.value;
  if (references.length === 0 && problems.length === 0) return;
  // Over the viewer the tray is out of sight: say what happened in a toast as well.
  await addOpenedReferences(result.value, { announce: useViewer.getState().imageId !== null });
}
