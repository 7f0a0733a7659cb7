import { afterEach, describe, expect, it } from 'vitest';
import { recentLogs } from '../ipc/handlers';
import { createLogger, MemorySink } from '../log/logger';
import { KieClient } from './client';
import { startKieSimulator } from './simulator';
import type { KieSimulator } from './simulator/types';

/**
 * Issue 11 §5: KIE's request and response lines carry the job they are for, so the log view's
 * "only this job" shows what KIE was asked and what it answered for that job.
 */
const simulators: KieSimulator[] = [];
afterEach(async () => {
  for (const simulator of simulators.splice(0)) await simulator.close();
});

async function setup() {
  const simulator = await startKieSimulator({ timings: { waitingMs: 10, queuingMs: 10, generatingMs: 10 } });
  simulators.push(simulator);
  const history = new MemorySink(500);
  const kie = new KieClient({
    apiBaseUrl: simulator.apiBaseUrl,
    uploadBaseUrl: simulator.uploadBaseUrl,
    getApiKey: async () => simulator.apiKey,
    log: createLogger({ sinks: [history], scope: 'kie' }),
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    sleep: async () => undefined,
  });
  return { simulator, history, kie };
}

const request = {
  model: 'google/nano-banana' as const,
  input: { prompt: 'a banana', output_format: 'png', aspect_ratio: '1:1' },
};

const messagesFor = async (history: MemorySink, jobId: string) =>
  (await recentLogs(history, jobId, 100)).map((entry) => entry.message).reverse();

describe('KIE log lines name their job', () => {
  it('createTask and recordInfo: request and response lines are in the job’s own log', async () => {
    const { simulator, history, kie } = await setup();
    const { taskId } = await kie.createTask(request, undefined, { jobId: 'job-1' });
    await simulator.whenSettled(taskId);
    await kie.recordInfo(taskId, undefined, { jobId: 'job-1' });
    // Another job's call and a call for no job stay out of job-1's view.
    await kie.createTask(request, undefined, { jobId: 'job-2' });
    await kie.credits();

    expect(await messagesFor(history, 'job-1')).toEqual([
      'KIE request',
      'KIE response',
      'KIE request',
      'KIE response',
    ]);
    const lines = await recentLogs(history, 'job-1', 100);
    expect(lines.map((entry) => JSON.parse(entry.fields ?? '{}') as Record<string, unknown>)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ jobId: 'job-1', what: 'createTask', status: 200 }),
        expect.objectContaining({ jobId: 'job-1', what: 'recordInfo', status: 200 }),
      ]),
    );
    expect(await messagesFor(history, 'job-2')).toEqual(['KIE request', 'KIE response']);
  });

  it('retries and lost answers are in the job’s log too', async () => {
    const { simulator, history, kie } = await setup();
    simulator.setFault({ kind: 'serverErrorBurst', count: 1, endpoint: 'recordInfo' });
    const { taskId } = await kie.createTask(request, undefined, { jobId: 'job-3' });
    await kie.recordInfo(taskId, undefined, { jobId: 'job-3' });
    simulator.setFault({ kind: 'createTaskGateway' });
    await expect(kie.createTask(request, undefined, { jobId: 'job-4' })).rejects.toMatchObject({
      code: 'UNKNOWN_OUTCOME',
    });
    expect(await messagesFor(history, 'job-3')).toContain('KIE call failed; retrying');
    expect(await messagesFor(history, 'job-4')).toEqual([
      'KIE request',
      'createTask answer was not a KIE envelope',
    ]);
  });

  it('download-url and uploads carry the job when given', async () => {
    const { history, kie } = await setup();
    const upload = await kie.uploadBase64(
      { bytes: new Uint8Array([1, 2, 3]), mimeType: 'image/png', fileName: 'a.png', uploadPath: 'x' },
      undefined,
      { jobId: 'job-5' },
    );
    await kie.downloadUrl(upload.downloadUrl, undefined, { jobId: 'job-5' }).catch(() => undefined);
    const fields = (await recentLogs(history, 'job-5', 100)).map(
      (entry) => (JSON.parse(entry.fields ?? '{}') as { what?: string }).what,
    );
    expect(fields).toEqual(expect.arrayContaining(['upload', 'download-url']));
  });
});
