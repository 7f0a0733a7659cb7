import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job } from '@shared/domain/job';
import type { StoredSettings } from '@shared/domain/settings';
import type { AnyEvent } from '@shared/ipc/contract';
import type { Core } from '../core';
import { createCore, type CoreOptions } from '../createCore';
import { startKieSimulator, type KieFault, type KieSimulator } from '../kie/simulator';
import type { CorePorts } from '../ports';
import type { SimulatorTimings } from '../kie/simulator/tasks';
import { memorySecretStore, testPorts } from './memoryPorts';
import { submitPrompt } from './submitPrompt';

/**
 * A real core on a temp data folder, talking to a real KIE simulator on 127.0.0.1: what the
 * delivery and reliability suites drive. Everything it starts is stopped by `cleanups`.
 */
export const FAST_TIMINGS: SimulatorTimings = { waitingMs: 60, queuingMs: 60, generatingMs: 120 };
export const FAST_CORE: CoreOptions = {
  poll: { initialMs: 50, maxMs: 200, lateCallbackMs: 400, perSecond: 200, burst: 50 },
  download: { maxBytes: 5_000_000, idleMs: 400 },
  probeIntervalMs: 100,
};

export interface CoreRig {
  core: Core;
  sim: KieSimulator;
  dataDir: string;
  events: AnyEvent[];
  /** The latest state of every job seen in events. */
  latest: Map<string, Job>;
  submit(prompt?: string): Promise<Job>;
  until(jobId: string, states: Job['state'][], timeoutMs?: number): Promise<Job>;
  files(): Promise<string[]>;
  creates(): number;
  store: CorePorts['store'];
  dispose(): Promise<void>;
}

export interface CoreRigOptions {
  demo?: boolean;
  fault?: KieFault;
  sim?: KieSimulator;
  dataDir?: string;
  core?: CoreOptions;
  settings?: Partial<StoredSettings>;
  timings?: Partial<SimulatorTimings>;
  /** The settings store of an earlier rig: a restart on the same data folder keeps what it held. */
  store?: CorePorts['store'];
}

export async function startCoreRig(
  tempDir: () => Promise<string>,
  cleanups: (() => Promise<void>)[],
  options: CoreRigOptions = {},
): Promise<CoreRig> {
  const sim = options.sim ?? (await startKieSimulator({ timings: { ...FAST_TIMINGS, ...options.timings } }));
  if (!options.sim) cleanups.push(() => sim.close());
  if (options.fault) sim.setFault(options.fault, 'global');
  const dataDir = options.dataDir ?? (await tempDir());
  const demo = options.demo ?? false;
  const ports = testPorts(dataDir, {
    secrets: memorySecretStore({ kieApiKey: sim.apiKey }),
    demoKie: { apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey },
    settings: {
      demoMode: demo,
      kieApiBaseUrl: sim.apiBaseUrl,
      kieUploadBaseUrl: sim.uploadBaseUrl,
      ...options.settings,
    },
    ...(options.store ? { store: options.store } : {}),
  });
  const core = await createCore(ports, { ...FAST_CORE, ...options.core });
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (!disposed) await core.dispose();
    disposed = true;
  };
  cleanups.push(dispose);
  const events: AnyEvent[] = [];
  const latest = new Map<string, Job>();
  core.onEvent((event) => {
    events.push(event);
    if (event.name === 'job.updated') latest.set(event.payload.id, event.payload);
  });
  return {
    core,
    sim,
    dataDir,
    events,
    latest,
    store: ports.store,
    dispose,
    submit: (prompt = 'a red fox in the snow') => submitPrompt(core, prompt),
    async until(jobId, states, timeoutMs = 8_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const job = latest.get(jobId);
        if (job && states.includes(job.state)) return job;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`job ${jobId} stuck in ${latest.get(jobId)?.state}, wanted ${states.join('|')}`);
    },
    async files() {
      const entries = await readdir(join(dataDir, 'library'), { recursive: true, withFileTypes: true }).catch(
        () => [],
      );
      return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
    },
    creates: () => sim.countRequests('POST', '/api/v1/jobs/createTask'),
  };
}
