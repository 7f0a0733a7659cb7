import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { faultScopeSchema, kieFaultSchema, type FaultBook } from './faults';
import {
  bearerToken,
  isRecord,
  JSON_BODY_LIMIT,
  parseJsonBody,
  readBody,
  sameSecret,
  sendJson,
  SimError,
} from './http';
import type { RequestLog } from './requestLog';
import type { TaskRecord } from './tasks';

export const ADMIN_PREFIX = '/__admin/';

export interface AdminContext {
  token: string;
  log: RequestLog;
  tasks: ReadonlyMap<string, TaskRecord>;
  faults: FaultBook;
  credits(): number;
  setCredits(credits: number): void;
}

const creditsBody = z.object({ credits: z.number().int().min(0).max(1e12) });

/**
 * Test control over HTTP, for suites that only hold the simulator's URL (e2e). Plain JSON
 * answers, not KIE envelopes; these requests stay out of the request log.
 */
export async function handleAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: AdminContext,
): Promise<void> {
  const token = bearerToken(request) ?? headerValue(request, 'x-admin-token');
  if (!token || !sameSecret(token, context.token)) {
    request.resume();
    sendJson(response, 401, { error: 'admin token required' });
    return;
  }
  const route = `${request.method ?? 'GET'} ${url.pathname.slice(ADMIN_PREFIX.length - 1)}`;
  try {
    switch (route) {
      case 'GET /requests': {
        const method = url.searchParams.get('method')?.toUpperCase();
        const prefix = url.searchParams.get('pathPrefix') ?? '';
        const requests = context.log.entries.filter(
          (entry) => (!method || entry.method === method) && entry.path.startsWith(prefix),
        );
        sendJson(response, 200, { requests });
        return;
      }
      case 'GET /tasks':
        sendJson(response, 200, { tasks: [...context.tasks.values()].map((task) => task.toJSON()) });
        return;
      case 'GET /faults':
        sendJson(response, 200, { faults: context.faults.list() });
        return;
      case 'POST /faults': {
        const body = await jsonBody(request);
        const scope = faultScopeSchema.parse(body['scope'] ?? 'global');
        const entry = context.faults.add(kieFaultSchema.parse(body['fault']), scope, (id) =>
          context.tasks.has(id),
        );
        sendJson(response, 200, entry);
        return;
      }
      case 'DELETE /faults': {
        const scope = url.searchParams.get('scope');
        context.faults.clear(scope ?? undefined);
        sendJson(response, 200, { faults: context.faults.list() });
        return;
      }
      case 'GET /credits':
        sendJson(response, 200, { credits: context.credits() });
        return;
      case 'POST /credits': {
        context.setCredits(creditsBody.parse(await jsonBody(request)).credits);
        sendJson(response, 200, { credits: context.credits() });
        return;
      }
    }
    const task = /^GET \/tasks\/([^/]+)$/.exec(route)?.[1];
    if (task !== undefined) {
      const record = context.tasks.get(task);
      if (record) sendJson(response, 200, record.toJSON());
      else sendJson(response, 404, { error: 'unknown task' });
      return;
    }
    request.resume();
    sendJson(response, 404, { error: `no admin route ${route}` });
  } catch (error) {
    const message =
      error instanceof z.ZodError
        ? z.prettifyError(error)
        : error instanceof Error
          ? error.message
          : String(error);
    sendJson(response, 422, { error: message });
  }
}

async function jsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const body = parseJsonBody(await readBody(request, JSON_BODY_LIMIT));
  if (!isRecord(body)) throw new SimError(422, 'Expected a JSON object.');
  return body;
}

function headerValue(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}
