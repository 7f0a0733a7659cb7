import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateCheck } from '@shared/ipc/contract';
import { createCore } from '../createCore';
import { testPorts } from '../testing/memoryPorts';
import { useTempDirs } from '../testing/tempDir';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('app.checkForUpdates', () => {
  const tempDir = useTempDirs();

  async function rig(options: { updater?: () => Promise<UpdateCheck>; autoUpdate?: boolean } = {}) {
    let checks = 0;
    const ports = testPorts(await tempDir(), {
      settings: { autoUpdate: options.autoUpdate ?? false, language: 'en' },
      ...(options.updater
        ? {
            updater: {
              check: () => {
                checks += 1;
                return options.updater?.() ?? Promise.reject(new Error('no updater'));
              },
            },
          }
        : {}),
    });
    const core = await createCore(ports, { libraryScanDelayMs: 60_000 });
    cleanups.push(() => core.dispose());
    return { core, ports, checks: () => checks };
  }

  it('is disabled where the host has no updater (the web harness, development)', async () => {
    const { core } = await rig();
    const result = await core.dispatch('app.checkForUpdates', {}, { transport: 'test' });
    expect(result).toEqual({
      ok: true,
      value: { state: 'disabled', current: '0.0.0-test', latest: null, message: null },
    });
  });

  it('asks the host updater when the user asks, and only then', async () => {
    const { core, checks } = await rig({
      updater: async () => ({ state: 'available', current: '0.0.0-test', latest: '0.2.0', message: null }),
    });
    expect(checks()).toBe(0);
    const result = await core.dispatch('app.checkForUpdates', {}, { transport: 'test' });
    expect(result.ok && result.value).toMatchObject({ state: 'available', latest: '0.2.0' });
    expect(checks()).toBe(1);
  });

  it('with "check at start" on, checks once at start and tells the user about a new version', async () => {
    const { ports, checks } = await rig({
      autoUpdate: true,
      updater: async () => ({ state: 'available', current: '0.0.0-test', latest: '0.3.0', message: null }),
    });
    await expect.poll(() => ports.notifications.length).toBe(1);
    expect(ports.notifications[0]).toContain('0.3.0');
    expect(checks()).toBe(1);
  });
});
