import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, statfs, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startKieSimulator } from '@core/kie/simulator';
import { FAST_TIMINGS, startCoreRig, type CoreRig, type CoreRigOptions } from '@core/testing/coreRig';
import { useTempDirs } from '@core/testing/tempDir';

/**
 * A disk that fills up while jobs are paid for: on a real, small tmpfs (so ENOSPC and SQLite's
 * "database or disk is full" come from the kernel, not a mock). Nothing may be marked failed, and
 * once space is freed every image is saved without the user doing anything. Needs root to
 * mount; skipped (and counted as skipped) where mounting is not allowed.
 */
const run = promisify(execFile);
// Registered before the hook below, so it runs after it: the mounts are gone before the temp
// folders holding them are removed.
const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mountTmpfs(dir: string, sizeMb: number): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
  } catch {
    return false;
  }
  cleanups.unshift(() => run('umount', ['-l', dir]).then(() => undefined));
  return true;
}

const canMount =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  (await (async () => {
    const probe = join(await tempDir(), 'probe');
    const ok = await mountTmpfs(probe, 1);
    for (const cleanup of cleanups.splice(0)) await cleanup();
    return ok;
  })());

/** Fills the disk holding `dir` until at most `leaveBytes` are free (files named filler*). */
async function fill(dir: string, leaveBytes = 0): Promise<void> {
  const filler = join(dir, 'filler.bin');
  const stats = await statfs(dir);
  const free = stats.bavail * stats.bsize;
  await writeFile(filler, Buffer.alloc(Math.max(0, free - leaveBytes), 1)).catch(() => undefined);
  // Whatever blocks are left: top up in small pieces until the kernel says no.
  for (let i = 0; i < 64; i += 1) {
    const now = await statfs(dir);
    const left = now.bavail * now.bsize;
    if (left <= leaveBytes) break;
    const ok = await writeFile(join(dir, `filler-${i}.bin`), Buffer.alloc(left - leaveBytes, 1)).then(
      () => true,
      () => false,
    );
    if (!ok) break;
  }
}

async function unfill(dir: string): Promise<void> {
  for (const name of await readdir(dir)) if (name.startsWith('filler')) await rm(join(dir, name));
}

function states(r: CoreRig, jobId: string): string[] {
  return r.events.flatMap((event) =>
    event.name === 'job.updated' && event.payload.id === jobId ? [event.payload.state] : [],
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function untilError(r: CoreRig, jobId: string, code: string, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (r.latest.get(jobId)?.error?.code === code) return;
    await sleep(25);
  }
  throw new Error(`job ${jobId} never showed ${code}; last: ${JSON.stringify(r.latest.get(jobId))}`);
}

describe.skipIf(!canMount)('a full disk never costs a paid image', () => {
  it('the library disk fills up: the job waits as "disk full", then saves once there is room', async () => {
    const dataDir = await tempDir();
    const library = join(dataDir, 'library');
    expect(await mountTmpfs(library, 40)).toBe(true);
    const r = await startCoreRig(tempDir, cleanups, { dataDir, core: { diskRetryMs: 100 } });
    await fill(library, 0);

    const job = await r.submit('a lighthouse at dawn');
    await untilError(r, job.id, 'DISK_FULL');
    await sleep(500);
    expect(states(r, job.id)).not.toContain('failed');
    expect(r.latest.get(job.id)?.error?.message).toMatch(/disk is full/i);

    await unfill(library);
    const done = await r.until(job.id, ['done', 'failed'], 20_000);
    expect(done.state).toBe('done');
    expect((await r.files()).filter((name) => !name.startsWith('filler'))).toHaveLength(1);
    expect(r.creates()).toBe(1);
  }, 40_000);

  it('the data disk fills up while KIE accepts a task: its id is kept, and the job is delivered later', async () => {
    const dataDir = join(await tempDir(), 'data');
    expect(await mountTmpfs(dataDir, 48)).toBe(true);
    const sim = await startKieSimulator({ timings: FAST_TIMINGS });
    cleanups.push(() => sim.close());
    // Between the core and KIE: fills the disk the moment createTask reaches KIE, before the
    // answer (with the task id the app must record) comes back.
    const proxy: Server = createServer((incoming, outgoing) => {
      const target = new URL(incoming.url ?? '/', sim.apiBaseUrl);
      const forward = httpRequest(
        target,
        { method: incoming.method, headers: incoming.headers },
        (answer) => {
          const send = () => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          };
          if (target.pathname.endsWith('/jobs/createTask')) void fill(dataDir, 0).then(send);
          else send();
        },
      );
      incoming.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          proxy.closeAllConnections();
          proxy.close(() => resolve());
        }),
    );
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const options: CoreRigOptions = {
      sim,
      dataDir,
      core: { diskRetryMs: 100 },
      settings: { kieApiBaseUrl: proxyUrl },
    };
    const r = await startCoreRig(tempDir, cleanups, options);

    const job = await r.submit('a lighthouse at dawn');
    await untilError(r, job.id, 'DISK_FULL');
    await sleep(500);
    expect(states(r, job.id)).not.toContain('failed');
    // The task KIE made is known (in memory until it can be written), never sent again.
    expect(r.creates()).toBe(1);

    await unfill(dataDir);
    const done = await r.until(job.id, ['done', 'failed'], 30_000);
    expect(done.state).toBe('done');
    expect(done.kieTaskId).toBe([...sim.tasks.keys()][0]);
    expect(r.creates()).toBe(1);
  }, 60_000);
});
