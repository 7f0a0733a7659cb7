import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { TEMP_FILE_PATTERN, writeFileAtomic } from '../../fs/atomic';
import type { Logger } from '../../log/logger';
import { fileIdFromUrl, type FileStore, type FileStoreHooks, type StoredFile } from './files';
import { fetchBounded } from './http';
import type { Lifetime } from './lifetime';
import { resumeTask, TaskRecord, type LifecycleContext, type TaskSnapshot } from './tasks';
import { validateCreateTask, type ValidatedTask } from './validate';

/** What a persisting simulator keeps on disk, at most. */
export interface PersistLimits {
  /** Tasks (and their results) older than this are forgotten at start (KIE: about 14 days). */
  maxAgeMs: number;
  /** Uploads older than this are forgotten at start (KIE's pages say 24 h or 3 days). */
  uploadMaxAgeMs: number;
  /** Only the newest this many tasks are kept. */
  maxTasks: number;
  /** Total bytes of kept files (results and uploads); the oldest go first. */
  maxBytes: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_PERSIST_LIMITS: PersistLimits = {
  maxAgeMs: 14 * DAY_MS,
  uploadMaxAgeMs: 3 * DAY_MS,
  maxTasks: 500,
  maxBytes: 256 * 1024 * 1024,
};
/** A reference of a task that was in flight is fetched again for its picture (KIE's own limit). */
const REFERENCE_FETCH = { timeoutMs: 10_000, maxBytes: 10 * 1024 * 1024 };

const STATE_FILE = 'simulator.json';
const TASKS_DIR = 'tasks';
const FILES_DIR = 'files';
const ID = /^[A-Za-z0-9_-]{8,64}$/;

const stateSchema = z.object({
  version: z.literal(1),
  apiKey: z.string().min(8).max(500),
  /** base64 of the 32-byte key that signs download-url links. */
  signingSecret: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  port: z.number().int().min(1).max(65535).nullable(),
});

const snapshotSchema = z.object({
  version: z.literal(1),
  taskId: z.string().regex(ID),
  request: z.object({
    model: z.string().max(200),
    callBackUrl: z.string().max(4000).nullable(),
    input: z.record(z.string(), z.unknown()),
  }),
  createTime: z.number().int().nonnegative(),
  timings: z.object({
    waitingMs: z.number().nonnegative(),
    queuingMs: z.number().nonnegative(),
    generatingMs: z.number().nonnegative(),
  }),
  creditsCharged: z.number().nonnegative(),
  output: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).nullable(),
  final: z
    .object({
      state: z.enum(['success', 'fail']),
      completeTime: z.number().int().nonnegative(),
      resultUrls: z.array(z.string()),
      failCode: z.string().nullable(),
      failMsg: z.string().nullable(),
      creditsConsumed: z.number().nonnegative(),
    })
    .nullable(),
  polledFinal: z.boolean(),
  callbackDone: z.boolean(),
}) satisfies z.ZodType<TaskSnapshot & { version: 1 }>;

const fileMetaSchema = z.object({
  version: z.literal(1),
  id: z.string().regex(ID),
  mimeType: z.string().min(1).max(200),
  fileName: z.string().min(1).max(300),
  filePath: z.string().min(1).max(1000),
  taskId: z.string().regex(ID).nullable(),
  createdAt: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
});

export interface RestoreContext {
  tasks: Map<string, TaskRecord>;
  files: FileStore;
  lifecycle: LifecycleContext;
  lifetime: Lifetime;
  /** The simulator's origin now; result URLs from an earlier run are moved onto it. */
  baseUrl: string;
}

/**
 * The simulator's memory on disk (`persistDir`): its key and port, every task, every result
 * and upload. Each write is atomic and they happen in order (a result file lands before the
 * task that names it); on start everything is read back through zod, and a damaged file is
 * logged and skipped.
 */
export class SimulatorDisk {
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  readonly limits: PersistLimits;

  private constructor(
    private readonly dir: string,
    private readonly logger: Logger | null,
    limits: Partial<PersistLimits>,
    private readonly kept: z.infer<typeof stateSchema> | null,
    readonly signingSecret: Buffer,
  ) {
    this.limits = { ...DEFAULT_PERSIST_LIMITS, ...limits };
  }

  static async open(
    dir: string,
    limits: Partial<PersistLimits> = {},
    logger: Logger | null = null,
  ): Promise<SimulatorDisk> {
    // Owner only: the folder holds the simulator's API key and the user's reference images.
    await mkdir(join(dir, TASKS_DIR), { recursive: true, mode: 0o700 });
    await mkdir(join(dir, FILES_DIR), { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700).catch(() => undefined);
    const kept = await readJson(join(dir, STATE_FILE), stateSchema, logger);
    const secret = kept ? Buffer.from(kept.signingSecret, 'base64') : randomBytes(32);
    return new SimulatorDisk(dir, logger, limits, kept, secret);
  }

  /** The API key of the earlier runs (so the app's saved demo key keeps working), if any. */
  get apiKey(): string | null {
    return this.kept?.apiKey ?? null;
  }

  /** The port of the earlier run, so links it handed out still resolve. */
  get port(): number | null {
    return this.kept?.port ?? null;
  }

  saveState(apiKey: string, port: number): Promise<void> {
    const state: z.infer<typeof stateSchema> = {
      version: 1,
      apiKey,
      signingSecret: this.signingSecret.toString('base64'),
      port,
    };
    const path = join(this.dir, STATE_FILE);
    return this.enqueue('state', async () => {
      await writeFileAtomic(path, JSON.stringify(state));
      await chmod(path, 0o600);
    });
  }

  /** Resolves once the task is on disk (createTask waits for it, so a task the app knows is kept). */
  saveTask(task: TaskRecord): Promise<void> {
    const text = JSON.stringify({ version: 1, ...task.snapshot() });
    return this.enqueue(task.taskId, () => writeFileAtomic(this.taskPath(task.taskId), text));
  }

  get fileHooks(): FileStoreHooks {
    return {
      secret: this.signingSecret,
      onPut: (file) => void this.putFile(file),
      onDrop: (file) => void this.dropFile(file.id),
    };
  }

  /**
   * Reads the earlier runs back: forgets what is past the limits, puts the files and tasks into
   * the live stores, and takes up every task that was in flight or still owed its callback.
   */
  async restore(context: RestoreContext): Promise<void> {
    const now = Date.now();
    const snapshots = (await this.readAll(TASKS_DIR, snapshotSchema))
      .filter((snapshot) => this.keepTask(snapshot, now))
      .sort((a, b) => a.createTime - b.createTime);
    const kept = snapshots.slice(-this.limits.maxTasks);
    for (const dropped of snapshots.slice(0, snapshots.length - kept.length)) this.removeTask(dropped.taskId);
    const keptIds = new Set(kept.map((snapshot) => snapshot.taskId));
    await this.sweepLeftovers();

    const metas = (await this.readAll(FILES_DIR, fileMetaSchema)).sort((a, b) => a.createdAt - b.createdAt);
    for (const meta of metas) {
      const tooOld =
        meta.taskId === null ? now - meta.createdAt > this.limits.uploadMaxAgeMs : !keptIds.has(meta.taskId);
      if (tooOld) {
        void this.dropFile(meta.id);
        continue;
      }
      const bytes = await readFile(this.binPath(meta.id)).catch(() => null);
      if (bytes?.byteLength !== meta.size) {
        this.logger?.warn('Simulator file is damaged; skipped', { fileId: meta.id });
        void this.dropFile(meta.id);
        continue;
      }
      const { version: _version, size: _size, ...file } = meta;
      context.files.restore({ ...file, bytes });
    }

    let resumed = 0;
    for (const { version: _version, ...snapshot } of kept) {
      const final = snapshot.final && {
        ...snapshot.final,
        resultUrls: snapshot.final.resultUrls.map((url) => rebase(url, context.baseUrl)),
      };
      let spec: ValidatedTask;
      try {
        spec = validateCreateTask(snapshot.request);
      } catch (error) {
        // Only when this version's rules refuse what an older one accepted: nothing to render.
        this.logger?.warn('Kept task no longer passes the checks; skipped', {
          taskId: snapshot.taskId,
          error,
        });
        continue;
      }
      const task = TaskRecord.fromSnapshot({ ...snapshot, final }, spec);
      context.tasks.set(task.taskId, task);
      if (final?.state === 'success' && !final.resultUrls.every((url) => hasFile(context.files, url))) {
        // Its result was lost (damaged or swept): made again, as if the task were finishing now.
        this.logger?.warn('Result of a restored task is missing; rendering it again', {
          taskId: task.taskId,
        });
        task.final = null;
      }
      if (task.final && task.callbackDone) {
        task.markSettled();
        continue;
      }
      resumed += 1;
      const references = task.final ? [] : await this.references(task, context);
      resumeTask(task, references, context.lifecycle);
    }
    if (kept.length > 0) this.logger?.info('Simulator tasks restored', { tasks: kept.length, resumed });
    // The sweep is done before the simulator answers, so its folder is within the limits.
    await this.chain;
  }

  /** Waits for the writes in flight; later ones are dropped (the simulator is closing). */
  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
  }

  /** Half-written temp files, and result bytes whose description never got written. */
  private async sweepLeftovers(): Promise<void> {
    for (const sub of [TASKS_DIR, FILES_DIR]) {
      const names = await readdir(join(this.dir, sub)).catch(() => []);
      const described = new Set(
        names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)),
      );
      for (const name of names) {
        const orphan = name.endsWith('.bin') && !described.has(name.slice(0, -4));
        if (orphan || TEMP_FILE_PATTERN.test(name)) await rm(join(this.dir, sub, name), { force: true });
      }
    }
  }

  private keepTask(snapshot: TaskSnapshot, now: number): boolean {
    if (now - snapshot.createTime <= this.limits.maxAgeMs) return true;
    this.removeTask(snapshot.taskId);
    return false;
  }

  /** A task in flight is rendered again from its references: kept uploads, else fetched anew. */
  private async references(task: TaskRecord, context: RestoreContext): Promise<Buffer[]> {
    const found: Buffer[] = [];
    for (const url of task.referenceUrls) {
      const id = fileIdFromUrl(url);
      const local = id ? context.files.get(id) : undefined;
      if (local) {
        found.push(local.bytes);
        continue;
      }
      try {
        const { bytes } = await fetchBounded(url, {
          signal: context.lifetime.bounded(REFERENCE_FETCH.timeoutMs),
          maxBytes: REFERENCE_FETCH.maxBytes,
          label: 'reference',
        });
        found.push(bytes);
      } catch (error) {
        // KIE had the reference when it accepted the task: the picture goes on without it.
        this.logger?.warn('Reference of a restored task is gone', { taskId: task.taskId, error });
      }
    }
    return found;
  }

  private putFile(file: StoredFile): Promise<void> {
    const meta: z.infer<typeof fileMetaSchema> = {
      version: 1,
      id: file.id,
      mimeType: file.mimeType,
      fileName: file.fileName,
      filePath: file.filePath,
      taskId: file.taskId,
      createdAt: file.createdAt,
      size: file.bytes.byteLength,
    };
    return this.enqueue(file.id, async () => {
      // Bytes first: a file counts as kept only once its description is written.
      await writeFileAtomic(this.binPath(file.id), file.bytes);
      await writeFileAtomic(this.metaPath(file.id), JSON.stringify(meta));
    });
  }

  private dropFile(id: string): Promise<void> {
    return this.enqueue(id, async () => {
      await rm(this.metaPath(id), { force: true });
      await rm(this.binPath(id), { force: true });
    });
  }

  private removeTask(taskId: string): void {
    void this.enqueue(taskId, () => rm(this.taskPath(taskId), { force: true }));
  }

  private async readAll<T>(sub: string, schema: z.ZodType<T>): Promise<T[]> {
    const names = await readdir(join(this.dir, sub)).catch(() => []);
    const read = await Promise.all(
      names
        .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
        .map((name) => readJson(join(this.dir, sub, name), schema, this.logger)),
    );
    return read.filter((value): value is Awaited<T> => value !== null);
  }

  private enqueue(label: string, write: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.resolve();
    const step = this.chain.then(write).catch((error: unknown) => {
      this.logger?.warn('Simulator could not write to its folder', { item: label, error });
    });
    this.chain = step;
    return step;
  }

  private taskPath(taskId: string): string {
    return join(this.dir, TASKS_DIR, `${safeId(taskId)}.json`);
  }

  private metaPath(id: string): string {
    return join(this.dir, FILES_DIR, `${safeId(id)}.json`);
  }

  private binPath(id: string): string {
    return join(this.dir, FILES_DIR, `${safeId(id)}.bin`);
  }
}

/**
 * Listens on the port of the earlier run when there is one, else (or when it is taken) on a
 * free one. Returns the port in use.
 */
export async function listenOnKeptPort(
  server: Server,
  host: string,
  wanted: number,
  fallback: boolean,
  logger: Logger | null,
): Promise<void> {
  try {
    await listen(server, host, wanted);
  } catch (error) {
    if (!fallback || wanted === 0) throw error;
    logger?.warn('Simulator port is taken; using another one', { port: wanted, error });
    await listen(server, host, 0);
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function hasFile(files: FileStore, url: string): boolean {
  const id = fileIdFromUrl(url);
  return id !== null && files.get(id) !== undefined;
}

/** Ids become file names: only the characters this simulator itself hands out. */
function safeId(id: string): string {
  if (!ID.test(id)) throw new Error(`Not a simulator id: ${JSON.stringify(id)}`);
  return id;
}

/** The same /files/ path on the simulator's current origin (the port may have changed). */
function rebase(url: string, baseUrl: string): string {
  try {
    const parsed = new URL(url);
    return `${baseUrl}${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

async function readJson<T>(path: string, schema: z.ZodType<T>, logger: Logger | null): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      logger?.warn('Simulator file could not be read; skipped', { path, error });
    return null;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    logger?.warn('Simulator file is not JSON; skipped', { path });
    return null;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    logger?.warn('Simulator file does not match its schema; skipped', {
      path,
      issues: parsed.error.issues.length,
    });
    return null;
  }
  return parsed.data;
}
