import type { OpenedFiles } from '../references/openedFiles';
import type { ReferenceStore } from '../references/staging';
import type { HandlerMap } from './router';

type ReferenceRoute =
  'references.add' | 'references.fromGallery' | 'references.get' | 'references.takeOpened';
type ReferenceHandlers = Pick<HandlerMap, ReferenceRoute>;

export interface ReferenceHandlerDeps {
  references: ReferenceStore;
  opened: OpenedFiles;
}

/** Reference images arrive once (bytes, or a library image id) and are used by id afterwards. */
export function createReferenceHandlers(deps: ReferenceHandlerDeps): ReferenceHandlers {
  const { references, opened } = deps;
  return {
    'references.add': async ({ base64, name }) =>
      references.toWire(await references.add(Buffer.from(base64, 'base64'), name)),
    'references.fromGallery': async ({ imageId }) => references.toWire(await references.fromGallery(imageId)),
    'references.get': ({ ids }) => references.list(ids).map((record) => references.toWire(record)),
    'references.takeOpened': () => opened.take(),
  };
}
