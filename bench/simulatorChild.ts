/**
 * The KIE simulator in its own process, for the delivery bench: real KIE is on another machine,
 * so the app's work (verifying a PNG as it streams in) must not slow the simulated link by
 * sharing its event loop. Started by remoteSimulator.ts; speaks JSON over the IPC channel.
 */
import { startKieSimulator, type KieFault, type KieSimulatorOptions } from '@core/kie/simulator';

type Request =
  | { id: number; type: 'setFault'; fault: KieFault; scope: string }
  | { id: number; type: 'tasks' }
  | { id: number; type: 'close' };

const send = (message: unknown): void => {
  process.send?.(message);
};

const options = JSON.parse(process.argv[2] ?? '{}') as KieSimulatorOptions;
const sim = await startKieSimulator(options);
send({ type: 'ready', apiKey: sim.apiKey, apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl });

process.on('message', (raw) => {
  const request = raw as Request;
  void (async () => {
    switch (request.type) {
      case 'setFault':
        sim.setFault(request.fault, request.scope);
        send({ id: request.id, value: null });
        return;
      case 'tasks':
        send({
          id: request.id,
          value: [...sim.tasks.values()].map((task) => ({
            taskId: task.taskId,
            prompt: task.prompt,
            completeTime: task.completeTime,
            resultUrls: task.resultUrls,
          })),
        });
        return;
      case 'close':
        await sim.close();
        send({ id: request.id, value: null });
        process.exit(0);
    }
  })();
});
