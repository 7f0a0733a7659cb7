/**
 * The transport-agnostic bridge between renderer and core. Electron's preload exposes one as
 * `window.bridge`; the web harness provides one over a WebSocket. Values are JSON-safe; the
 * typed layer on top (renderer/ipc/api.ts) parses them with the contract's schemas.
 */
export interface Bridge {
  /** Resolves to a serialized `Result` (never rejects for application errors). */
  request(route: string, input: unknown): Promise<unknown>;
  /** Subscribe to pushed events; returns an unsubscribe function. */
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}
