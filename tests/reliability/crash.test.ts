import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKieSimulator, type KieSimulator } from '@core/kie/simulator';
import { useTempDirs } from '@core/testing/tempDir';
import { buildCrashChild, runCrashTrial, type TrialResult } from './crash/trial';

/**
 * Crash safety: the engine is SIGKILLed at random moments (30 runs) while jobs are submitting,
 * generating and downloading. After a restart every result KIE finished is in the library
 * exactly once, no temp file remains, SQLite is intact, and no createTask was sent twice.
 */
const RUNS = 30;

describe('crash safety (SIGKILL at random moments)', () => {
  const tempDir = useTempDirs();
  let sim: KieSimulator;

  beforeAll(async () => {
    sim = await startKieSimulator({
      timings: { waitingMs: 40, queuingMs: 40, generatingMs: 80 },
      maxImageSide: 256,
      // Hundreds of runs share one account: an empty balance would pause the queue, by design.
      credits: 1_000_000,
    });
    await buildCrashChild();
  });
  afterAll(async () => {
    await sim.close();
  });

  it(`loses nothing over ${RUNS} kills`, { timeout: 240_000 }, async () => {
    const results: TrialResult[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      // Spread the kills from "just after the first submit" to "while the last downloads land".
      const killAfterMs = Math.floor(((run + Math.random()) / RUNS) * 320);
      results.push(await runCrashTrial({ sim, dataDir: await tempDir(), jobs: 4, killAfterMs }));
    }
    for (const result of results) {
      expect(result.lost, JSON.stringify(result)).toEqual([]);
      expect(result.duplicates).toBe(0);
      expect(result.partial).toEqual([]);
      expect(result.integrity).toBe('ok');
      expect(result.repeatedCreates).toBe(0);
      expect(result.jobStates.queued ?? 0).toBe(0);
    }
    expect(results.filter((result) => result.killed).length).toBeGreaterThan(RUNS / 2);
  });
});
