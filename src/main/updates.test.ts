import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, MemorySink } from '@core/log/logger';
import { createUpdater, type AutoUpdaterLike } from './updates';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function resources(withFeed: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'banana-updates-'));
  dirs.push(dir);
  if (withFeed) await writeFile(join(dir, 'app-update.yml'), 'provider: github\n');
  return dir;
}

function fakeUpdater(version: string | Error): AutoUpdaterLike {
  return {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    checkForUpdates: vi.fn(async () => {
      if (version instanceof Error) throw version;
      return { updateInfo: { version } };
    }),
  };
}

const build = async (options: { packaged: boolean; feed: boolean; updater: AutoUpdaterLike }) =>
  createUpdater({
    autoUpdater: async () => options.updater,
    currentVersion: '0.1.0',
    isPackaged: options.packaged,
    resourcesPath: await resources(options.feed),
    log: createLogger({ sinks: [new MemorySink()] }),
  });

describe('createUpdater', () => {
  it('is disabled in development and in builds without a release feed, without asking anyone', async () => {
    for (const [packaged, feed] of [
      [false, true],
      [true, false],
    ] as const) {
      const updater = fakeUpdater('9.9.9');
      expect(await (await build({ packaged, feed, updater })).check()).toEqual({
        state: 'disabled',
        current: '0.1.0',
        latest: null,
        message: null,
      });
      expect(updater.checkForUpdates).not.toHaveBeenCalled();
    }
  });

  it('reports a newer version without downloading it', async () => {
    const updater = fakeUpdater('0.2.0');
    const result = await (await build({ packaged: true, feed: true, updater })).check();
    expect(result).toMatchObject({ state: 'available', latest: '0.2.0' });
    expect(updater.autoDownload).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('says up to date for the same version, and turns a failure into a message', async () => {
    expect(
      await (await build({ packaged: true, feed: true, updater: fakeUpdater('0.1.0') })).check(),
    ).toMatchObject({
      state: 'up-to-date',
    });
    const failing = await build({
      packaged: true,
      feed: true,
      updater: fakeUpdater(new Error('feed unreachable')),
    });
    expect(await failing.check()).toMatchObject({ state: 'error', message: 'feed unreachable' });
  });
});
