import type { ModelId, Resolution } from '@shared/domain/models';
import type { Logger } from '../../log/logger';
import { deliverCallbacks, type CallbackAttempt, type CallbackBody } from './callbacks';
import type { FaultBook } from './faults';
import type { FileStore } from './files';
import { outputSize, renderImage } from './image';
import type { Lifetime } from './lifetime';
import type { ValidatedTask } from './validate';

export type SimTaskState = 'waiting' | 'queuing' | 'generating' | 'success' | 'fail';

export interface SimulatorTimings {
  waitingMs: number;
  queuingMs: number;
  generatingMs: number;
}

/** What tests can read about a task (live: `state` follows the clock). */
export interface SimulatedTask {
  readonly taskId: string;
  readonly model: ModelId;
  readonly state: SimTaskState;
  /** The createTask input as received. */
  readonly input: Readonly<Record<string, unknown>>;
  /** recordInfo's `param` string. */
  readonly param: string;
  readonly callBackUrl: string | null;
  readonly prompt: string;
  readonly resolution: Resolution | null;
  readonly referenceUrls: readonly string[];
  /** Input fields this model ignores (e.g. `image_input` sent to the edit model). */
  readonly ignoredFields: readonly string[];
  readonly createTime: number;
  readonly completeTime: number | null;
  readonly creditsCharged: number;
  readonly resultUrls: readonly string[];
  readonly failCode: string | null;
  readonly failMsg: string | null;
  /** Every callback POST attempt, in order. */
  readonly callbacks: readonly CallbackAttempt[];
  /** recordInfo has reported the final state at least once. */
  readonly polledFinal: boolean;
  /** The image size fixed at createTask; null until the simulator chose it. */
  readonly output: { readonly width: number; readonly height: number } | null;
}

export interface FinalState {
  state: 'success' | 'fail';
  completeTime: number;
  resultUrls: string[];
  failCode: string | null;
  failMsg: string | null;
  creditsConsumed: number;
}

/**
 * Everything needed to bring a task back after a restart (persist.ts writes it to disk). The
 * createTask request is kept as received and checked again on the way back in.
 */
export interface TaskSnapshot {
  taskId: string;
  request: { model: string; callBackUrl: string | null; input: Record<string, unknown> };
  createTime: number;
  timings: SimulatorTimings;
  creditsCharged: number;
  output: { width: number; height: number } | null;
  final: FinalState | null;
  polledFinal: boolean;
  callbackDone: boolean;
}

export class TaskRecord implements SimulatedTask {
  readonly callbacks: CallbackAttempt[] = [];
  polledFinal = false;
  final: FinalState | null = null;
  /** The image size, fixed at createTask (an `auto` ratio follows the first reference). */
  output: { width: number; height: number } | null = null;
  /** The callback went out (delivered or given up); a restart sends it when this is still false. */
  callbackDone = false;
  /** Resolves when the task ended and its callbacks are done (delivered, dropped or given up). */
  readonly settled: Promise<void>;
  private settle!: () => void;
  readonly polled: Promise<void>;
  private resolvePolled!: () => void;

  constructor(
    readonly taskId: string,
    readonly spec: ValidatedTask,
    readonly createTime: number,
    readonly timings: SimulatorTimings,
    readonly creditsCharged: number,
  ) {
    this.settled = new Promise((resolve) => (this.settle = resolve));
    this.polled = new Promise((resolve) => (this.resolvePolled = resolve));
  }

  static fromSnapshot(snapshot: TaskSnapshot, spec: ValidatedTask): TaskRecord {
    const task = new TaskRecord(
      snapshot.taskId,
      spec,
      snapshot.createTime,
      snapshot.timings,
      snapshot.creditsCharged,
    );
    task.final = snapshot.final;
    task.output = snapshot.output;
    task.callbackDone = snapshot.callbackDone;
    if (snapshot.polledFinal) task.markPolledFinal();
    return task;
  }

  snapshot(): TaskSnapshot {
    return {
      taskId: this.taskId,
      request: { model: this.model, callBackUrl: this.callBackUrl, input: this.input },
      createTime: this.createTime,
      timings: this.timings,
      creditsCharged: this.creditsCharged,
      output: this.output,
      final: this.final,
      polledFinal: this.polledFinal,
      callbackDone: this.callbackDone,
    };
  }

  get model(): ModelId {
    return this.spec.model;
  }
  get input(): Readonly<Record<string, unknown>> {
    return this.spec.input;
  }
  get callBackUrl(): string | null {
    return this.spec.callBackUrl;
  }
  get prompt(): string {
    return this.spec.prompt;
  }
  get resolution(): Resolution | null {
    return this.spec.resolution;
  }
  get referenceUrls(): readonly string[] {
    return this.spec.referenceUrls;
  }
  get ignoredFields(): readonly string[] {
    return this.spec.ignoredFields;
  }
  get param(): string {
    return JSON.stringify({ model: this.model, callBackUrl: this.callBackUrl ?? '', input: this.input });
  }
  get completeTime(): number | null {
    return this.final?.completeTime ?? null;
  }
  get resultUrls(): readonly string[] {
    return this.final?.resultUrls ?? [];
  }
  get failCode(): string | null {
    return this.final?.failCode ?? null;
  }
  get failMsg(): string | null {
    return this.final?.failMsg ?? null;
  }

  /** Until the result exists, the phase follows the clock from createTime. */
  get state(): SimTaskState {
    if (this.final) return this.final.state;
    const elapsed = Date.now() - this.createTime;
    if (elapsed < this.timings.waitingMs) return 'waiting';
    if (elapsed < this.timings.waitingMs + this.timings.queuingMs) return 'queuing';
    return 'generating';
  }

  private get updateTime(): number {
    if (this.final) return this.final.completeTime;
    const { waitingMs, queuingMs } = this.timings;
    const state = this.state;
    if (state === 'waiting') return this.createTime;
    return this.createTime + waitingMs + (state === 'generating' ? queuingMs : 0);
  }

  markPolledFinal(): void {
    this.polledFinal = true;
    this.resolvePolled();
  }

  markSettled(): void {
    this.settle();
  }

  /** recordInfo's `data`. */
  recordInfo(): Record<string, unknown> {
    const final = this.final;
    return {
      taskId: this.taskId,
      model: this.model,
      state: this.state,
      param: this.param,
      resultJson: final?.state === 'success' ? JSON.stringify({ resultUrls: final.resultUrls }) : '',
      failCode: final?.failCode ?? '',
      failMsg: final?.failMsg ?? '',
      costTime: final ? final.completeTime - this.createTime : null,
      completeTime: final?.completeTime ?? null,
      createTime: this.createTime,
      updateTime: this.updateTime,
    };
  }

  /** The callback body, shaped like KIE's example (param.input is a string inside the string). */
  callbackBody(): CallbackBody | null {
    const final = this.final;
    if (!final) return null;
    const param = JSON.stringify({
      input: JSON.stringify(this.input),
      callBackUrl: this.callBackUrl ?? '',
      model: this.model,
    });
    const data: CallbackBody['data'] = {
      taskId: this.taskId,
      model: this.model,
      state: final.state,
      param,
      resultJson: final.state === 'success' ? JSON.stringify({ resultUrls: final.resultUrls }) : '',
      creditsConsumed: final.creditsConsumed,
      costTime: Math.max(1, Math.round((final.completeTime - this.createTime) / 1000)),
      createTime: this.createTime,
      completeTime: final.completeTime,
      updateTime: final.completeTime,
    };
    if (final.state === 'fail') {
      data.failCode = final.failCode ?? '';
      data.failMsg = final.failMsg ?? '';
      const code = Number(final.failCode);
      return { code: [400, 500, 501].includes(code) ? code : 501, msg: final.failMsg ?? 'failed', data };
    }
    return { code: 200, msg: 'Playground task completed successfully.', data };
  }

  toJSON(): Record<string, unknown> {
    return {
      ...this.recordInfo(),
      input: this.input,
      callBackUrl: this.callBackUrl,
      creditsCharged: this.creditsCharged,
      resultUrls: this.resultUrls,
      ignoredFields: this.ignoredFields,
      polledFinal: this.polledFinal,
      callbacks: this.callbacks.map(({ body: _body, ...attempt }) => attempt),
    };
  }
}

export interface LifecycleContext {
  timings: SimulatorTimings;
  files: FileStore;
  faults: FaultBook;
  lifetime: Lifetime;
  maxImageSide: number;
  grain: number;
  hmacKey: string | null;
  callbackRetries: number;
  callbackBackoffMs: number;
  refund(credits: number): void;
  logger: Logger | null;
  /** Called when a task's outcome or callback state changed (a persisting simulator saves it). */
  persist?(task: TaskRecord): void;
}

/**
 * Drives a created task to its end: the image is rendered at once (so it is ready when the
 * clock says `success`), the outcome faults are read only at the end (so a test may set them
 * on a task already running), then the callback goes out.
 */
export function runTask(
  task: TaskRecord,
  references: readonly Buffer[],
  referenceRatio: number | null,
  spec: ValidatedTask,
  context: LifecycleContext,
): void {
  task.output = outputSize(spec.aspectRatio, spec.resolution, context.maxImageSide, referenceRatio);
  const { waitingMs, queuingMs, generatingMs } = task.timings;
  renderAndFinish(task, references, waitingMs + queuingMs + generatingMs, context);
}

/**
 * Takes up a task kept from an earlier run: one still in flight goes on where its clock is (an
 * overdue one finishes at once), a finished one whose callback had not gone out sends it now.
 */
export function resumeTask(task: TaskRecord, references: readonly Buffer[], context: LifecycleContext): void {
  if (!task.final) {
    const { waitingMs, queuingMs, generatingMs } = task.timings;
    const dueIn = task.createTime + waitingMs + queuingMs + generatingMs - Date.now();
    renderAndFinish(task, references, dueIn, context);
    return;
  }
  if (task.callbackDone) {
    task.markSettled();
    return;
  }
  void sendCallback(task, context).finally(() => task.markSettled());
}

function renderAndFinish(
  task: TaskRecord,
  references: readonly Buffer[],
  dueInMs: number,
  context: LifecycleContext,
): void {
  const { spec } = task;
  const { width, height } =
    task.output ?? outputSize(spec.aspectRatio, spec.resolution, context.maxImageSide, null);
  const rendering = renderImage({
    prompt: spec.prompt,
    width,
    height,
    format: spec.format,
    references,
    grain: context.grain,
    variation: task.taskId,
  }).then(
    (bytes) => ({ ok: true as const, bytes }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  context.lifetime.later(dueInMs, () => {
    void finish(task, rendering, context).finally(() => task.markSettled());
  });
}

async function finish(
  task: TaskRecord,
  rendering: Promise<{ ok: true; bytes: Buffer } | { ok: false; error: unknown }>,
  context: LifecycleContext,
): Promise<void> {
  const { spec } = task;
  const rendered = await rendering;
  if (context.lifetime.closed) return;
  const rejected = context.faults.forTask(task.taskId, 'contentRejected');
  const failed = context.faults.forTask(task.taskId, 'generationFailed');
  const completeTime = Date.now();
  const failure = rejected ?? failed ?? (rendered.ok ? null : { failCode: '500', failMsg: 'Internal error' });
  if (failure || !rendered.ok) {
    context.refund(task.creditsCharged);
    task.final = {
      state: 'fail',
      completeTime,
      resultUrls: [],
      failCode: failure?.failCode ?? '500',
      failMsg: failure?.failMsg ?? 'Internal error',
      creditsConsumed: 0,
    };
    if (!rendered.ok)
      context.logger?.error('Simulated render failed', { taskId: task.taskId, error: rendered.error });
  } else {
    const extension = spec.format === 'png' ? 'png' : 'jpg';
    const file = context.files.put({
      bytes: rendered.bytes,
      mimeType: spec.format === 'png' ? 'image/png' : 'image/jpeg',
      fileName: `${task.taskId}.${extension}`,
      dir: 'generated',
      taskId: task.taskId,
    });
    task.final = {
      state: 'success',
      completeTime,
      resultUrls: [context.files.urlFor(file)],
      failCode: null,
      failMsg: null,
      creditsConsumed: task.creditsCharged,
    };
  }
  context.logger?.info('Simulated task finished', { taskId: task.taskId, state: task.final.state });
  if (!task.callBackUrl) task.callbackDone = true;
  context.persist?.(task);
  await sendCallback(task, context);
}

async function sendCallback(task: TaskRecord, context: LifecycleContext): Promise<void> {
  const body = task.callbackBody();
  if (!task.callBackUrl || !body) return;
  await deliverCallbacks({
    url: task.callBackUrl,
    body,
    hmacKey: context.hmacKey,
    faults: context.faults,
    lifetime: context.lifetime,
    retries: context.callbackRetries,
    backoffMs: context.callbackBackoffMs,
    polledFinal: task.polled,
    record: (attempt) => task.callbacks.push(attempt),
    logger: context.logger,
  });
  // Stopped by close: the next start sends it again, as KIE keeps retrying while the app is away.
  if (context.lifetime.closed) return;
  task.callbackDone = true;
  context.persist?.(task);
}
