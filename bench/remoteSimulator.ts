import { fork } from 'node:child_process';
import type { KieFault, KieSimulatorOptions } from '@core/kie/simulator';
import { bundleNodeEntry } from '../tests/support/bundleNodeEntry';

export interface RemoteTask {
  taskId: string;
  prompt: string;
  completeTime: number | null;
  resultUrls: string[];
}

/** The simulator's surface the delivery bench uses, served from a child process. */
export interface RemoteSimulator {
  apiKey: string;
  apiBaseUrl: string;
  uploadBaseUrl: string;
  setFault(fault: KieFault, scope: string): Promise<void>;
  tasks(): Promise<RemoteTask[]>;
  close(): Promise<void>;
}

/** Starts the KIE simulator in a child process (see simulatorChild.ts). */
export async function startRemoteSimulator(options: KieSimulatorOptions): Promise<RemoteSimulator> {
  const bundle = await bundleNodeEntry('bench/simulatorChild.ts', 'bench-simulator');
  const child = fork(bundle, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (value: unknown) => void>();
  let nextId = 0;
  const ready = new Promise<{ apiKey: string; apiBaseUrl: string; uploadBaseUrl: string }>(
    (resolveReady, reject) => {
      child.once('exit', (code) => reject(new Error(`the simulator process exited (${String(code)})`)));
      child.on('message', (raw) => {
        const message = raw as { type?: string; id?: number; value?: unknown };
        if (message.type === 'ready') resolveReady(message as never);
        else if (message.id !== undefined) waiting.get(message.id)?.(message.value);
      });
    },
  );
  const call = <T>(request: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolveCall) => {
      const id = nextId++;
      waiting.set(id, (value) => {
        waiting.delete(id);
        resolveCall(value as T);
      });
      child.send({ ...request, id });
    });
  const { apiKey, apiBaseUrl, uploadBaseUrl } = await ready;
  return {
    apiKey,
    apiBaseUrl,
    uploadBaseUrl,
    setFault: (fault, scope) => call<void>({ type: 'setFault', fault, scope }),
    tasks: () => call<RemoteTask[]>({ type: 'tasks' }),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      await call<void>({ type: 'close' });
      await exited;
    },
  };
}
