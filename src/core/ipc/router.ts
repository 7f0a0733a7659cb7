import { type z } from 'zod';
import {
  isRouteName,
  routes,
  type RouteName,
  type RouteOutput,
  type RouteParsedInput,
} from '@shared/ipc/contract';
import { AppError, isAppError, type Result } from '@shared/ipc/result';
import type { RequestContext } from '../core';
import type { Logger } from '../log/logger';

export type Handler<R extends RouteName> = (
  input: RouteParsedInput<R>,
  ctx: RequestContext,
) => Promise<RouteOutput<R>> | RouteOutput<R>;

/** Exactly one handler per route: a missing or extra key is a compile error. */
export type HandlerMap = { [R in RouteName]: Handler<R> };

export type Dispatch = (route: string, raw: unknown, ctx: RequestContext) => Promise<Result<unknown>>;

/**
 * Looks the route up, parses the input with the contract, runs the handler and turns every
 * outcome into a Result, so nothing but values crosses a transport.
 */
export function createRouter(handlers: HandlerMap, log: Logger): Dispatch {
  return async (route, raw, ctx) => {
    if (!isRouteName(route)) {
      return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown route "${route}".` } };
    }
    const parsed = routes[route].input.safeParse(raw ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'VALIDATION',
          message: `Invalid input for ${route}: ${summarizeIssues(parsed.error)}`,
          details: {
            issues: parsed.error.issues.map((issue) => ({
              path: issue.path.map(String),
              message: issue.message,
            })),
          },
        },
      };
    }
    try {
      const handler = handlers[route] as Handler<typeof route>;
      const value = await handler(parsed.data as never, ctx);
      return { ok: true, value };
    } catch (error) {
      if (isAppError(error)) {
        if (error.code === 'INTERNAL') log.error(`${route} failed`, { error });
        return { ok: false, error: error.toWire() };
      }
      log.error(`${route} crashed`, { error, transport: ctx.transport });
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'Something went wrong inside Banana Studio.' },
      };
    }
  };
}

function summarizeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function validationError(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('VALIDATION', message, details);
}
