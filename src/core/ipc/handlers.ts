import { modelForReferences } from '@shared/domain/models';
import { costOf } from '@shared/domain/pricing';
import type { ApiKeyTest } from '@shared/ipc/contract';
import { AppError } from '@shared/ipc/result';
import type { CreditsService } from '../credits';
import type { JobEngine } from '../jobs/engine';
import type { LogEntry, MemorySink, Redactor } from '../log/logger';
import type { LogEntryView } from '@shared/domain/log';
import type { HostInfo, Updater } from '../ports';
import type { PromptHistory } from '../prompts/history';
import type { SettingsService } from '../settings/settings';
import type { TunnelManager } from '../tunnel/manager';
import { createDiagnosticsHandlers, type DiagnosticsHandlerDeps } from './diagnosticsHandlers';
import { createGalleryHandlers, type GalleryHandlerDeps } from './galleryHandlers';
import { createReferenceHandlers, type ReferenceHandlerDeps } from './referenceHandlers';
import { createRunHandlers } from './runHandlers';
import type { Variations } from '../jobs/variations';
import type { HandlerMap } from './router';

export interface HandlerDeps {
  hostInfo: HostInfo;
  /** The host's updater; none in the web harness or development. */
  updater: Updater | undefined;
  settings: SettingsService;
  credits: CreditsService;
  prompts: PromptHistory;
  engine: JobEngine;
  /** Again ×N and A/B runs. */
  variations: Variations;
  gallery: GalleryHandlerDeps;
  references: ReferenceHandlerDeps;
  /** What `app.diagnostics` needs beyond the services above. */
  diagnostics: Pick<DiagnosticsHandlerDeps, 'logsDir' | 'knownSecrets' | 'now'>;
  tunnel: TunnelManager;
  redactor: Redactor | undefined;
  logHistory: MemorySink | undefined;
  callbackLocalUrl(): string | null;
  settingsChanged(): Promise<void>;
  /** The renderer says whether its window has the focus (for failure notifications). */
  setWindowFocused(focused: boolean): void;
  /** Reads the balance with `apiKey` from the configured KIE, saving nothing (null: no key). */
  testApiKey(apiKey: string | null): Promise<ApiKeyTest>;
}

export function createHandlers(deps: HandlerDeps): HandlerMap {
  const view = () => deps.settings.view(deps.callbackLocalUrl());
  return {
    'app.checkForUpdates': () =>
      deps.updater?.check() ?? {
        state: 'disabled' as const,
        current: deps.hostInfo.appVersion,
        latest: null,
        message: null,
      },
    'app.setWindowFocus': ({ focused }) => {
      deps.setWindowFocused(focused);
      return {};
    },
    'app.info': () => ({
      name: 'Banana Studio',
      version: deps.hostInfo.appVersion,
      host: deps.hostInfo.host,
      platform: deps.hostInfo.platform,
    }),
    'settings.get': view,
    'settings.update': async ({ libraryDir, ...patch }) => {
      // A new library folder is a move of the files, never just a new path to look in.
      if (libraryDir !== undefined && libraryDir !== deps.settings.get().libraryDir) {
        await deps.gallery.moveLibrary(libraryDir);
      }
      deps.settings.update(patch);
      await deps.settings.applyWeakStorageChoice();
      await deps.settingsChanged();
      return view();
    },
    'settings.setApiKey': async ({ apiKey }) => {
      deps.redactor?.addSecret(apiKey);
      await deps.settings.setApiKey(apiKey);
      await deps.settingsChanged();
      return view();
    },
    'settings.testApiKey': async ({ apiKey }) => {
      deps.redactor?.addSecret(apiKey);
      return deps.testApiKey(apiKey ?? (await deps.settings.apiKey()));
    },
    'settings.setSecret': async ({ name, value }) => {
      deps.redactor?.addSecret(value);
      await deps.settings.setSecret(name, value);
      await deps.settingsChanged();
      return view();
    },
    'tunnel.get': () => deps.tunnel.current(),
    'credits.get': () => deps.credits.refresh(),
    'prompts.history': ({ limit }) => deps.prompts.list(limit),
    'jobs.submit': async (input) => {
      const { demoMode, costOverrides } = deps.settings.get();
      if (!demoMode && (await deps.settings.apiKey()) === null) {
        throw new AppError(
          'UNAUTHORIZED',
          'No KIE API key is set. Add one in Settings, or turn on Demo mode to try the app without one.',
          { reason: 'missing-key' },
        );
      }
      if (!demoMode) {
        const model = modelForReferences(input.model, input.references?.length ?? 0);
        await deps.credits.checkAffordable(costOf(model, input.resolution, costOverrides));
      }
      const job = deps.engine.submit(input, demoMode);
      deps.prompts.record(input.prompt);
      return job;
    },
    'jobs.list': ({ limit }) => deps.engine.list(limit),
    'jobs.cancel': ({ id }) => deps.engine.cancel(id),
    'jobs.retry': ({ id, confirmMayChargeTwice }) =>
      deps.engine.retry(id, { confirmMayChargeTwice: confirmMayChargeTwice === true }),
    'jobs.findOnKie': ({ id, taskId }) => deps.engine.findOnKie(id, taskId),
    'jobs.clear': (input) => ({ cleared: deps.engine.clear(input) }),
    'queue.get': () => deps.engine.queueStatus(),
    'queue.pause': () => deps.engine.pauseQueue(),
    'queue.resume': () => deps.engine.resumeQueue(),
    'logs.list': ({ jobId, limit }) => recentLogs(deps.logHistory, jobId, limit),
    ...createGalleryHandlers(deps.gallery),
    ...createDiagnosticsHandlers({
      ...deps.diagnostics,
      hostInfo: deps.hostInfo,
      settings: deps.settings,
      engine: deps.engine,
      tunnel: deps.tunnel,
      logHistory: deps.logHistory,
      shell: deps.gallery.shell,
      libraryStatus: deps.gallery.libraryStatus,
      callbackLocalUrl: deps.callbackLocalUrl,
    }),
    ...createReferenceHandlers(deps.references),
    ...createRunHandlers(deps.variations),
  };
}

/**
 * The latest entries, newest first, optionally only those about one job. Read back from the log
 * file when the host writes one, so a job from before a restart still has its lines.
 */
export async function recentLogs(
  history: MemorySink | undefined,
  jobId: string | null,
  limit: number,
): Promise<LogEntryView[]> {
  const entries = (await history?.readBack()) ?? [];
  const out: LogEntryView[] = [];
  for (let index = entries.length - 1; index >= 0 && out.length < limit; index -= 1) {
    const entry = entries[index] as LogEntry;
    const entryJob = typeof entry.fields?.['jobId'] === 'string' ? entry.fields['jobId'] : null;
    if (jobId !== null && entryJob !== jobId) continue;
    out.push({
      time: entry.time,
      level: entry.level,
      scope: entry.scope,
      message: entry.message,
      fields: entry.fields ? JSON.stringify(entry.fields) : null,
      jobId: entryJob,
    });
  }
  return out;
}
