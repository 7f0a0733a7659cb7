import type { GalleryImage } from '@shared/domain/image';
import type { StagedReference } from '@shared/domain/reference';

/** One picture under "Made from": a library image (opens it) or a dropped file (shown only). */
export type Source = { kind: 'image'; image: GalleryImage } | { kind: 'file'; reference: StagedReference };

/**
 * What an image was made from, in the order KIE got the references, with each reference that
 * came from the library shown as that library image; then library parents the references no
 * longer name (their staged files were cleaned up, or the image came with metadata only).
 */
export function madeFrom(
  referenceIds: readonly string[],
  references: Readonly<Record<string, StagedReference>>,
  parents: readonly GalleryImage[],
): Source[] {
  const byId = new Map(parents.map((parent) => [parent.id, parent]));
  const shown = new Set<string>();
  const sources: Source[] = [];
  for (const id of referenceIds) {
    const reference = references[id];
    if (!reference) continue;
    const parent = reference.galleryImageId === null ? undefined : byId.get(reference.galleryImageId);
    if (parent && !shown.has(parent.id)) {
      shown.add(parent.id);
      sources.push({ kind: 'image', image: parent });
    } else if (!parent) {
      sources.push({ kind: 'file', reference });
    }
  }
  for (const parent of parents) if (!shown.has(parent.id)) sources.push({ kind: 'image', image: parent });
  return sources;
}
