import type { FileHandle } from 'node:fs/promises';
import type { OpenedReferences } from '@shared/domain/reference';
import type { AnyEvent } from '@shared/ipc/contract';
import type { Result } from '@shared/ipc/result';

/** Who is calling: transports fill this in after their own sender checks. */
export interface RequestContext {
  /** 'ipc' (Electron), 'ws' (harness), 'test'. */
  transport: 'ipc' | 'ws' | 'test';
}

/**
 * A file the host may serve for an image id, already open: checked on the open handle to be a
 * regular file inside its root, so the host streams from `handle` (and closes it), never
 * reopening `filePath`, which could be swapped for a symlink in between.
 */
export interface ResolvedImageFile {
  filePath: string;
  mimeType: 'image/png' | 'image/jpeg' | 'image/webp';
  size: number;
  handle: FileHandle;
}

/** What createCore returns to a host. */
export interface Core {
  dispatch(route: string, raw: unknown, ctx: RequestContext): Promise<Result<unknown>>;
  onEvent(listener: (event: AnyEvent) => void): () => void;
  /**
   * The file behind a gallery URL: `asset` is `image`, `thumb` or `ref` (a staged reference
   * image), `rawId` the id exactly as it appeared in the URL (undecoded). Null for anything not
   * safe to serve.
   */
  resolveGalleryFile(asset: string, rawId: string): Promise<ResolvedImageFile | null>;
  /**
   * Files the OS handed the app (absolute paths): each is checked and staged like a dropped
   * file, and the outcome waits for the renderer (`references.takeOpened`), which
   * `references.opened` calls over. Resolves with this call's outcome.
   */
  openFiles(paths: readonly string[]): Promise<OpenedReferences>;
  dispose(): Promise<void>;
}
