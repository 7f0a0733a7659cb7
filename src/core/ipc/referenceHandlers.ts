import type { ReferenceAnnotations } from '../references/annotate';
import type { OpenedFiles } from '../references/openedFiles';
import type { ReferenceStore } from '../references/staging';
import type { HandlerMap } from './router';

type ReferenceRoute =
  | 'references.add'
  | 'references.fromGallery'
  | 'references.get'
  | 'references.takeOpened'
  | 'references.annotate'
  | 'references.annotation';
type ReferenceHandlers = Pick<HandlerMap, ReferenceRoute>;

export interface ReferenceHandlerDeps {
  references: ReferenceStore;
  opened: OpenedFiles;
  annotations: ReferenceAnnotations;
}

/** Reference images arrive once (bytes, or a library image id) and are used by id afterwards. */
export function createReferenceHandlers(deps: ReferenceHandlerDeps): ReferenceHandlers {
  const { references, opened, annotations } = deps;
  return {
    'references.add': async ({ base64, name }) =>
      references.toWire(await references.add(Buffer.from(base64, 'base64'), name)),
    'references.fromGallery': async ({ imageId }) => references.toWire(await references.fromGallery(imageId)),
    'references.get': ({ ids }) => references.list(ids).map((record) => references.toWire(record)),
    'references.takeOpened': () => opened.take(),
    'references.annotate': async ({ originalId, layer }) =>
      references.toWire(await annotations.annotate(originalId, layer)),
    'references.annotation': ({ id }) => {
      const annotation = annotations.open(id);
      return annotation
        ? { original: references.toWire(annotation.original), layer: annotation.layer }
        : null;
    },
  };
}
