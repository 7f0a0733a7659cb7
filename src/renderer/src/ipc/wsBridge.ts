import type { Bridge } from '@shared/ipc/bridge';

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;

/**
 * The Bridge over a WebSocket to the web harness. Requests wait for the socket, the socket
 * reconnects with backoff, and requests in flight when it drops resolve to an OFFLINE error.
 */
export function createWsBridge(
  url: string,
  options: { socket?: SocketFactory; onState?: (state: ConnectionState) => void } = {},
): Bridge {
  const open = options.socket ?? ((target: string) => new WebSocket(target) as unknown as SocketLike);
  const pending = new Map<number, (result: unknown) => void>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const outbox: string[] = [];
  let nextId = 1;
  let delay = 500;
  let socket: SocketLike;

  const offline = (message: string) => ({ ok: false, error: { code: 'OFFLINE', message } });

  function connect(): void {
    options.onState?.('connecting');
    socket = open(url);
    socket.onopen = () => {
      delay = 500;
      options.onState?.('open');
      for (const message of outbox.splice(0)) socket.send(message);
    };
    socket.onmessage = (event) => {
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null) return;
      const record = message as {
        t?: unknown;
        id?: unknown;
        result?: unknown;
        name?: unknown;
        payload?: unknown;
      };
      if (record.t === 'res' && typeof record.id === 'number') {
        pending.get(record.id)?.(record.result);
        pending.delete(record.id);
      } else if (record.t === 'evt' && typeof record.name === 'string') {
        for (const listener of listeners) listener(record.name, record.payload);
      }
    };
    socket.onclose = () => {
      options.onState?.('closed');
      // Never replay a request whose caller was told it failed (a submit must not run twice).
      outbox.length = 0;
      for (const resolve of pending.values()) resolve(offline('Lost the connection to Banana Studio.'));
      pending.clear();
      setTimeout(connect, delay);
      delay = Math.min(5_000, delay * 2);
    };
  }
  connect();

  return {
    request(route, input) {
      const id = nextId++;
      const message = JSON.stringify({ t: 'req', id, route, input });
      return new Promise((resolve) => {
        pending.set(id, resolve);
        if (socket.readyState === OPEN) socket.send(message);
        else outbox.push(message);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
