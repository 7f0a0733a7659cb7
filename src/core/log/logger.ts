import { appendFile, mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';

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

/**
 * Redacts secrets from anything that is about to be logged: values under secret-looking keys,
 * Bearer tokens inside strings, and the exact secret values registered at runtime.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  addSecret(value: string | null | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  redact(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => this.redact(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SECRET_KEY_PATTERN.test(key) && typeof item === 'string'
          ? '[redacted]'
          : this.redact(item, depth + 1);
    }
    return out;
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

/** Keeps the latest entries in memory (for the in-app log view and tests). */
export class MemorySink implements LogSink {
  readonly entries: LogEntry[] = [];
  constructor(private readonly limit = 500) {}
  write(entry: LogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
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
