import type { runRoutes } from '@shared/ipc/runRoutes';
import type { Variations } from '../jobs/variations';
import type { HandlerMap } from './router';

type RunHandlers = Pick<HandlerMap, keyof typeof runRoutes>;

/** Again ×N and A/B runs: several ordinary jobs from one request (see Variations). */
export function createRunHandlers(variations: Variations): RunHandlers {
  return {
    'jobs.submitRun': ({ base, variation }) => variations.submitRun(base, variation),
    'jobs.againCheck': async ({ imageId }) => ({ missing: await variations.missingFor(imageId) }),
    'jobs.again': async ({ imageId, count }) => ({ jobs: await variations.again(imageId, count) }),
    'runs.get': ({ runId }) => variations.run(runId),
  };
}
