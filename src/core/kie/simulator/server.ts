import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { costOf } from '@shared/domain/pricing';
import { ADMIN_PREFIX, handleAdmin } from './admin';
import { FaultBook, type CreateFault, type SimEndpoint } from './faults';
import { fileIdFromUrl, FileStore, serveFile } from './files';
import {
  bearerToken,
  BodyTooLargeError,
  fetchBounded,
  isRecord,
  JSON_BODY_LIMIT,
  parseJsonBody,
  readBody,
  sameSecret,
  sendJson,
  SimError,
  UPLOAD_BODY_LIMIT,
} from './http';
import { imageRatio, referenceFormat } from './image';
import { Lifetime } from './lifetime';
import { listenOnKeptPort, SimulatorDisk } from './persist';
import { RequestLog, sanitizeBody, summarize, type RequestLogEntry } from './requestLog';
import { sendEnvelope, sendRequestFault } from './respond';
import { runTask, TaskRecord, type SimulatorTimings } from './tasks';
import type { KieSimulator, KieSimulatorOptions } from './types';
import { handleUpload, type UploadKind } from './uploads';
import { validateCreateTask, type ValidatedTask } from './validate';

const DEFAULT_TIMINGS: SimulatorTimings = { waitingMs: 100, queuingMs: 100, generatingMs: 200 };
/** KIE's wording for the refusals createTaskRefused can give. */
const REFUSALS: Record<400 | 433 | 505, string> = {
  400: 'Bad request: the parameters are invalid.',
  433: 'The sub-key usage has exceeded its limit.',
  505: 'This feature is currently disabled.',
};

const ROUTES: Record<string, { method: string; endpoint: SimEndpoint; upload?: UploadKind }> = {
  '/api/v1/jobs/createTask': { method: 'POST', endpoint: 'createTask' },
  '/api/v1/jobs/recordInfo': { method: 'GET', endpoint: 'recordInfo' },
  '/api/v1/chat/credit': { method: 'GET', endpoint: 'credit' },
  '/api/v1/common/download-url': { method: 'POST', endpoint: 'downloadUrl' },
  '/api/file-base64-upload': { method: 'POST', endpoint: 'upload', upload: 'base64' },
  '/api/file-stream-upload': { method: 'POST', endpoint: 'upload', upload: 'stream' },
  '/api/file-url-upload': { method: 'POST', endpoint: 'upload', upload: 'url' },
};

/** Answers the way createTask's caller sees it: with the envelope, a gateway page, or not at all. */
type CreateOutcome = {
  taskId: string;
  fault: CreateFault | null;
};

/** A KIE look-alike on 127.0.0.1 (kie-api.md, "KIE simulator"). */
export async function startKieSimulator(options: KieSimulatorOptions = {}): Promise<KieSimulator> {
  const disk = options.persistDir
    ? await SimulatorDisk.open(options.persistDir, options.persistLimits, options.logger ?? null)
    : null;
  const apiKey = options.apiKey ?? disk?.apiKey ?? `sim-${randomBytes(16).toString('hex')}`;
  const adminToken = options.adminToken ?? apiKey;
  const timings: SimulatorTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  const logger = options.logger ?? null;
  const mirror = options.mirrorHttpStatus ?? false;
  const lifetime = new Lifetime();
  const log = new RequestLog(options.maxLogEntries ?? 5000);
  const faults = new FaultBook();
  const faultHits = new Map<string, number>();
  const tasks = new Map<string, TaskRecord>();
  let baseUrl = '';
  const files = new FileStore(() => baseUrl, disk?.limits.maxBytes, disk?.fileHooks);
  let credits = options.credits ?? 1000;

  const lifecycle = {
    timings,
    files,
    faults,
    lifetime,
    maxImageSide: options.maxImageSide ?? 1024,
    grain: Math.max(0, Math.min(64, options.grain ?? 0)),
    hmacKey: options.hmacKey ?? null,
    callbackRetries: options.callbackRetries ?? 3,
    callbackBackoffMs: options.callbackBackoffMs ?? 200,
    refund: (amount: number) => {
      credits += amount;
    },
    logger,
    persist: disk ? (task: TaskRecord) => void disk.saveTask(task) : undefined,
  };

  async function handleApi(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    entry: RequestLogEntry,
    route: { endpoint: SimEndpoint; upload?: UploadKind },
  ): Promise<void> {
    const upload = route.upload !== undefined;
    const askedTask = route.endpoint === 'recordInfo' ? url.searchParams.get('taskId') : null;
    entry.taskId = askedTask;
    const fault = faults.takeRequestFault(route.endpoint, askedTask);
    if (fault) {
      request.resume();
      sendRequestFault(response, entry, mirror, fault, upload);
      return;
    }
    const token = bearerToken(request);
    entry.authorized = token !== null && sameSecret(token, apiKey);
    if (!entry.authorized) {
      request.resume();
      sendEnvelope(
        response,
        entry,
        mirror,
        401,
        'You do not have access permissions: the API key is missing or invalid.',
        null,
        {
          upload,
        },
      );
      return;
    }
    let raw: Buffer;
    try {
      raw =
        request.method === 'GET'
          ? Buffer.alloc(0)
          : await readBody(request, upload ? UPLOAD_BODY_LIMIT : JSON_BODY_LIMIT);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      response.setHeader('connection', 'close');
      sendEnvelope(response, entry, mirror, 413, error.message, null, { upload });
      return;
    }
    if (route.upload) {
      const answer = await handleUpload(route.upload, raw, request, {
        files,
        lifetime,
        onBody: (body) => record(entry, body),
      });
      entry.code = 200;
      sendJson(response, 200, answer);
      logger?.debug('Simulated upload', { fileId: answer.data.fileId, size: answer.data.fileSize });
      return;
    }
    switch (route.endpoint) {
      case 'createTask': {
        const body = parseJsonBody(raw);
        record(entry, body);
        const outcome = await createTask(body, response, entry);
        if (!outcome) return;
        entry.taskId = outcome.taskId;
        const fault = outcome.fault;
        if (fault?.kind === 'createTaskHang') {
          entry.fault = fault.kind;
          return;
        }
        if (fault?.kind === 'createTaskReset') {
          entry.fault = fault.kind;
          request.socket.destroy();
          return;
        }
        if (fault?.kind === 'createTaskGateway') {
          sendRequestFault(
            response,
            entry,
            mirror,
            { kind: 'serverErrorBurst', count: 1, status: fault.status },
            false,
          );
          entry.fault = fault.kind;
          return;
        }
        sendEnvelope(response, entry, mirror, 200, 'success', { taskId: outcome.taskId });
        return;
      }
      case 'recordInfo': {
        if (!askedTask) throw new SimError(422, 'taskId is required.');
        const task = tasks.get(askedTask);
        if (!task) throw new SimError(404, `Task ${askedTask} was not found.`);
        const notYet = faults.forTask(askedTask, 'recordInfoNull');
        if (notYet && useHit(`null:${askedTask}`, notYet.count)) {
          entry.fault = notYet.kind;
          sendEnvelope(
            response,
            entry,
            mirror,
            notYet.code,
            notYet.code === 404 ? 'Task not found.' : 'recordInfo is null',
          );
          return;
        }
        const data = task.recordInfo();
        const noUrlYet =
          task.final?.state === 'success' ? faults.forTask(askedTask, 'successWithoutUrl') : null;
        if (noUrlYet && useHit(`nourl:${askedTask}`, noUrlYet.count)) {
          entry.fault = noUrlYet.kind;
          sendEnvelope(response, entry, mirror, 200, 'success', { ...data, resultJson: '{"resultUrls":[]}' });
          return;
        }
        const expired = faults.forTask(askedTask, 'expiredResultUrl');
        if (task.final && expired?.refresh === 'recordInfo' && task.polledFinal) {
          // The first links have expired; KIE's record now names fresh ones.
          entry.fault = expired.kind;
          sendEnvelope(response, entry, mirror, 200, 'success', {
            ...data,
            resultJson: JSON.stringify({ resultUrls: freshLinks(String(data['resultJson'] ?? '')) }),
          });
          return;
        }
        if (task.final) task.markPolledFinal();
        sendEnvelope(response, entry, mirror, 200, 'success', data);
        return;
      }
      case 'credit':
        sendEnvelope(response, entry, mirror, 200, 'success', credits);
        return;
      case 'downloadUrl': {
        const body = parseJsonBody(raw);
        record(entry, body);
        const target = isRecord(body) ? body['url'] : undefined;
        if (typeof target !== 'string' || target === '') throw new SimError(422, 'url is required.');
        const id = fileIdFromUrl(target);
        if (!id) throw new SimError(422, 'url is not a file URL of this service.');
        const file = files.get(id);
        if (!file) throw new SimError(404, 'The file was not found or has been deleted.');
        if (file.taskId && faults.forTask(file.taskId, 'expiredResultUrl')?.refresh === 'recordInfo') {
          entry.fault = 'expiredResultUrl';
          throw new SimError(404, 'The file was not found or has been deleted.');
        }
        sendEnvelope(
          response,
          entry,
          mirror,
          200,
          'success',
          files.signedUrlFor(file, options.downloadUrlTtlMs),
        );
        return;
      }
      case 'upload':
        return;
    }
  }

  async function createTask(
    body: unknown,
    response: ServerResponse,
    entry: RequestLogEntry,
  ): Promise<CreateOutcome | null> {
    const spec = validateCreateTask(body);
    const { references, ratio } = await fetchReferences(spec);
    const fault = faults.takeCreateFault();
    if (fault?.kind === 'createTaskRefused') {
      entry.fault = fault.kind;
      sendEnvelope(response, entry, mirror, fault.code, fault.msg ?? REFUSALS[fault.code]);
      return null;
    }
    const cost = options.freeTasks ? 0 : costOf(spec.model, spec.resolution);
    if (fault?.kind === 'noCredits' || credits < cost) {
      if (fault?.kind === 'noCredits') entry.fault = fault.kind;
      sendEnvelope(response, entry, mirror, 402, 'The current credits are insufficient. Please top up.');
      return null;
    }
    credits -= cost;
    const taskId = randomBytes(16).toString('hex');
    const task = new TaskRecord(taskId, spec, Date.now(), timings, cost);
    tasks.set(taskId, task);
    faults.attachNext(taskId);
    runTask(task, references, ratio, spec, lifecycle);
    // On disk before the app hears the task id, as a task KIE accepted survives KIE's restarts.
    await disk?.saveTask(task);
    logger?.info('Simulated task created', { taskId, model: spec.model, cost, credits });
    return { taskId, fault };
  }

  /** Signed (working) links for the files a resultJson names. */
  function freshLinks(resultJson: string): string[] {
    const parsed: unknown = JSON.parse(resultJson || '{}');
    const urls = isRecord(parsed) && Array.isArray(parsed['resultUrls']) ? parsed['resultUrls'] : [];
    return urls.map((url) => {
      const file = typeof url === 'string' ? files.get(fileIdFromUrl(url) ?? '') : undefined;
      return file ? files.signedUrlFor(file, options.downloadUrlTtlMs) : String(url);
    });
  }

  /** Counts one more hit of a per-task fault; true while it still has hits left. */
  function useHit(key: string, limit: number): boolean {
    const used = faultHits.get(key) ?? 0;
    if (used >= limit) return false;
    faultHits.set(key, used + 1);
    return true;
  }

  /** KIE fetches the references itself; one it cannot fetch or read fails the call with 422. */
  async function fetchReferences(
    spec: ValidatedTask,
  ): Promise<{ references: Buffer[]; ratio: number | null }> {
    const references = await Promise.all(
      spec.referenceUrls.map(async (referenceUrl, index) => {
        const label = `input.${spec.referenceField ?? 'image_urls'}[${index}]`;
        const { bytes } = await fetchBounded(referenceUrl, {
          signal: lifetime.bounded(options.referenceTimeoutMs ?? 10_000),
          // Each model's own limit (10 MB for the edit model, 30 MB for Pro and Nano Banana 2).
          maxBytes: spec.referenceMaxBytes,
          label,
        });
        if (!(await referenceFormat(bytes)))
          throw new SimError(422, `${label} is not a JPEG, PNG or WebP image.`);
        return bytes;
      }),
    );
    const first = references[0];
    return { references, ratio: first ? await imageRatio(first) : null };
  }

  function record(entry: RequestLogEntry, body: unknown): void {
    entry.body = sanitizeBody(body);
    entry.bodySummary = summarize(entry.body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      await handleAdmin(request, response, url, {
        token: adminToken,
        log,
        tasks,
        faults,
        credits: () => credits,
        setCredits,
      });
      return;
    }
    const entry = log.start(method, url);
    response.on('finish', () => {
      entry.status = response.statusCode;
    });
    const route = ROUTES[url.pathname];
    try {
      if (route) {
        if (method !== route.method) {
          request.resume();
          sendEnvelope(response, entry, mirror, 405, `Use ${route.method} for ${url.pathname}.`, null, {
            httpStatus: 405,
          });
          return;
        }
        await handleApi(request, response, url, entry, route);
        return;
      }
      if (url.pathname.startsWith('/files/') && (method === 'GET' || method === 'HEAD')) {
        serveFile(request, response, url, {
          store: files,
          faults,
          lifetime,
          onFault: (kind) => (entry.fault = kind),
          useHit,
        });
        return;
      }
      request.resume();
      sendEnvelope(response, entry, mirror, 404, 'Not Found', null, { httpStatus: 404 });
    } catch (error) {
      const upload = route?.upload !== undefined;
      if (error instanceof SimError) {
        sendEnvelope(response, entry, mirror, error.code, error.message, null, { upload });
        return;
      }
      logger?.error('Simulator request failed', { path: url.pathname, error });
      sendEnvelope(response, entry, mirror, 500, 'Internal error', null, { httpStatus: 500, upload });
    }
  }

  function setCredits(value: number): void {
    if (!Number.isFinite(value) || value < 0) throw new Error('credits must be a non-negative number');
    credits = value;
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger?.error('Simulator handler crashed', { error });
      if (!response.headersSent) sendJson(response, 500, { code: 500, msg: 'Internal error', data: null });
      else response.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  // A persisted simulator comes back on its old port when it can, so links it handed out resolve.
  const wantedPort = options.port ?? disk?.port ?? 0;
  await listenOnKeptPort(server, options.host ?? '127.0.0.1', wantedPort, options.port === undefined, logger);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  logger?.info('KIE simulator listening', { url: baseUrl });
  if (disk) {
    await disk.saveState(apiKey, address.port);
    await disk.restore({ tasks, files, lifecycle, lifetime, baseUrl });
  }

  let closing: Promise<void> | null = null;
  return {
    url: baseUrl,
    apiBaseUrl: baseUrl,
    uploadBaseUrl: baseUrl,
    apiKey,
    adminToken,
    requests: log.entries,
    countRequests: (method, pathPrefix) => log.count(method, pathPrefix),
    tasks,
    async whenSettled(taskId) {
      const task = tasks.get(taskId);
      if (!task) throw new Error(`Unknown task ${taskId}`);
      await task.settled;
      return task;
    },
    setFault: (fault, scope = 'global') => faults.add(fault, scope, (id) => tasks.has(id)).id,
    clearFaults: (scope) => faults.clear(scope),
    get faults() {
      return faults.list();
    },
    get credits() {
      return credits;
    },
    setCredits,
    expireUploads: () => files.dropUploads(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        lifetime.close();
        for (const task of tasks.values()) task.markSettled();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => disk?.close());
      return closing;
    },
  };
}
