import type { ServerResponse } from 'node:http';
import type { RequestFault } from './faults';
import { sendJson, sendText } from './http';
import type { RequestLogEntry } from './requestLog';

export interface EnvelopeOptions {
  /** Overrides the status the simulator's HTTP-status mode would pick. */
  httpStatus?: number;
  headers?: Record<string, string>;
  /** The upload service adds `success` to its envelope. */
  upload?: boolean;
}

/**
 * KIE's `{ code, msg, data }` answer. KIE sends most errors with HTTP 200 and the code in the
 * envelope; `mirror` sends the code as the HTTP status too, so clients are tested against both.
 */
export function sendEnvelope(
  response: ServerResponse,
  entry: RequestLogEntry,
  mirror: boolean,
  code: number,
  msg: string,
  data: unknown = null,
  options: EnvelopeOptions = {},
): void {
  entry.code = code;
  const status = options.httpStatus ?? (mirror && code !== 200 ? code : 200);
  const body = options.upload ? { success: code === 200, code, msg, data } : { code, msg, data };
  sendJson(response, status, body, options.headers);
}

const GATEWAY_TITLES: Record<number, string> = {
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** 429 and 5xx keep their real HTTP status (a gateway sends them); 502–504 come as HTML. */
export function sendRequestFault(
  response: ServerResponse,
  entry: RequestLogEntry,
  mirror: boolean,
  fault: RequestFault,
  upload: boolean,
): void {
  entry.fault = fault.kind;
  switch (fault.kind) {
    case 'rateLimit':
      sendEnvelope(response, entry, mirror, 429, 'Too many requests, please retry later.', null, {
        httpStatus: 429,
        headers: { 'retry-after': String(fault.retryAfterSeconds) },
        upload,
      });
      return;
    case 'serverErrorBurst':
      if (fault.status === 500) {
        sendEnvelope(response, entry, mirror, 500, 'Server error, please try again later.', null, {
          httpStatus: 500,
          upload,
        });
        return;
      }
      sendText(
        response,
        fault.status,
        `<html><body><h1>${fault.status} ${GATEWAY_TITLES[fault.status] ?? 'Error'}</h1></body></html>`,
        'text/html',
      );
      return;
    case 'maintenance':
      sendEnvelope(
        response,
        entry,
        mirror,
        455,
        'Service unavailable: the system is under maintenance.',
        null,
        {
          upload,
        },
      );
      return;
  }
}
