/**
 * The crash test at bench scale: 200 SIGKILLs at random moments, counted. A kill between
 * createTask reaching KIE and its answer being written leaves a task the app cannot name: it
 * must show as an unknown-outcome job (else it counts as lost). KIE's callback names the job, and
 * the restarted app listens at the same address (port and token are kept in the data folder, as
 * behind a tunnel with a fixed domain), so with callbacks delivered every such task KIE created
 * is recovered: `paid_unrecovered` is 0.
 */
import { startKieSimulator } from '@core/kie/simulator';
import { runCrashTrial } from '../tests/reliability/crash/trial';
import { withTempDir, type Figures } from './support';

export async function benchKill(runs = Number(process.env['BENCH_KILL_RUNS'] ?? 200)): Promise<Figures> {
  const sim = await startKieSimulator({
    timings: { waitingMs: 40, queuingMs: 40, generatingMs: 80 },
    maxImageSide: 256,
    // Hundreds of runs share one account: an empty balance would pause the queue, by design.
    credits: 1_000_000,
    // Callbacks delivered: KIE keeps trying long enough to reach the restarted app (which
    // listens on the same address, as behind a tunnel with a fixed domain).
    callbackRetries: 8,
    callbackBackoffMs: 100,
  });
  let lost = 0;
  let partial = 0;
  let duplicates = 0;
  let killed = 0;
  let unknownOutcome = 0;
  let recovered = 0;
  let paidUnrecovered = 0;
  try {
    for (let run = 0; run < runs; run += 1) {
      const result = await withTempDir((dataDir) =>
        runCrashTrial({ sim, dataDir, jobs: 4, maxKillAfterMs: 320, unknownGraceMs: 6_000 }),
      );
      if (result.integrity !== 'ok') lost += 1;
      lost += result.lost.length;
      partial += result.partial.length;
      duplicates += result.duplicates + result.repeatedCreates;
      unknownOutcome += result.unknownOutcomeJobs;
      recovered += result.unknownOutcomeRecovered;
      paidUnrecovered += result.paidUnrecovered;
      if (result.killed) killed += 1;
    }
  } finally {
    await sim.close();
  }
  return {
    'kill.runs': runs,
    'kill.killed': killed,
    'kill.lost': lost,
    'kill.partial': partial,
    'kill.duplicates': duplicates,
    'kill.unknown_outcome_jobs': unknownOutcome,
    'kill.unknown_outcome_recovered': recovered,
    'kill.paid_unrecovered': paidUnrecovered,
  };
}
