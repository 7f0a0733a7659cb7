import type { Logger } from '../../log/logger';
import type { ActiveFault, FaultScope, KieFault } from './faults';
import type { PersistLimits } from './persist';
import type { RequestLogEntry } from './requestLog';
import type { SimulatedTask, SimulatorTimings } from './tasks';

export interface KieSimulatorOptions {
  /** The one key the API accepts (default: random). */
  apiKey?: string;
  /** Guards /__admin/* (default: the API key). */
  adminToken?: string;
  /** Starting balance (default 1000). */
  credits?: number;
  /** Phase durations (default 100 / 100 / 200 ms; Demo mode passes seconds). */
  timings?: Partial<SimulatorTimings>;
  /** Signs callbacks when set, like KIE's webhook HMAC key. */
  hmacKey?: string | null;
  host?: string;
  port?: number;
  logger?: Logger;
  /** Caps the long side of generated images (default 1024, to keep tests fast). */
  maxImageSide?: number;
  /**
   * Photographic grain (gaussian noise sigma, 0–64) so files have a camera-like size instead
   * of compressing to almost nothing; benchmarks use it. Not deterministic.
   */
  grain?: number;
  /**
   * Envelope errors (401, 402, 404, 422, 455…) go out with HTTP 200 by default, as KIE does;
   * true sends the envelope code as the HTTP status too. 429 and 5xx faults always use the
   * real HTTP status, as a gateway would.
   */
  mirrorHttpStatus?: boolean;
  /** Callback retries after the first attempt (default 3), with doubling backoff from this (default 200 ms). */
  callbackRetries?: number;
  callbackBackoffMs?: number;
  /** Per reference-image fetch at createTask (default 10 s). */
  referenceTimeoutMs?: number;
  /** Lifetime of links from download-url (default 20 minutes, like KIE). */
  downloadUrlTtlMs?: number;
  /** The request log keeps this many latest entries (default 5000). */
  maxLogEntries?: number;
  /**
   * Keep tasks, their results, uploads, the API key and the port in this folder (Demo mode:
   * `<dataDir>/demo-kie`), so a restart finds every task as KIE would: one in flight goes on on
   * its clock, finishes and calls back. Off by default: tests and the harness start clean.
   */
  persistDir?: string;
  /** Bounds of what `persistDir` keeps (defaults in persist.ts: 14 days, 500 tasks, 256 MB). */
  persistLimits?: Partial<PersistLimits>;
  /** createTask charges nothing, so the balance never falls (Demo mode: "free" means free). */
  freeTasks?: boolean;
}

export interface KieSimulator {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly apiBaseUrl: string;
  readonly uploadBaseUrl: string;
  readonly apiKey: string;
  readonly adminToken: string;
  /** Live list of the requests received (admin requests excluded), oldest first. */
  readonly requests: readonly RequestLogEntry[];
  /** Requests whose method matches (`'*'` for any) and whose path starts with the prefix. */
  countRequests(method: string, pathPrefix: string): number;
  readonly tasks: ReadonlyMap<string, SimulatedTask>;
  /** Resolves when the task ended and its callbacks are done; rejects for an unknown task. */
  whenSettled(taskId: string): Promise<SimulatedTask>;
  /** Validates the fault (throws on bad parameters or scope) and returns its id. */
  setFault(fault: KieFault, scope?: FaultScope): string;
  clearFaults(scope?: FaultScope): void;
  readonly faults: readonly ActiveFault[];
  readonly credits: number;
  setCredits(credits: number): void;
  /**
   * Forgets every uploaded file, as KIE does when an upload's lifetime ends: their URLs 404 and
   * a createTask naming one is refused (422). Returns how many were dropped.
   */
  expireUploads(): number;
  /** Closes every socket and timer; idempotent. */
  close(): Promise<void>;
}
