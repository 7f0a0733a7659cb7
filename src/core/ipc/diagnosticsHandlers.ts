import type { LogEntryView } from '@shared/domain/log';
import type { TunnelStatus } from '@shared/domain/tunnel';
import type { Diagnostics } from '@shared/ipc/contract';
import type { LibraryStatus } from '@shared/ipc/galleryRoutes';
import type { JobEngine } from '../jobs/engine';
import type { LogEntry, MemorySink } from '../log/logger';
import type { HostInfo, Shell } from '../ports';
import type { SettingsService } from '../settings/settings';
import type { TunnelManager } from '../tunnel/manager';
import type { HandlerMap } from './router';

export const DIAGNOSTICS_LOG_LIMIT = 50;
const REDACTED = '[redacted]';

export interface DiagnosticsHandlerDeps {
  hostInfo: HostInfo;
  settings: SettingsService;
  engine: JobEngine;
  tunnel: TunnelManager;
  logHistory: MemorySink | undefined;
  shell: Shell;
  /** <dataDir>/logs, where the rotating log files are. */
  logsDir: string;
  libraryStatus(): LibraryStatus;
  callbackLocalUrl(): string | null;
  /** The secrets as stored now, scrubbed (with their encodings) from everything as a last line. */
  knownSecrets(): Promise<string[]>;
  now(): Date;
}

export function createDiagnosticsHandlers(
  deps: DiagnosticsHandlerDeps,
): Pick<HandlerMap, 'app.diagnostics' | 'app.openLogsFolder'> {
  return {
    'app.diagnostics': async () => {
      const report = await collectDiagnostics(deps);
      return scrubSecrets(report, await deps.knownSecrets());
    },
    'app.openLogsFolder': async () => {
      await deps.shell.openPath(deps.logsDir);
      return {};
    },
  };
}

async function collectDiagnostics(deps: DiagnosticsHandlerDeps): Promise<Diagnostics> {
  const { apiKeyHint: _hint, ...view } = await deps.settings.view(deps.callbackLocalUrl());
  const tunnel: TunnelStatus = deps.tunnel.current();
  let library: LibraryStatus | null = null;
  try {
    library = deps.libraryStatus();
  } catch {
    // A broken library is itself something the report shows (as null), not a reason to fail it.
  }
  return {
    generatedAt: deps.now().toISOString(),
    app: {
      name: 'Banana Studio',
      version: deps.hostInfo.appVersion,
      host: deps.hostInfo.host,
      platform: deps.hostInfo.platform,
      node: process.versions.node,
      electron: process.versions['electron'] ?? null,
      chrome: process.versions['chrome'] ?? null,
      arch: process.arch,
      locale: deps.hostInfo.locale ?? null,
    },
    settings: {
      ...view,
      publicCallbackUrl: baseUrlOnly(view.publicCallbackUrl) ?? '',
      kieApiBaseUrl: baseUrlOnly(view.kieApiBaseUrl) ?? '',
      kieUploadBaseUrl: baseUrlOnly(view.kieUploadBaseUrl) ?? '',
      callbackLocalUrl: baseUrlOnly(view.callbackLocalUrl),
    },
    queue: deps.engine.queueStatus(),
    tunnel: {
      ...tunnel,
      publicUrl: baseUrlOnly(tunnel.publicUrl),
      lastError: tunnel.lastError === null ? null : stripUrlPaths(tunnel.lastError),
    },
    library,
    logs: warningsAndErrors(deps.logHistory).map((entry) => ({
      ...entry,
      message: stripUrlPaths(entry.message),
      fields: entry.fields === null ? null : stripUrlPaths(entry.fields),
    })),
  };
}

/** The latest warn/error entries, oldest first. */
function warningsAndErrors(history: MemorySink | undefined): LogEntryView[] {
  const picked: LogEntry[] = [];
  const entries = history?.entries ?? [];
  for (let index = entries.length - 1; index >= 0 && picked.length < DIAGNOSTICS_LOG_LIMIT; index -= 1) {
    const entry = entries[index] as LogEntry;
    if (entry.level === 'warn' || entry.level === 'error') picked.push(entry);
  }
  return picked.reverse().map((entry) => ({
    time: entry.time,
    level: entry.level,
    scope: entry.scope,
    message: entry.message,
    fields: entry.fields ? JSON.stringify(entry.fields) : null,
    jobId: typeof entry.fields?.['jobId'] === 'string' ? entry.fields['jobId'] : null,
  }));
}

/**
 * A URL's origin only: the callback URL's path carries its secret token, and a query or user
 * info may carry others. Not a URL: null (the text could be anything).
 */
export function baseUrlOnly(url: string | null): string | null {
  if (url === null || url === '') return url;
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? null : parsed.origin;
  } catch {
    return null;
  }
}

/** Cuts every http(s) URL in free text down to its origin. */
export function stripUrlPaths(text: string): string {
  // Trailing sentence punctuation is left outside the URL.
  return text.replace(
    /\bhttps?:\/\/[^\s"'<>\\()[\]]+?(?=[.,;:!?]*(?:[\s"'<>\\()[\]]|$))/gi,
    (url) => baseUrlOnly(url) ?? REDACTED,
  );
}

/** Each secret as it might show up: plain, base64 (both alphabets, with or without padding), hex. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  const hex = bytes.toString('hex');
  const forms = [
    secret,
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    hex,
    hex.toUpperCase(),
    encodeURIComponent(secret),
  ];
  return [...new Set(forms)].filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
}

/** A copy of a JSON value with every form of every secret replaced in every string. */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const forms = secrets.filter((secret) => secret.length >= 4).flatMap(secretForms);
  if (forms.length === 0) return value;
  const scrub = (item: unknown): unknown => {
    if (typeof item === 'string') {
      let out = item;
      for (const form of forms) out = out.split(form).join(REDACTED);
      return out;
    }
    if (Array.isArray(item)) return item.map(scrub);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, scrub(inner)]));
    }
    return item;
  };
  return scrub(value) as T;
}
