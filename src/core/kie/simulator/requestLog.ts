export interface RequestLogEntry {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** HTTP status sent; 0 while unanswered, or when the simulator hung or reset the call. */
  status: number;
  /** The envelope `code`, when the answer was an envelope. */
  code: number | null;
  /** Whether the request carried the configured key (null: the route needs none). */
  authorized: boolean | null;
  /** The parsed JSON body with base64 payloads and secrets replaced; multipart as a summary. */
  body: unknown;
  /** One line for logs and failure messages. */
  bodySummary: string;
  /** The fault that shaped the answer, if any. */
  fault: string | null;
  /** The task the request created or asked about. */
  taskId: string | null;
}

const SECRET_KEY = /(authorization|api[-_]?key|token|secret|password|hmac)/i;
const LONG_STRING = 8_000;

/** The request body as it may be kept in memory and shown in logs: no payloads, no secrets. */
export function sanitizeBody(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('data:')) return `[data URL, ${value.length} chars]`;
    return value.length > LONG_STRING ? `[${value.length} chars]` : value;
  }
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => sanitizeBody(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'base64Data' && typeof item === 'string') out[key] = `[base64, ${item.length} chars]`;
    else if (SECRET_KEY.test(key) && typeof item === 'string') out[key] = '[redacted]';
    else out[key] = sanitizeBody(item, depth + 1);
  }
  return out;
}

export function summarize(body: unknown): string {
  if (body === undefined) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/** Keeps the latest entries in one live array, so a long Demo session cannot grow it forever. */
export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly limit: number) {}

  start(method: string, url: URL): RequestLogEntry {
    const entry: RequestLogEntry = {
      seq: ++this.seq,
      time: new Date().toISOString(),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      code: null,
      authorized: null,
      body: undefined,
      bodySummary: '',
      fault: null,
      taskId: null,
    };
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return entry;
  }

  count(method: string, pathPrefix: string): number {
    const wanted = method.toUpperCase();
    return this.entries.filter(
      (entry) => (wanted === '*' || entry.method === wanted) && entry.path.startsWith(pathPrefix),
    ).length;
  }
}
