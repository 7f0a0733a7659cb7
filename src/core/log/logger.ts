import { appendFile, mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LOG_READ_BACK_BYTES, logFilesNewestFirst, readLogTail } from './readBack';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface LogEntry {
  time: string;
  level: LogLevel;
  scope: string;
  message: string;
  fields?: LogFields;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(scope: string): Logger;
}

export interface LogSink {
  write(entry: LogEntry): void;
}

const SECRET_KEY_PATTERN = /(authorization|api[-_]?key|token|secret|password|hmac)/i;
const BEARER_PATTERN = /Bearer\s+[A-Za-z0-9._~+/=-]+/g;
/** Log fields nest a few levels at most; deeper is cut rather than written unchecked. */
const MAX_REDACT_DEPTH = 8;

/**
 * Redacts secrets from anything that is about to be logged: values under secret-looking keys,
 * Bearer tokens inside strings, and the exact secret values registered at runtime.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  addSecret(value: string | null | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  /**
   * A copy that is safe to write: strings redacted at any depth, and anything nested deeper than
   * MAX_REDACT_DEPTH (or inside itself) cut to a marker, so nothing past the limit is ever
   * written unredacted. Functions become a marker (an own `toJSON` could print anything), bigints
   * strings (JSON cannot hold them), errors their name, message and stack.
   */
  redact(value: unknown, depth = 0, path: WeakSet<object> = new WeakSet()): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return `[${typeof value}]`;
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_REDACT_DEPTH) return '[truncated]';
    if (path.has(value)) return '[circular]';
    path.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => this.redact(item, depth + 1, path));
      const source =
        value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(source)) {
        out[key] =
          SECRET_KEY_PATTERN.test(key) && typeof item === 'string'
            ? '[redacted]'
            : this.redact(item, depth + 1, path);
      }
      return out;
    } finally {
      path.delete(value);
    }
  }

  private redactString(text: string): string {
    let out = text.replace(BEARER_PATTERN, 'Bearer [redacted]');
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    return out;
  }
}

class ScopedLogger implements Logger {
  constructor(
    private readonly sinks: readonly LogSink[],
    private readonly redactor: Redactor,
    private readonly scope: string,
    private readonly clock: () => Date,
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }
  child(scope: string): Logger {
    return new ScopedLogger(this.sinks, this.redactor, `${this.scope}.${scope}`, this.clock);
  }

  private write(level: LogLevel, message: string, fields?: LogFields): void {
    const entry: LogEntry = {
      time: this.clock().toISOString(),
      level,
      scope: this.scope,
      message: this.redactor.redact(message) as string,
    };
    if (fields !== undefined) entry.fields = this.redactor.redact(serializeErrors(fields)) as LogFields;
    for (const sink of this.sinks) sink.write(entry);
  }
}

function serializeErrors(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] =
      value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}

export function createLogger(options: {
  sinks: readonly LogSink[];
  redactor?: Redactor;
  scope?: string;
  clock?: () => Date;
}): Logger {
  return new ScopedLogger(
    options.sinks,
    options.redactor ?? new Redactor(),
    options.scope ?? 'app',
    options.clock ?? (() => new Date()),
  );
}

/**
 * Keeps the latest entries in memory (for the in-app log view and tests). With the host's log
 * file behind it, the log view reads back from that file instead, so what happened before a
 * restart still shows.
 */
export class MemorySink implements LogSink {
  readonly entries: LogEntry[] = [];
  constructor(
    private readonly limit = 500,
    private readonly file: RotatingFileSink | null = null,
  ) {}
  write(entry: LogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  /** What the log view shows, oldest first: the file's tail (capped), else what is in memory. */
  async readBack(): Promise<readonly LogEntry[]> {
    if (this.file === null) return this.entries;
    const fromFile = await this.file.readBack().catch((): LogEntry[] => []);
    const last = fromFile.at(-1)?.time;
    if (last === undefined) return this.entries;
    // Lines the file could not take (a full disk) or logged while it was being read.
    return [...fromFile, ...this.entries.filter((entry) => entry.time > last)];
  }
}

export class ConsoleSink implements LogSink {
  constructor(private readonly minLevel: LogLevel = 'info') {}
  write(entry: LogEntry): void {
    if (LEVELS[entry.level] < LEVELS[this.minLevel]) return;
    const line = `${entry.time} ${entry.level.toUpperCase()} [${entry.scope}] ${entry.message}`;
    const fields = entry.fields ? ` ${JSON.stringify(entry.fields)}` : '';
    (entry.level === 'error' || entry.level === 'warn' ? console.error : console.log)(line + fields);
  }
}

const LEVELS: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * JSON-lines file in the logs folder, rotated by size (main.log → main.1.log …). Writes are
 * queued so lines never interleave and logging never blocks the caller.
 */
export class RotatingFileSink implements LogSink {
  private queue: Promise<void> = Promise.resolve();
  private readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly baseName = 'main',
    private readonly maxBytes = 5 * 1024 * 1024,
    private readonly keep = 3,
  ) {
    this.file = join(dir, `${baseName}.log`);
  }

  write(entry: LogEntry): void {
    const line = `${JSON.stringify(entry)}\n`;
    this.queue = this.queue.then(() => this.append(line)).catch(() => undefined);
  }

  /** Resolves when every queued line is on disk. */
  flush(): Promise<void> {
    return this.queue;
  }

  /**
   * The newest `maxBytes` of this log and its rotated files, oldest entry first. Queued behind
   * the writes, so every line logged before the call is in it and no rotation runs meanwhile.
   */
  readBack(maxBytes = LOG_READ_BACK_BYTES): Promise<LogEntry[]> {
    const read = this.queue.then(() =>
      readLogTail(logFilesNewestFirst(this.dir, this.baseName, this.keep), maxBytes),
    );
    this.queue = read.then(
      () => undefined,
      () => undefined,
    );
    return read;
  }

  private async append(line: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    if (size + line.length > this.maxBytes) await this.rotate();
    await appendFile(this.file, line, 'utf8');
  }

  private async rotate(): Promise<void> {
    for (let index = this.keep - 1; index >= 1; index -= 1) {
      const from = index === 1 ? this.file : join(this.dir, `${this.baseName}.${index - 1}.log`);
      await rename(from, join(this.dir, `${this.baseName}.${index}.log`)).catch(() => undefined);
    }
  }
}
