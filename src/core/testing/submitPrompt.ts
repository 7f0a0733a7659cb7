import type { Job } from '@shared/domain/job';
import type { SubmitInput } from '@shared/ipc/contract';
import type { Core } from '../core';

/**
 * Submits a Nano Banana text prompt (1:1 PNG) to a core under test, as the renderer would;
 * `overrides` change any field. Throws with KIE's code and message when the core refuses it.
 */
export async function submitPrompt(
  core: Pick<Core, 'dispatch'>,
  prompt: string,
  overrides: Partial<SubmitInput> = {},
): Promise<Job> {
  const result = await core.dispatch(
    'jobs.submit',
    {
      model: 'google/nano-banana',
      prompt,
      aspectRatio: '1:1',
      outputFormat: 'png',
      resolution: null,
      ...overrides,
    },
    { transport: 'test' },
  );
  if (!result.ok) throw new Error(`submit failed: ${result.error.code} ${result.error.message}`);
  return result.value as Job;
}
