/**
 * One crash trial: a child process runs the real core against the simulator, is SIGKILLed at a
 * random moment, and is started again on the same data folder until every job is terminal.
 * Then the folder is audited against what the simulator (KIE) actually did.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { TEMP_FILE_PATTERN } from '@core/fs/atomic';
import type { KieSimulator } from '@core/kie/simulator';
import { bundleNodeEntry } from '../../support/bundleNodeEntry';

const ROOT = resolve(import.meta.dirname, '../../..');

let bundled: Promise<string> | null = null;

/** Bundles the child once per process: a plain `node` start is ~10× faster than a TS loader. */
export function buildCrashChild(): Promise<string> {
  bundled ??= bundleNodeEntry('tests/reliability/crash/child.ts', 'crash-child');
  return bundled;
}

export interface TrialOptions {
  sim: KieSimulator;
  dataDir: string;
  jobs: number;
  /** Kill this long after the child reported its first submitted job (random when omitted). */
  killAfterMs?: number;
  maxKillAfterMs?: number;
  /** Per child process; the trial fails when a restart does not settle in time. */
  timeoutMs?: number;
  /** How long the restarted app waits for late callbacks to recover unknown-outcome jobs. */
  unknownGraceMs?: number;
}

export interface TrialResult {
  killed: boolean;
  killAfterMs: number;
  /** Tasks the simulator created for this trial (what the user may be charged for). */
  tasks: number;
  /** Finished tasks whose images are not all in the library exactly once. */
  lost: string[];
  /** Files or rows beyond one per result. */
  duplicates: number;
  /** Temp files left after the restart. */
  partial: string[];
  /** Tasks created but never recorded by the app: they must show up as unknown-outcome jobs. */
  unrecordedTasks: number;
  unknownOutcomeJobs: number;
  /** Jobs whose task id was not recorded when the app died (their outcome unknown at restart)
   * that ended delivered anyway, their task found again (KIE's callback names the job). */
  unknownOutcomeRecovered: number;
  /** Tasks KIE finished (and charged) whose images are not all in the library at the end. */
  paidUnrecovered: number;
  /** createTask requests for one job's prompt beyond the first. */
  repeatedCreates: number;
  integrity: string;
  jobStates: Record<string, number>;
}

interface ChildRun {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

function runChild(
  script: string,
  config: object,
  timeoutMs: number,
  killAfterFirstSubmitMs: number | null,
): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd: ROOT,
      env: { ...process.env, CRASH_CHILD_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | null = null;
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (killAfterFirstSubmitMs !== null && killTimer === null && stdout.includes('SUBMITTED')) {
        killTimer = setTimeout(() => child.kill('SIGKILL'), killAfterFirstSubmitMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      if (killTimer) clearTimeout(killTimer);
      if (timedOut)
        reject(new Error(`crash child did not settle within ${timeoutMs} ms\n${stdout}\n${stderr}`));
      else resolvePromise({ stdout, stderr, code, signal });
    });
  });
}

export async function runCrashTrial(options: TrialOptions): Promise<TrialResult> {
  const script = await buildCrashChild();
  const { sim, dataDir } = options;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const killAfterMs = options.killAfterMs ?? Math.floor(Math.random() * (options.maxKillAfterMs ?? 700));
  const nonce = randomBytes(4).toString('hex');
  const prompts = Array.from({ length: options.jobs }, (_, i) => `crash ${nonce} job ${i}`);
  const base = { dataDir, apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey };
  await mkdir(dataDir, { recursive: true });

  const first = await runChild(script, { ...base, prompts }, timeoutMs, killAfterMs);
  const killed = first.signal === 'SIGKILL';
  if (!killed && first.code !== 0) throw new Error(`crash child failed:\n${first.stderr}`);
  const unknownAtRestart = jobsWithoutTask(dataDir);
  const second = await runChild(
    script,
    { ...base, prompts: [], unknownGraceMs: options.unknownGraceMs ?? 0 },
    timeoutMs,
    null,
  );
  if (second.code !== 0 || !second.stdout.includes('DONE')) {
    throw new Error(`restarted child failed (${second.code}):\n${second.stderr}`);
  }

  const tasks = [...sim.tasks.values()].filter((task) => task.prompt.startsWith(`crash ${nonce} `));
  await Promise.all(tasks.map((task) => sim.whenSettled(task.taskId)));
  return audit(dataDir, tasks, prompts, unknownAtRestart, { killed, killAfterMs });
}

/** Jobs that may have a task at KIE the app never wrote down: what a restart finds unknown. */
function jobsWithoutTask(dataDir: string): Set<string> {
  if (!existsSync(join(dataDir, 'library.db'))) return new Set();
  const db = new DatabaseSync(join(dataDir, 'library.db'), { readOnly: true });
  try {
    const rows = db
      .prepare("SELECT id FROM jobs WHERE kie_task_id IS NULL AND state IN ('submitting', 'unknown-outcome')")
      .all() as { id: string }[];
    return new Set(rows.map((row) => row.id));
  } catch {
    // Killed before the schema was written: no job can be waiting on a task.
    return new Set();
  } finally {
    db.close();
  }
}

type SimTask = KieSimulator['tasks'] extends ReadonlyMap<string, infer T> ? T : never;

async function audit(
  dataDir: string,
  tasks: SimTask[],
  prompts: string[],
  unknownAtRestart: ReadonlySet<string>,
  run: { killed: boolean; killAfterMs: number },
): Promise<TrialResult> {
  const db = new DatabaseSync(join(dataDir, 'library.db'), { readOnly: true });
  try {
    const integrity = (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string })
      .integrity_check;
    const jobs = db.prepare('SELECT id, state, kie_task_id FROM jobs').all() as {
      id: string;
      state: string;
      kie_task_id: string | null;
    }[];
    const images = db.prepare('SELECT id, kie_task_id, result_index, rel_path FROM images').all() as {
      id: string;
      kie_task_id: string | null;
      result_index: number;
      rel_path: string;
    }[];
    const libraryRoot = join(dataDir, 'library');
    const files = existsSync(libraryRoot)
      ? (await readdir(libraryRoot, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
      : [];
    const partial = files.filter((file) => TEMP_FILE_PATTERN.test(file.name)).map((file) => file.name);
    const imageFiles = files.filter((file) => !TEMP_FILE_PATTERN.test(file.name));

    const recorded = new Set(jobs.map((job) => job.kie_task_id).filter((id): id is string => id !== null));
    let paidUnrecovered = 0;
    for (const task of tasks) {
      if (task.state !== 'success') continue;
      const saved = task.resultUrls.every((_, index) =>
        images.some(
          (row) =>
            row.kie_task_id === task.taskId &&
            row.result_index === index &&
            existsSync(join(libraryRoot, row.rel_path)),
        ),
      );
      if (!saved) paidUnrecovered += 1;
    }
    const unknownOutcomeRecovered = jobs.filter(
      (job) => unknownAtRestart.has(job.id) && job.state === 'done' && job.kie_task_id !== null,
    ).length;
    const lost: string[] = [];
    for (const task of tasks) {
      if (task.state !== 'success' || !recorded.has(task.taskId)) continue;
      for (let index = 0; index < task.resultUrls.length; index += 1) {
        const rows = images.filter((row) => row.kie_task_id === task.taskId && row.result_index === index);
        const row = rows[0];
        const onDisk = row ? existsSync(join(libraryRoot, row.rel_path)) : false;
        if (rows.length !== 1 || !onDisk) lost.push(`${task.taskId}#${index}`);
      }
    }
    const unrecordedTasks = tasks.filter((task) => !recorded.has(task.taskId)).length;
    const unknownOutcomeJobs = jobs.filter(
      (job) => job.state === 'unknown-outcome' && job.kie_task_id === null,
    ).length;
    // A created task the app never recorded is only acceptable when the user was told about it.
    for (let i = unknownOutcomeJobs; i < unrecordedTasks; i += 1) lost.push('unrecorded task');
    const perPrompt = new Map<string, number>();
    for (const task of tasks) perPrompt.set(task.prompt, (perPrompt.get(task.prompt) ?? 0) + 1);
    const repeatedCreates = prompts.reduce((sum, p) => sum + Math.max(0, (perPrompt.get(p) ?? 0) - 1), 0);
    const jobStates: Record<string, number> = {};
    for (const job of jobs) jobStates[job.state] = (jobStates[job.state] ?? 0) + 1;
    return {
      ...run,
      tasks: tasks.length,
      lost,
      duplicates: Math.max(0, imageFiles.length - images.length) + countDuplicateRows(images),
      partial,
      unrecordedTasks,
      unknownOutcomeJobs,
      unknownOutcomeRecovered,
      paidUnrecovered,
      repeatedCreates,
      integrity,
      jobStates,
    };
  } finally {
    db.close();
  }
}

function countDuplicateRows(images: { kie_task_id: string | null; result_index: number }[]): number {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const row of images) {
    if (row.kie_task_id === null) continue;
    const key = `${row.kie_task_id}#${row.result_index}`;
    if (seen.has(key)) duplicates += 1;
    seen.add(key);
  }
  return duplicates;
}
