import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared/domain/job';
import type { TunnelStatus } from '@shared/domain/tunnel';
import type { Core } from '../core';
import { createCore } from '../createCore';
import { startKieSimulator, type KieSimulator } from '../kie/simulator';
import { memorySecretStore, testPorts } from '../testing/memoryPorts';
import { submitPrompt } from '../testing/submitPrompt';
import { useTempDirs } from '../testing/tempDir';
import type { TunnelSession } from './manager';

/**
 * The tunnel inside the real core, with ngrok's cloud replaced by a fake session whose "public"
 * URL is the local callback server itself (so callbacks really travel), and can be dropped.
 */
function loopbackTunnel() {
  const state = { drop: (): void => undefined, opens: 0, fail: false };
  const session: TunnelSession = {
    async open({ addr, onStatusChange }) {
      if (state.fail) throw new Error('ngrok unreachable');
      state.opens += 1;
      state.drop = () => onStatusChange('closed');
      return { url: `http://${addr}`, close: async () => undefined };
    },
  };
  return { session, state };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('tunnel in the core', () => {
  const tempDir = useTempDirs();

  async function setup(): Promise<{
    core: Core;
    sim: KieSimulator;
    tunnel: ReturnType<typeof loopbackTunnel>;
    jobs: Map<string, Job>;
    statuses: TunnelStatus[];
  }> {
    const sim = await startKieSimulator({ timings: { waitingMs: 50, queuingMs: 50, generatingMs: 100 } });
    cleanups.push(() => sim.close());
    const tunnel = loopbackTunnel();
    const core = await createCore(
      testPorts(await tempDir(), {
        secrets: memorySecretStore({ kieApiKey: sim.apiKey, ngrokAuthtoken: 'ngrok-token-123' }),
        settings: { tunnelMode: 'ngrok', kieApiBaseUrl: sim.apiBaseUrl, kieUploadBaseUrl: sim.uploadBaseUrl },
        tunnelSession: tunnel.session,
      }),
      // Polling would find results only after 2 s: anything faster came by callback.
      { poll: { initialMs: 2_000, lateCallbackMs: 2_000, maxMs: 2_000 } },
    );
    cleanups.push(() => core.dispose());
    const jobs = new Map<string, Job>();
    const statuses: TunnelStatus[] = [];
    core.onEvent((event) => {
      if (event.name === 'job.updated') jobs.set(event.payload.id, event.payload);
      if (event.name === 'tunnel.changed') statuses.push(event.payload);
    });
    return { core, sim, tunnel, jobs, statuses };
  }

  const submit = (core: Core, prompt: string): Promise<Job> => submitPrompt(core, prompt);

  const tunnelState = async (core: Core): Promise<string> => {
    const result = await core.dispatch('tunnel.get', {}, { transport: 'test' });
    return result.ok ? (result.value as TunnelStatus).state : 'unknown';
  };

  it('up: KIE gets the tunnel URL and the callback delivers before any poll', async () => {
    const { core, sim, jobs } = await setup();
    await expect
      .poll(
        async () =>
          (
            (await core.dispatch('tunnel.get', {}, { transport: 'test' })) as {
              ok: true;
              value: TunnelStatus;
            }
          ).value.state,
      )
      .toBe('up');
    const job = await submit(core, 'through the tunnel');
    await expect.poll(() => jobs.get(job.id)?.state, { timeout: 1_500 }).toBe('done');
    const task = [...sim.tasks.values()][0];
    expect(task?.callBackUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/kie\/callback\/[0-9a-f]{32}\?job=[0-9a-f-]{36}$/,
    );
    const status = await core.dispatch('tunnel.get', {}, { transport: 'test' });
    expect(status).toMatchObject({ ok: true, value: { lastCallbackAt: expect.any(String) } });
  });

  it('down: jobs are submitted without a callback URL and still complete by polling; up again afterwards', async () => {
    const { core, sim, tunnel, jobs, statuses } = await setup();
    await expect.poll(() => tunnelState(core)).toBe('up');
    tunnel.state.fail = true;
    tunnel.state.drop();
    await expect.poll(() => statuses.at(-1)?.state).toBe('reconnecting');
    const job = await submit(core, 'while the tunnel is down');
    await expect.poll(() => jobs.get(job.id)?.state, { timeout: 6_000 }).toBe('done');
    expect([...sim.tasks.values()][0]?.callBackUrl ?? null).toBeNull();
    tunnel.state.fail = false;
    await expect.poll(() => statuses.at(-1)?.state, { timeout: 5_000 }).toBe('up');
  });

  it('switching to off closes the tunnel and stops handing out a URL', async () => {
    const { core, statuses } = await setup();
    await expect.poll(() => tunnelState(core)).toBe('up');
    await core.dispatch('settings.update', { tunnelMode: 'off' }, { transport: 'test' });
    await expect.poll(() => statuses.at(-1)).toMatchObject({ mode: 'off', state: 'off', publicUrl: null });
  });
});
