import {
  events,
  isEventName,
  routes,
  type EventName,
  type EventPayload,
  type RouteInput,
  type RouteName,
  type RouteOutput,
} from '@shared/ipc/contract';
import type { Bridge } from '@shared/ipc/bridge';
import { resultSchema, type Result } from '@shared/ipc/result';

export interface Api {
  request<R extends RouteName>(route: R, input: RouteInput<R>): Promise<Result<RouteOutput<R>>>;
  on<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void;
}

/**
 * The renderer's only way to core. Every response and event is parsed with the contract, so a
 * mismatch shows up as a clear error value here instead of undefined deep in a component.
 */
export function createApi(bridge: Bridge): Api {
  const handlers = new Map<EventName, Set<(payload: never) => void>>();
  bridge.onEvent((name, payload) => {
    if (!isEventName(name)) return;
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) {
      console.error(`Malformed ${name} event`, parsed.error.issues);
      return;
    }
    for (const handler of handlers.get(name) ?? []) handler(parsed.data as never);
  });

  return {
    async request(route, input) {
      let raw: unknown;
      try {
        raw = await bridge.request(route, input);
      } catch (error) {
        return {
          ok: false,
          error: { code: 'OFFLINE', message: error instanceof Error ? error.message : 'The bridge failed.' },
        };
      }
      const parsed = resultSchema(routes[route].output).safeParse(raw);
      if (!parsed.success) {
        return { ok: false, error: { code: 'INTERNAL', message: `Malformed response from ${route}.` } };
      }
      return parsed.data as Result<RouteOutput<typeof route>>;
    },
    on(name, handler) {
      const set = handlers.get(name) ?? new Set();
      handlers.set(name, set);
      set.add(handler as (payload: never) => void);
      return () => set.delete(handler as (payload: never) => void);
    },
  };
}

let current: Api | null = null;

/** Set once at start-up (main.tsx); stores and components use `api()`. */
export function setApi(api: Api): void {
  current = api;
}

export function api(): Api {
  if (!current) throw new Error('The API is not ready yet.');
  return current;
}
