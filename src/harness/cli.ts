import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultWebDataDir, startRememberedHarness } from './harnessState';

/**
 * `npm run web`: the app in a browser, without Electron. Demo mode (the built-in KIE simulator)
 * unless KIE_API_KEY is set, in which case requests go to the real KIE.
 *
 * The data folder is `--data <dir>`, else BANANA_DATA_DIR, else a fixed folder in the OS's
 * application data; its port and token are kept there, so a tab left open reconnects by itself
 * after a restart.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string' } }, allowPositionals: false });
  const apiKey = process.env['KIE_API_KEY']?.trim() || null;
  const port = Number(process.env['PORT'] ?? 0);
  const dataDir = resolve(values.data || process.env['BANANA_DATA_DIR'] || defaultWebDataDir());
  const { harness, movedFrom } = await startRememberedHarness({
    rendererDir: resolve(import.meta.dirname, '../../out/renderer'),
    dataDir,
    port: Number.isInteger(port) ? port : 0,
    secrets: apiKey ? { kieApiKey: apiKey } : {},
    initialSettings: { demoMode: apiKey === null },
  });
  console.log('');
  console.log(`  Banana Studio (web) is running${apiKey ? '' : ' in Demo mode'}.`);
  console.log(`  Open: ${harness.url}`);
  console.log(`  Data: ${harness.dataDir}`);
  if (movedFrom !== null) {
    console.log(
      `  Port ${movedFrom} is in use by another program, so this runs on ${new URL(harness.origin).port}: reopen the link above (open tabs cannot follow).`,
    );
  }
  console.log('  Press Ctrl+C to stop.');
  console.log('');
  const stop = (): void => {
    void harness.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
