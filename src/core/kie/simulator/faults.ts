import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** The API endpoints a request fault can be limited to. */
export const SIM_ENDPOINTS = ['createTask', 'recordInfo', 'credit', 'downloadUrl', 'upload'] as const;
export type SimEndpoint = (typeof SIM_ENDPOINTS)[number];

const count = (fallback: number) => z.number().int().min(1).max(100_000).default(fallback);
const endpoint = z.enum(SIM_ENDPOINTS).optional();

/**
 * Every fault the simulator can inject. The schema is the single definition: it validates what
 * the admin endpoint receives and gives the TypeScript types (input with optional parameters,
 * output with defaults filled in).
 */
export const kieFaultSchema = z.discriminatedUnion('kind', [
  // Request faults: answered instead of the real response, `count` times, then gone.
  z.object({
    kind: z.literal('rateLimit'),
    count: count(1),
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    endpoint,
  }),
  z.object({
    kind: z.literal('serverErrorBurst'),
    count: count(1),
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(500),
    endpoint,
  }),
  z.object({ kind: z.literal('maintenance'), count: count(1), endpoint }),
  // createTask faults.
  z.object({ kind: z.literal('noCredits') }),
  z.object({ kind: z.literal('createTaskHang') }),
  z.object({ kind: z.literal('createTaskReset') }),
  /** Task created and charged, but a gateway in front answers with its own HTML error page. */
  z.object({
    kind: z.literal('createTaskGateway'),
    status: z.union([z.literal(502), z.literal(504)]).default(502),
  }),
  /** KIE refuses the call (no task, no charge) with this envelope code. */
  z.object({
    kind: z.literal('createTaskRefused'),
    code: z.union([z.literal(400), z.literal(433), z.literal(505)]),
    msg: z.string().max(1000).optional(),
  }),
  // recordInfo answers for a task (task faults: scope 'next' or a task id).
  /** The first `count` recordInfo calls answer `{"code":422,"msg":"recordInfo is null"}` (or 404). */
  z.object({
    kind: z.literal('recordInfoNull'),
    count: count(3),
    code: z.union([z.literal(422), z.literal(404)]).default(422),
  }),
  /** The first `count` recordInfo calls after success report `success` with no result URL yet. */
  z.object({ kind: z.literal('successWithoutUrl'), count: count(2) }),
  // Task outcome.
  z.object({
    kind: z.literal('contentRejected'),
    failCode: z.string().max(20).default('400'),
    failMsg: z.string().max(1000).default('The content was rejected by the safety filter.'),
  }),
  z.object({
    kind: z.literal('generationFailed'),
    failCode: z.string().max(20).default('501'),
    failMsg: z.string().max(1000).default('Image generation failed, please try again.'),
  }),
  // Callback delivery.
  z.object({ kind: z.literal('duplicateCallback'), count: z.number().int().min(2).max(20).default(2) }),
  z.object({ kind: z.literal('lostCallback') }),
  z.object({
    kind: z.literal('lateCallback'),
    delayMs: z.number().int().min(0).max(600_000).default(500),
    /** Hold the callback until recordInfo has reported the final state at least once. */
    afterPoll: z.boolean().default(true),
  }),
  z.object({ kind: z.literal('forgedSignature') }),
  z.object({ kind: z.literal('staleTimestamp'), skewSeconds: z.number().int().min(1).default(3600) }),
  z.object({
    kind: z.literal('tamperedCallbackUrls'),
    urls: z.array(z.string().max(2000)).min(1).max(10).default(['https://attacker.invalid/stolen.png']),
  }),
  // Result file serving (generated files only, never uploads).
  z.object({ kind: z.literal('corruptImage') }),
  z.object({ kind: z.literal('truncatedBody') }),
  /**
   * The first `count` downloads of the task's results drop the connection halfway. The file
   * server honours `Range`, so a client that resumes gets the rest.
   */
  z.object({ kind: z.literal('droppedDownload'), count: count(1) }),
  /** The result is sent gzip-encoded, its Content-Length the compressed size (as CDNs do). */
  z.object({ kind: z.literal('gzipDownload') }),
  z.object({
    kind: z.literal('slowDownload'),
    chunkBytes: z.number().int().min(1).max(1_000_000).default(64),
    intervalMs: z.number().int().min(1).max(60_000).default(500),
    /** Split the file into this many pieces instead (then the drip lasts the same whatever its size). */
    chunks: z.number().int().min(2).max(100_000).optional(),
  }),
  /**
   * The task's result links (as recordInfo and the callback first give them) have expired. `answer`
   * is how the file host says so: a status, or a 200 with an HTML page. `refresh` says what brings
   * a working link: KIE's download-url, or (download-url not knowing the file) a fresh recordInfo.
   */
  z.object({
    kind: z.literal('expiredResultUrl'),
    answer: z
      .union([z.literal(401), z.literal(403), z.literal(404), z.literal(410), z.literal('html')])
      .default(404),
    refresh: z.enum(['downloadUrl', 'recordInfo']).default('downloadUrl'),
  }),
]);

/** A fault as callers write it (parameters optional). */
export type KieFault = z.input<typeof kieFaultSchema>;
/** A fault with every parameter filled in. */
export type ResolvedKieFault = z.output<typeof kieFaultSchema>;
export type KieFaultKind = ResolvedKieFault['kind'];
export type FaultOf<K extends KieFaultKind> = Extract<ResolvedKieFault, { kind: K }>;

/** `'global'`: everything until cleared; `'next'`: the next createTask; otherwise a task id. */
export type FaultScope = 'global' | 'next' | (string & {});

export const faultScopeSchema = z.string().min(1).max(200);

const REQUEST_KINDS = ['rateLimit', 'serverErrorBurst', 'maintenance'] as const;
const CREATE_KINDS = [
  'noCredits',
  'createTaskHang',
  'createTaskReset',
  'createTaskGateway',
  'createTaskRefused',
] as const;
type RequestKind = (typeof REQUEST_KINDS)[number];
type CreateKind = (typeof CREATE_KINDS)[number];
export type RequestFault = FaultOf<RequestKind>;
export type CreateFault = FaultOf<CreateKind>;
export type TaskFaultKind = Exclude<KieFaultKind, RequestKind | CreateKind>;

function isRequestFault(fault: ResolvedKieFault): fault is RequestFault {
  return (REQUEST_KINDS as readonly string[]).includes(fault.kind);
}
function isCreateFault(fault: ResolvedKieFault): fault is CreateFault {
  return (CREATE_KINDS as readonly string[]).includes(fault.kind);
}

export interface ActiveFault {
  id: string;
  fault: ResolvedKieFault;
  scope: FaultScope;
  /** Hits left for request faults; null for the others. */
  remaining: number | null;
}

/**
 * Where faults wait until they apply. Request faults are used up per request; createTask faults
 * are used up per createTask in the `next` scope; task faults in the `next` scope move onto the
 * task the next createTask creates and stay with it.
 */
export class FaultBook {
  private entries: ActiveFault[] = [];

  /** Throws on bad parameters, or a scope that cannot apply to that kind of fault. */
  add(fault: KieFault, scope: FaultScope, taskExists: (taskId: string) => boolean): ActiveFault {
    const resolved = kieFaultSchema.parse(fault);
    if (scope !== 'global' && scope !== 'next') {
      if (isCreateFault(resolved))
        throw new Error(`${resolved.kind} applies to createTask: use 'global' or 'next'.`);
      if (!taskExists(scope)) throw new Error(`Unknown task ${scope}.`);
    }
    const entry: ActiveFault = {
      id: randomBytes(6).toString('hex'),
      fault: resolved,
      scope,
      remaining: isRequestFault(resolved) ? resolved.count : null,
    };
    this.entries.push(entry);
    return entry;
  }

  list(): readonly ActiveFault[] {
    return this.entries;
  }

  clear(scope?: FaultScope): void {
    this.entries = scope === undefined ? [] : this.entries.filter((entry) => entry.scope !== scope);
  }

  /**
   * The request fault that answers this request, if any (task scope first, then `next` for
   * createTask, then global), with one hit used up.
   */
  takeRequestFault(endpoint: SimEndpoint, taskId: string | null): RequestFault | null {
    const matches = (entry: ActiveFault): entry is ActiveFault & { fault: RequestFault } => {
      if (!isRequestFault(entry.fault)) return false;
      if (entry.fault.endpoint !== undefined && entry.fault.endpoint !== endpoint) return false;
      if (entry.scope === 'next') return endpoint === 'createTask';
      return entry.scope === 'global' || entry.scope === taskId;
    };
    const rank = (entry: ActiveFault): number =>
      entry.scope === 'global' ? 2 : entry.scope === 'next' ? 1 : 0;
    const entry = this.entries.filter(matches).sort((a, b) => rank(a) - rank(b))[0];
    if (!entry) return null;
    entry.remaining = (entry.remaining ?? 1) - 1;
    if (entry.remaining <= 0) this.remove(entry);
    return entry.fault;
  }

  /** The createTask fault for the call being answered; a `next` one is used up. */
  takeCreateFault(): CreateFault | null {
    const entry =
      this.entries.find((candidate) => candidate.scope === 'next' && isCreateFault(candidate.fault)) ??
      this.entries.find((candidate) => candidate.scope === 'global' && isCreateFault(candidate.fault));
    if (!entry || !isCreateFault(entry.fault)) return null;
    if (entry.scope === 'next') this.remove(entry);
    return entry.fault;
  }

  /** Moves the waiting `next` task faults onto the task just created. */
  attachNext(taskId: string): void {
    for (const entry of this.entries) {
      if (entry.scope === 'next' && !isRequestFault(entry.fault) && !isCreateFault(entry.fault)) {
        entry.scope = taskId;
      }
    }
  }

  /** The task's own fault of that kind, else a global one. */
  forTask<K extends TaskFaultKind>(taskId: string, kind: K): FaultOf<K> | null {
    const entry =
      this.entries.find((candidate) => candidate.scope === taskId && candidate.fault.kind === kind) ??
      this.entries.find((candidate) => candidate.scope === 'global' && candidate.fault.kind === kind);
    return entry ? (entry.fault as FaultOf<K>) : null;
  }

  private remove(entry: ActiveFault): void {
    this.entries = this.entries.filter((candidate) => candidate !== entry);
  }
}
