import {
  EMBEDDED_METADATA_APP,
  jobParamsFromMetadata,
  type EmbeddedMetadata,
} from '@shared/domain/imageMetadata';
import type { ModelId } from '@shared/domain/models';
import type { OpenedReferences, StagedReference } from '@shared/domain/reference';
import {
  bytesToBase64,
  containsAscii,
  SNIFF_BYTES,
  sniffImageFormat,
} from '../features/compose/referenceBytes';
import { api } from '../ipc/api';
import { useGallery } from './gallery';
import { useReferenceCache } from './referenceCache';
import {
  checkFileShape,
  duplicateProblem,
  sizeProblem,
  stagingProblem,
  type ReferenceProblem,
} from './referenceProblems';
import { galleryIdsFromUriList, referenceLimit, DRAG_IMAGE_MIME } from './referenceRules';
import { useCompose } from './stores';
import { useToasts } from './toasts';

/**
 * How references get into the compose panel: files (dropped, pasted, picked) and library images
 * (dragged from the gallery, "Use as reference"). Everything that can be checked here is checked
 * before a byte is sent — a folder, an empty or too big file, a file that is not an image by its
 * first bytes, one already in the tray, more images than the model takes — and core checks the
 * rest (a full decode). Each refusal becomes a ReferenceProblem; the prompt and the references
 * already there stay as they are.
 */

/** A file as it arrived: from a drop it is known whether it was a folder. */
export interface IncomingFile {
  file: File;
  isDirectory: boolean;
}

type Source =
  | { kind: 'file'; file: File; name: string; isDirectory: boolean }
  | { kind: 'gallery'; imageId: string; name: string }
  /** Already staged by core (a file opened with the app). */
  | { kind: 'staged'; reference: StagedReference; name: string; metadata: EmbeddedMetadata | null };

/** `announce`: also report the outcome in a toast (the panel may be hidden behind the viewer). */
interface AddOptions {
  announce?: boolean;
}

// In Electron a tile starts a native file drag (Tile.tsx) instead of the browser's, so a tile
// dropped back onto the window arrives as its library files. Remembering the drag lets those be
// staged from the library, which keeps the result's lineage.
let galleryDrag: string[] | null = null;

export function noteGalleryDrag(ids: readonly string[]): void {
  galleryDrag = [...ids];
}

function takeGalleryDrag(files: readonly IncomingFile[]): Map<File, string> {
  const ids = galleryDrag;
  galleryDrag = null;
  const matched = new Map<File, string>();
  if (!ids) return matched;
  const byName = new Map(
    useGallery
      .getState()
      .items.filter((item) => ids.includes(item.id))
      .map((item) => [item.fileName, item.id] as const),
  );
  for (const { file } of files) {
    const id = byName.get(file.name);
    if (id !== undefined) matched.set(file, id);
  }
  return matched;
}

function galleryName(imageId: string): string {
  return useGallery.getState().items.find((item) => item.id === imageId)?.fileName ?? '';
}

/** Reads what a drop carries while the event is still live (a DataTransfer empties afterwards). */
export function dropReferences(data: DataTransfer): void {
  const files = droppedFiles(data);
  const fromTiles = takeGalleryDrag(files);
  if (files.length > 0) {
    void addSources(
      files.map(({ file, isDirectory }) => {
        const imageId = fromTiles.get(file);
        return imageId !== undefined
          ? { kind: 'gallery', imageId, name: file.name }
          : { kind: 'file', file, name: file.name, isDirectory };
      }),
    );
    return;
  }
  const custom = data
    .getData(DRAG_IMAGE_MIME)
    .split('\n')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const ids =
    custom.length > 0 ? custom : galleryIdsFromUriList(data.getData('text/uri-list'), window.location.origin);
  if (ids.length === 0) {
    useCompose.getState().setReferenceProblems([{ kind: 'notImage' }]);
    return;
  }
  void addGalleryReferences(ids);
}

function droppedFiles(data: DataTransfer): IncomingFile[] {
  const items = [...data.items].filter((item) => item.kind === 'file');
  if (items.length === 0) return [...data.files].map((file) => ({ file, isDirectory: false }));
  return items.flatMap((item) => {
    const file = item.getAsFile();
    if (!file) return [];
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    // Without an entry, a folder shows as a nameless-type, empty, extension-less file.
    const isDirectory = entry
      ? entry.isDirectory
      : file.type === '' && file.size === 0 && !file.name.includes('.');
    return [{ file, isDirectory }];
  });
}

/** Files from a paste or the file picker. */
export function addReferenceFiles(files: readonly IncomingFile[], options: AddOptions = {}): Promise<void> {
  return addSources(
    files.map(({ file, isDirectory }) => ({ kind: 'file', file, name: file.name, isDirectory })),
    options,
  );
}

/** Library images by id (a gallery drag, "Use as reference"). */
export function addGalleryReferences(ids: readonly string[], options: AddOptions = {}): Promise<void> {
  return addSources(
    [...new Set(ids)].map((imageId) => ({ kind: 'gallery', imageId, name: galleryName(imageId) })),
    options,
  );
}

/**
 * Files opened with the app ("Open with → Banana Studio"): core has staged them, or refused
 * them with a message in the user's language. They join the tray like dropped files.
 */
export function addOpenedReferences(opened: OpenedReferences, options: AddOptions = {}): Promise<void> {
  return addSources(
    opened.references.map((reference) => ({
      kind: 'staged',
      reference,
      name: reference.name,
      metadata: opened.madeHere.find((made) => made.referenceId === reference.id)?.metadata ?? null,
    })),
    options,
    opened.problems.map(({ message }) => ({ kind: 'refused', message })),
  );
}

/**
 * What is wrong with a source before anything is sent, or null. `model` is the one it would go
 * to, whose size limit applies.
 */
async function precheck(source: Source, model: ModelId): Promise<ReferenceProblem | null> {
  if (source.kind === 'staged')
    return sizeProblem(model, { name: source.name, bytes: source.reference.bytes });
  if (source.kind === 'gallery') return null;
  const { file } = source;
  const shape = checkFileShape(
    { name: file.name, size: file.size, type: file.type, isDirectory: source.isDirectory },
    model,
  );
  if (shape) return shape;
  try {
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    return sniffImageFormat(head) ? null : { kind: 'type', name: file.name };
  } catch {
    return { kind: 'unreadable', name: file.name };
  }
}

/**
 * A file's staged id, as core will give it (the first 32 hex characters of its SHA-256), or null
 * when it cannot be read or hashed here; then core's answer tells.
 */
async function fileReferenceId(file: File): Promise<string | null> {
  if (typeof crypto === 'undefined' || crypto.subtle === undefined) return null;
  try {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
    return Array.from(digest.subarray(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}

/**
 * Splits the sources into those new to the tray and those already in it (or twice in this
 * drop), so that a file dropped again is said to be there already rather than counted against
 * the room left. Only a file as long as one already seen can be the same file: only those are
 * read and hashed.
 */
async function withoutDuplicates(sources: readonly Source[]): Promise<{ fresh: Source[]; names: string[] }> {
  const tray = useCompose.getState().references;
  const ids = new Set(tray.map((item) => item.id));
  const images = new Set(tray.flatMap((item) => (item.galleryImageId ? [item.galleryImageId] : [])));
  const sizes = new Set(tray.map((item) => item.bytes));
  const earlier: { size: number; id: () => Promise<string | null> }[] = [];
  const fresh: Source[] = [];
  const names: string[] = [];
  for (const source of sources) {
    let seen = false;
    if (source.kind === 'gallery') {
      seen = images.has(source.imageId);
      images.add(source.imageId);
    } else if (source.kind === 'staged') {
      seen = ids.has(source.reference.id);
      ids.add(source.reference.id);
    } else {
      const { file } = source;
      let hashed: Promise<string | null> | null = null;
      const id = () => (hashed ??= fileReferenceId(file));
      const twins = earlier.filter((item) => item.size === file.size);
      if (sizes.has(file.size) || twins.length > 0) {
        const own = await id();
        if (own !== null) {
          const twinIds = await Promise.all(twins.map((twin) => twin.id()));
          seen = ids.has(own) || twinIds.includes(own);
        }
      }
      earlier.push({ size: file.size, id });
    }
    if (seen) names.push(source.name);
    else fresh.push(source);
  }
  return { fresh, names };
}

interface Staged {
  reference: StagedReference | null;
  problem: ReferenceProblem | null;
  /** The file's settings, when it is one of ours. */
  metadata: EmbeddedMetadata | null;
}

async function stage(source: Source, inspect: boolean): Promise<Staged> {
  if (source.kind === 'staged') {
    return { reference: source.reference, problem: null, metadata: inspect ? source.metadata : null };
  }
  if (source.kind === 'gallery') {
    const result = await api().request('references.fromGallery', { imageId: source.imageId });
    return result.ok
      ? { reference: result.value, problem: null, metadata: null }
      : { reference: null, problem: stagingProblem(source.name, result.error), metadata: null };
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await source.file.arrayBuffer());
  } catch {
    return { reference: null, problem: { kind: 'unreadable', name: source.name }, metadata: null };
  }
  const base64 = bytesToBase64(bytes);
  const name = source.name.slice(0, 255);
  const result = await api().request('references.add', { base64, name });
  if (!result.ok)
    return { reference: null, problem: stagingProblem(source.name, result.error), metadata: null };
  // Only files carrying our metadata key are worth sending a second time to be read.
  if (!inspect || !containsAscii(bytes, EMBEDDED_METADATA_APP)) {
    return { reference: result.value, problem: null, metadata: null };
  }
  const inspected = await api().request('images.inspect', { base64, name });
  return { reference: result.value, problem: null, metadata: inspected.ok ? inspected.value.metadata : null };
}

/**
 * Checks every source, keeps as many as the receiving model takes, and stages them one after
 * the other (in order, so the tray keeps the order they came in) behind spinner chips.
 */
async function addSources(
  sources: readonly Source[],
  options: AddOptions = {},
  refused: readonly ReferenceProblem[] = [],
): Promise<void> {
  const compose = useCompose.getState();
  compose.setReferenceProblems([]);
  const problems: ReferenceProblem[] = [...refused];
  const accepted: Source[] = [];
  const receiving = receivingModel();
  for (const source of sources) {
    const problem = await precheck(source, receiving.model);
    if (problem) problems.push(problem);
    else accepted.push(source);
  }
  const { fresh, names } = await withoutDuplicates(accepted);
  const duplicates = duplicateProblem(names);
  if (duplicates) problems.push(duplicates);

  const { model, limit, count } = receivingModel();
  const room = Math.max(0, limit - count);
  const taken = fresh.slice(0, room);
  if (fresh.length > taken.length) {
    problems.push({ kind: 'count', model, limit, skipped: fresh.length - taken.length });
  }
  report(problems, options);

  const pending = compose.startPending(taken.map((source) => source.name));
  let offered = false;
  let added = 0;
  for (const [index, source] of taken.entries()) {
    const key = pending[index]?.key;
    try {
      const outcome = await stage(source, !offered);
      if (outcome.problem) {
        report([outcome.problem], options);
        continue;
      }
      if (!outcome.reference) continue;
      // A library image's size is known only once staged (a 4K PNG can be over 10 MB).
      const tooBig = sizeProblem(model, { name: source.name, bytes: outcome.reference.bytes });
      if (tooBig) {
        report([tooBig], options);
        continue;
      }
      useReferenceCache.getState().remember([outcome.reference]);
      if (!useCompose.getState().addReferences([outcome.reference])) {
        report([{ kind: 'duplicate', name: source.name }], options);
        continue;
      }
      added += 1;
      if (outcome.metadata) {
        offered = true;
        useToasts.getState().show({
          kind: 'madeHere',
          name: source.name,
          params: jobParamsFromMetadata(outcome.metadata, useCompose.getState()),
        });
      }
    } finally {
      if (key !== undefined) useCompose.getState().endPending(key);
    }
  }
  if (options.announce && added > 0) useToasts.getState().show({ kind: 'referenceAdded' });
}

/** The model references added now would go to, how many it takes, and how many are there. */
function receivingModel(): { model: ModelId; limit: number; count: number } {
  const state = useCompose.getState();
  const count = state.references.length + state.pending.length;
  const { model, limit } = referenceLimit(
    { model: state.model, pinned: state.modelPinned, hint: state.modelHint },
    count,
  );
  return { model, limit, count };
}

function report(problems: readonly ReferenceProblem[], options: AddOptions): void {
  if (problems.length === 0) return;
  useCompose.getState().addReferenceProblems(problems);
  if (options.announce) {
    for (const problem of problems) useToasts.getState().show({ kind: 'referenceProblem', problem });
  }
}
