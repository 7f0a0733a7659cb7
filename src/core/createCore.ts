import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AnyEvent } from '@shared/ipc/contract';
import { startCallbackServer, type CallbackServer, type CallbackServerOptions } from './callback/server';
import type { Core } from './core';
import { CreditsService } from './credits';
import { attachJobJournal } from './db/jobJournal';
import { openLibraryDatabase } from './db/recover';
import { openLibrary } from './gallery/openLibrary';
import { RunIndex } from './gallery/runs';
import { createHandlers } from './ipc/handlers';
import { createRouter } from './ipc/router';
import type { DownloadLimits } from './jobs/download';
import { JobEngine, type PollOptions } from './jobs/engine';
import { JobNotices } from './jobs/notices';
import { JobStore } from './jobs/store';
import { Variations } from './jobs/variations';
import { sweepTempFiles } from './jobs/sweep';
import { KieClient } from './kie/client';
import type { KieApi } from './kie/types';
import type { CorePorts } from './ports';
import { PromptHistory } from './prompts/history';
import { ReferenceAnnotations } from './references/annotate';
import { OpenedFiles } from './references/openedFiles';
import { ReferenceStore } from './references/staging';
import { sweepStagedReferences } from './references/sweep';
import { ReferenceUploader } from './references/uploads';
import { SettingsService } from './settings/settings';
import { testApiKey } from './settings/testApiKey';
import { TunnelManager } from './tunnel/manager';
import { ngrokSession } from './tunnel/ngrokSession';
import { costOf } from '@shared/domain/pricing';
import { STORED_SECRET_NAMES, type StoredSettings } from '@shared/domain/settings';
import { resolveLanguage, translate } from '@shared/i18n/translate';

export interface CoreOptions {
  poll?: Partial<PollOptions>;
  download?: DownloadLimits;
  /** Delay before the start-up sweep of stale temp files. */
  sweepDelayMs?: number;
  /** How often a queue paused by KIE checks whether it can go on. */
  probeIntervalMs?: number;
  /** Delay before the background library scan after start-up. */
  libraryScanDelayMs?: number;
  /** Timings of the in-process demo simulator (Demo mode), when the host gives none. */
  demoTimings?: { waitingMs: number; queuingMs: number; generatingMs: number };
  /** Deadline of the "Test key" request. */
  apiKeyTestTimeoutMs?: number;
  /** First wait before a job tries again to write on a full disk (doubling, at most 60 s). */
  diskRetryMs?: number;
}

const CALLBACK_TOKEN_KEY = 'callbackToken';
/** The user's pause of the submit queue: nothing they held is sent at start-up. */
const QUEUE_PAUSED_KEY = 'queuePausedByUser';
const DEMO_TIMINGS = { waitingMs: 1_000, queuingMs: 1_500, generatingMs: 2_500 };

/** The composition root: wires services to the host's ports and returns the Core a transport uses. */
export async function createCore(ports: CorePorts, options: CoreOptions = {}): Promise<Core> {
  const startedAtMs = Date.now();
  const log = ports.log.child('core');
  const now = () => ports.clock.now();
  const listeners = new Set<(event: AnyEvent) => void>();
  let onImageAdded: () => void = () => undefined;
  const emit = (event: AnyEvent): void => {
    for (const listener of listeners) listener(event);
    if (event.name === 'gallery.added') onImageAdded();
  };

  const settings = new SettingsService(ports.store, ports.secrets, ports.paths, log.child('settings'));
  /** Core's own user-facing text (notifications, dialog titles) in the user's language. */
  const t = (key: string, values?: Record<string, string>): string =>
    translate(resolveLanguage(settings.get().language, ports.hostInfo.locale ?? 'en'), key, values);
  await settings.applyWeakStorageChoice();
  ports.redactor?.addSecret(await settings.apiKey());
  // A full integrity check costs ~0.6 s at 100k images: only after a run that did not close cleanly.
  const opened = openLibraryDatabase(join(ports.paths.dataDir, 'library.db'), log.child('db'), {
    check: 'after-unclean-exit',
  });
  const db = opened.db;
  // Before anything reads a job: a rebuilt library.db gets its jobs back from jobs.db.
  attachJobJournal({
    db,
    file: join(ports.paths.dataDir, 'jobs.db'),
    libraryIsNew: opened.recovered !== 'ok',
    log: log.child('db'),
  });
  const store = new JobStore(db, now);
  const gallery = openLibrary({
    db,
    dataDir: ports.paths.dataDir,
    libraryRoot: () => settings.libraryPath(),
    imageUrl: ports.imageUrl,
    shell: ports.shell,
    appVersion: ports.hostInfo.appVersion,
    log: log.child('gallery'),
    emit: (event) => emit(event),
    setLibraryRoot: (path) => settings.update({ libraryDir: path }),
    rebuilt:
      opened.recovered === 'rebuilt-corrupt' ? 'corrupt' : opened.recovered === 'fresh' ? 'missing' : null,
    startupScanDelayMs: options.libraryScanDelayMs,
  });
  const library = gallery.library;
  onImageAdded = () => gallery.noteAdded();
  const stagingDir = join(ports.paths.dataDir, 'staging');
  // Before anything can stage or send a reference, so no tray or job can hold one it removes.
  await sweepStagedReferences({ db, stagingDir, now, log: log.child('references') }).catch((error: unknown) =>
    log.warn('Staging sweep failed', { error }),
  );
  const references = new ReferenceStore({
    db,
    stagingDir,
    imageUrl: ports.imageUrl,
    gallery: {
      source: async (imageId) => {
        const { fileName } = library.get(imageId);
        return { filePath: await library.filePath(imageId), fileName };
      },
      has: (imageId) => library.index.get(imageId) !== null,
    },
    now,
    log: log.child('references'),
  });
  const uploads = new ReferenceUploader({ store: references, now, log: log.child('references') });
  const openedFiles = new OpenedFiles({ references, t, emit, log: log.child('opened-files') });

  const kie = createKieProvider(ports, settings, log, options);

  let engine: JobEngine | null = null;
  let tunnel: TunnelManager | null = null;
  const token = await callbackToken(ports);
  ports.redactor?.addSecret(token);
  const callback = await startCallbackServerOnStablePort(ports, {
    token,
    log: log.child('callback'),
    // Demo tasks come from the local simulator, which does not sign; real ones must when a key is set.
    hmacKey: async (taskId) => (store.byTaskId(taskId)?.demo ? null : ports.secrets.get('webhookHmacKey')),
    onCallback: (taskId, jobId) => {
      tunnel?.noteCallback();
      engine?.notifyCallback(taskId, jobId);
    },
  });
  tunnel = new TunnelManager({
    session: async () => ports.tunnelSession ?? ngrokSession(),
    localUrl: callback.localUrl,
    callbackPath: callback.path,
    log: log.child('tunnel'),
    onStatus: (status) => emit({ name: 'tunnel.changed', payload: status }),
    now,
  });
  const tunnelManager = tunnel;
  const applyTunnel = async (): Promise<void> => {
    const current = settings.get();
    await tunnelManager.configure({
      mode: current.tunnelMode,
      authtoken: current.tunnelMode === 'ngrok' ? await ports.secrets.get('ngrokAuthtoken') : null,
      manualUrl: current.publicCallbackUrl,
    });
  };

  const credits = new CreditsService(kie.forMode, () => settings.get().demoMode, emit, now);
  // The host turns these into OS notifications (the harness records them).
  const notices = new JobNotices({
    shell: ports.shell,
    enabled: () => settings.get().notifications,
    t,
    thumbnailFile: (imageId) => library.resolveFile('thumb', imageId),
    emit,
    log: log.child('notices'),
  });
  engine = new JobEngine({
    store,
    library,
    references,
    uploads,
    kieFor: kie.forMode,
    // Demo jobs run on a local simulator, which reaches the callback server directly.
    callbackUrl: (demo) =>
      demo ? `${callback.localUrl}${callback.path}` : tunnelManager.publicCallbackUrl(),
    concurrency: () => settings.get().concurrency,
    costOf: (params) => costOf(params.model, params.resolution ?? null, settings.get().costOverrides),
    userPause: {
      load: () => ports.store.get(QUEUE_PAUSED_KEY) === true,
      save: (paused) => ports.store.set(QUEUE_PAUSED_KEY, paused),
    },
    dataDir: ports.paths.dataDir,
    ...(options.diskRetryMs !== undefined ? { diskRetryMs: options.diskRetryMs } : {}),
    emit,
    log: log.child('jobs'),
    now,
    poll: options.poll,
    download: options.download,
    probeIntervalMs: options.probeIntervalMs,
    onSettled: (job) => {
      credits.refresh().catch(() => undefined);
      notices
        .settled(job)
        .catch((error: unknown) => log.warn('Notification failed', { jobId: job.id, error }));
    },
  });

  const jobs = engine;
  const prompts = new PromptHistory(ports.store, log.child('prompts'));
  const variations = new Variations({
    submit: (params, demo) => jobs.submit(params, demo),
    library,
    references,
    runs: new RunIndex(db, library.index),
    sending: () => ({ demoMode: settings.get().demoMode, costOverrides: settings.get().costOverrides }),
    hasApiKey: async () => (await settings.apiKey()) !== null,
    checkAffordable: (cost) => credits.checkAffordable(cost),
    recordPrompt: (prompt) => prompts.record(prompt),
    log: log.child('jobs'),
  });
  settings.onChange((next, previous) => {
    if (next.concurrency !== previous.concurrency) jobs.limitChanged();
  });

  const dispatch = createRouter(
    createHandlers({
      hostInfo: ports.hostInfo,
      updater: ports.updater,
      settings,
      credits,
      prompts,
      engine,
      variations,
      gallery: {
        library,
        shell: ports.shell,
        emit,
        libraryStatus: () => gallery.status(),
        rescan: () => gallery.rescan(),
        moveLibrary: async (to) => {
          const status = await gallery.move(to === '' ? ports.paths.defaultLibraryDir : to);
          emit({ name: 'settings.changed', payload: await settings.view(callback.localUrl) });
          return status;
        },
        moveTitle: () => t('library.moveTitle'),
        exportTitle: () => t('gallery.exportTitle'),
      },
      references: {
        references,
        opened: openedFiles,
        annotations: new ReferenceAnnotations({ db, references, now, log: log.child('references') }),
      },
      diagnostics: {
        logsDir: join(ports.paths.dataDir, 'logs'),
        now: () => ports.clock.now(),
        knownSecrets: async () => {
          const values = await Promise.all(STORED_SECRET_NAMES.map((name) => ports.secrets.get(name)));
          return values.filter((value): value is string => value !== null);
        },
      },
      tunnel: tunnelManager,
      redactor: ports.redactor,
      logHistory: ports.logHistory,
      callbackLocalUrl: () => callback.localUrl,
      setWindowFocused: (focused) => notices.setWindowFocused(focused),
      testApiKey: (apiKey) =>
        testApiKey(apiKey, {
          apiBaseUrl: settings.get().kieApiBaseUrl,
          uploadBaseUrl: settings.get().kieUploadBaseUrl,
          log: log.child('kie'),
          timeoutMs: options.apiKeyTestTimeoutMs,
        }),
      settingsChanged: async () => {
        emit({ name: 'settings.changed', payload: await settings.view(callback.localUrl) });
        const tunnelConfig = tunnelKey(settings.get(), await ports.secrets.get('ngrokAuthtoken'));
        if (tunnelConfig !== lastTunnelConfig) {
          lastTunnelConfig = tunnelConfig;
          await applyTunnel();
        }
      },
    }),
    log.child('ipc'),
  );

  let lastTunnelConfig = tunnelKey(settings.get(), await ports.secrets.get('ngrokAuthtoken'));
  await applyTunnel();
  engine.resumeAll();
  // Half-written downloads from a crash: swept once the app is up, in the background. Anything
  // this process writes is newer than its start, so running downloads are safe.
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = setTimeout(() => {
    sweeping = Promise.all([
      sweepTempFiles(settings.libraryPath(), startedAtMs),
      sweepTempFiles(join(ports.paths.dataDir, 'thumbs'), startedAtMs),
      sweepTempFiles(stagingDir, startedAtMs),
    ])
      .then((lists) => lists.flat())
      .then((removed) => {
        if (removed.length > 0) log.info('Removed stale temp files', { count: removed.length });
      })
      .catch((error: unknown) => log.warn('Temp file sweep failed', { error }));
  }, options.sweepDelayMs ?? 2_000);
  let disposed = false;
  if (settings.get().autoUpdate && ports.updater) {
    // In the background: a release feed that is slow or down must not hold up the app.
    ports.updater
      .check()
      .then((result) => {
        log.info('Update check', result);
        if (result.state === 'available' && result.latest)
          ports.shell.notify(
            t('updates.availableTitle'),
            t('updates.availableBody', { version: result.latest }),
          );
      })
      .catch((error: unknown) => log.warn('Update check failed', { error }));
  }
  log.info('Core ready', { dataDir: ports.paths.dataDir, library: settings.libraryPath() });

  return {
    dispatch,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    resolveGalleryFile: (asset, rawId) =>
      asset === 'ref' ? references.resolveFile(rawId) : library.resolveFile(asset, rawId),
    openFiles: (paths) => openedFiles.open(paths),
    async dispose() {
      if (disposed) return;
      disposed = true;
      clearTimeout(sweep);
      await sweeping;
      await engine?.dispose();
      await tunnelManager.dispose();
      await callback.close();
      await kie.dispose();
      await gallery.dispose();
      db.close();
      listeners.clear();
    },
  };
}

/**
 * The callback path's secret token, behind the secret port (so never in the settings file a user
 * may send along with a bug report). It must survive restarts: KIE's callbacks for tasks still in
 * flight, and for unknown-outcome recovery, name it. So a token an older version kept in the
 * settings store moves over unchanged, and where secrets last only this session (no keyring, or
 * the user declined obfuscated storage) it stays in the settings store as before.
 */
async function callbackToken(ports: CorePorts): Promise<string> {
  const valid = (value: unknown): value is string =>
    typeof value === 'string' && /^[0-9a-f]{32}$/.test(value);
  const secret = await ports.secrets.get('callbackToken');
  const legacy = ports.store.get(CALLBACK_TOKEN_KEY);
  const token = valid(secret) ? secret : valid(legacy) ? legacy : randomBytes(16).toString('hex');
  if (secret !== token) await ports.secrets.set('callbackToken', token);
  if ((await ports.secrets.status()).mode === 'session') {
    if (legacy !== token) ports.store.set(CALLBACK_TOKEN_KEY, token);
  } else if (legacy !== undefined) {
    ports.store.delete(CALLBACK_TOKEN_KEY);
  }
  return token;
}

/** What the tunnel depends on; the tunnel is rebuilt only when this changes. */
function tunnelKey(settings: StoredSettings, authtoken: string | null): string {
  return JSON.stringify([settings.tunnelMode, settings.publicCallbackUrl, authtoken]);
}

const CALLBACK_PORT_KEY = 'callbackPort';

/**
 * The callback server keeps its port across restarts when it can, so a manual tunnel or reverse
 * proxy pointed at it keeps working.
 */
async function startCallbackServerOnStablePort(
  ports: CorePorts,
  options: Omit<CallbackServerOptions, 'port'>,
): Promise<CallbackServer> {
  const stored = ports.store.get(CALLBACK_PORT_KEY);
  const wanted =
    typeof stored === 'number' && Number.isInteger(stored) && stored > 1024 && stored < 65536 ? stored : 0;
  let server: CallbackServer;
  try {
    server = await startCallbackServer({ ...options, port: wanted });
  } catch (error) {
    options.log.warn('Callback port is taken; using another one', { port: wanted, error });
    server = await startCallbackServer({ ...options, port: 0 });
  }
  const port = Number(new URL(server.localUrl).port);
  if (port !== wanted) ports.store.set(CALLBACK_PORT_KEY, port);
  return server;
}

/**
 * KIE clients for real use and for Demo mode. Demo mode talks to a simulator (given by the host,
 * or started here on first use) exactly as the app talks to KIE.
 */
function createKieProvider(
  ports: CorePorts,
  settings: SettingsService,
  log: CorePorts['log'],
  options: CoreOptions,
) {
  let demo: Promise<{ client: KieApi; close: () => Promise<void> }> | null = null;
  let real: { key: string; client: KieApi } | null = null;

  const startDemo = async () => {
    if (ports.demoKie) {
      const { apiBaseUrl, uploadBaseUrl, apiKey } = ports.demoKie;
      const client = new KieClient({
        apiBaseUrl,
        uploadBaseUrl,
        getApiKey: async () => apiKey,
        log: log.child('kie-demo'),
      });
      return { client, close: async () => undefined };
    }
    const { startKieSimulator } = await import('./kie/simulator');
    const simulator = await startKieSimulator({
      timings: options.demoTimings ?? DEMO_TIMINGS,
      logger: log.child('simulator'),
      // Kept in the data folder, so a demo job running at quit finishes after the restart, as on KIE.
      persistDir: join(ports.paths.dataDir, 'demo-kie'),
      // "Free" means free: the demo balance never falls.
      freeTasks: true,
    });
    const client = new KieClient({
      apiBaseUrl: simulator.apiBaseUrl,
      uploadBaseUrl: simulator.uploadBaseUrl,
      getApiKey: async () => simulator.apiKey,
      log: log.child('kie-demo'),
    });
    return { client, close: () => simulator.close() };
  };

  return {
    async forMode(demoMode: boolean): Promise<KieApi> {
      if (demoMode) {
        demo ??= startDemo();
        return (await demo).client;
      }
      const { kieApiBaseUrl, kieUploadBaseUrl } = settings.get();
      const key = `${kieApiBaseUrl}|${kieUploadBaseUrl}`;
      if (real?.key !== key) {
        real = {
          key,
          client: new KieClient({
            apiBaseUrl: kieApiBaseUrl,
            uploadBaseUrl: kieUploadBaseUrl,
            getApiKey: () => settings.apiKey(),
            log: log.child('kie'),
          }),
        };
      }
      return real.client;
    },
    async dispose(): Promise<void> {
      if (demo) await (await demo).close();
    },
  };
}
