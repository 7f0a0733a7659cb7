import type { Bridge } from '@shared/ipc/bridge';

/**
 * - connecting: the first socket of this page is opening; requests wait for it.
 * - connected: requests go out.
 * - reconnecting: the bridge was lost (or never came up); a new socket is being tried with
 *   back-off. Requests fail at once: nothing waits to be sent later (a queued submit that went
 *   out after the user had given up on it would pay twice).
 * - down: the same, after the tries have failed for a while (the harness was stopped); the
 *   tries go on at the slowest pace.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'down';

interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;
/** Runs `run` after `ms`; returns a cancel function. */
export type Scheduler = (run: () => void, ms: number) => () => void;

export interface WsBridgeOptions {
  socket?: SocketFactory;
  onState?: (state: ConnectionState) => void;
  schedule?: Scheduler;
  /** Back-off between tries: doubles from `initialMs` up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
  /** Failed tries in a row after which the state is `down` rather than `reconnecting`. */
  downAfter?: number;
}

export interface WsBridge extends Bridge {
  /** Tries now instead of waiting out the back-off (the banner's "Reconnect now"). */
  reconnectNow(): void;
  /** Closes for good: no more tries. */
  close(): void;
}

const CONNECTING = 0;
const OPEN = 1;
const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 5_000 };
const DEFAULT_DOWN_AFTER = 5;

const realSchedule: Scheduler = (run, ms) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

/** What a request gets when the bridge is not there: a wire error naming why, never a hang. */
export function bridgeDownError(reason: 'bridge-down' | 'bridge-lost'): unknown {
  return {
    ok: false,
    error: {
      code: 'OFFLINE',
      message:
        reason === 'bridge-down'
          ? 'Not connected to Banana Studio: the request was not sent.'
          : 'The connection to Banana Studio was lost before it answered.',
      details: { reason },
    },
  };
}

/**
 * The Bridge over a WebSocket to the web harness. The first requests wait for the socket; when
 * it drops, requests in flight resolve to an OFFLINE error, new ones fail at once while it is
 * gone, and a new socket is tried with capped back-off. Pushed events need no subscription (the
 * harness sends every event to every socket), so listeners carry on over the new socket.
 */
export function createWsBridge(url: string, options: WsBridgeOptions = {}): WsBridge {
  const open = options.socket ?? ((target: string) => new WebSocket(target) as unknown as SocketLike);
  const schedule = options.schedule ?? realSchedule;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const downAfter = options.downAfter ?? DEFAULT_DOWN_AFTER;
  const pending = new Map<number, (result: unknown) => void>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const outbox: string[] = [];
  let nextId = 1;
  let delay = backoff.initialMs;
  let failures = 0;
  let state: ConnectionState = 'connecting';
  let socket: SocketLike | null = null;
  let cancelRetry: (() => void) | null = null;
  let closed = false;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    options.onState?.(next);
  }

  function connect(): void {
    cancelRetry = null;
    const current = open(url);
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      failures = 0;
      delay = backoff.initialMs;
      setState('connected');
      for (const message of outbox.splice(0)) current.send(message);
    };
    current.onmessage = (event) => {
      if (socket === current) receive(event.data);
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      dropped();
    };
  }

  function dropped(): void {
    // Never replay a request whose caller was told it failed (a submit must not run twice).
    outbox.length = 0;
    for (const resolve of pending.values()) resolve(bridgeDownError('bridge-lost'));
    pending.clear();
    if (closed) return;
    failures += 1;
    setState(failures >= downAfter ? 'down' : 'reconnecting');
    cancelRetry = schedule(connect, delay);
    delay = Math.min(backoff.maxMs, delay * 2);
  }

  function receive(data: unknown): void {
    let message: unknown;
    try {
      message = JSON.parse(String(data));
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
  }

  options.onState?.(state);
  connect();

  return {
    request(route, input) {
      if (state === 'reconnecting' || state === 'down' || closed) {
        return Promise.resolve(bridgeDownError('bridge-down'));
      }
      const id = nextId++;
      const message = JSON.stringify({ t: 'req', id, route, input });
      return new Promise((resolve) => {
        pending.set(id, resolve);
        if (socket?.readyState === OPEN) socket.send(message);
        else outbox.push(message);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reconnectNow() {
      if (closed || state === 'connected' || socket?.readyState === CONNECTING) return;
      cancelRetry?.();
      delay = backoff.initialMs;
      connect();
    },
    close() {
      closed = true;
      cancelRetry?.();
      const current = socket;
      socket = null;
      current?.close();
      dropped();
    },
  };
}
