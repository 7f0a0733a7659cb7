/**
 * The process the crash test kills: a real core (SQLite, downloads, callback server) in Demo
 * mode against the test's simulator. With `submit > 0` it submits that many jobs; either way it
 * runs until every job is terminal, prints `DONE`, and exits. Lines on stdout are the protocol.
 */
import { TERMINAL_JOB_STATES, type Job } from '@shared/domain/job';
import { createCore } from '@core/createCore';
import { memorySecretStore, testPorts } from '@core/testing/memoryPorts';
import { submitPrompt } from '@core/testing/submitPrompt';
import { confStore, fakeEncryptedSecrets } from '../../../src/harness/ports';

interface ChildConfig {
  dataDir: string;
  apiBaseUrl: string;
  uploadBaseUrl: string;
  apiKey: string;
  prompts: string[];
  /** After every job is terminal, wait up to this long for unknown-outcome jobs to be recovered
   * by a late callback (the bench's "callbacks delivered" case). */
  unknownGraceMs?: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.CRASH_CHILD_CONFIG ?? '') as ChildConfig;
  const kie = { apiBaseUrl: config.apiBaseUrl, uploadBaseUrl: config.uploadBaseUrl, apiKey: config.apiKey };
  const settings = {
    demoMode: true,
    kieApiBaseUrl: config.apiBaseUrl,
    kieUploadBaseUrl: config.uploadBaseUrl,
  };
  const base = testPorts(config.dataDir, {
    secrets: memorySecretStore({ kieApiKey: config.apiKey }),
    demoKie: kie,
  });
  // As in the app, the settings (with the callback port) and the secrets (with the callback
  // token) are files in the data folder, so a restart listens where KIE's callbacks go.
  const store = confStore(config.dataDir);
  store.set('settings', { ...((store.get('settings') as object | undefined) ?? {}), ...settings });
  const ports = {
    ...base,
    store,
    secrets: fakeEncryptedSecrets(
      config.dataDir,
      { backend: 'keyring' },
      { kieApiKey: config.apiKey },
      base.log,
    ),
  };
  const core = await createCore(ports, {
    poll: { initialMs: 40, maxMs: 150, lateCallbackMs: 300, perSecond: 200, burst: 50 },
    download: { maxBytes: 5_000_000, idleMs: 1_000 },
    probeIntervalMs: 100,
    sweepDelayMs: 0,
  });
  // The test sends SIGTERM when a restart does not settle: say where every job is stuck.
  process.on('SIGTERM', () => {
    const lines = ports.logs.entries
      .slice(-60)
      .map((e) => `${e.time} ${e.level} [${e.scope}] ${e.message} ${JSON.stringify(e.fields ?? {})}`);
    console.error(lines.join('\n'));
    process.exit(3);
  });
  console.log('READY');
  for (const prompt of config.prompts) {
    console.log(`SUBMITTED ${(await submitPrompt(core, prompt)).id}`);
  }
  const graceEnds = Date.now() + (config.unknownGraceMs ?? 0);
  for (;;) {
    const listed = await core.dispatch('jobs.list', { limit: 500 }, { transport: 'test' });
    if (!listed.ok) throw new Error(listed.error.message);
    const jobs = listed.value as Job[];
    const settled = jobs.every((job) => TERMINAL_JOB_STATES.includes(job.state));
    const unknown = jobs.some((job) => job.state === 'unknown-outcome');
    if (settled && (!unknown || Date.now() >= graceEnds)) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await core.dispose();
  console.log('DONE');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
