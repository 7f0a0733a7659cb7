import { resolve } from 'node:path';
import { startHarness } from './server';

/**
 * `npm run web`: the app in a browser, without Electron. Demo mode (the built-in KIE simulator)
 * unless KIE_API_KEY is set, in which case requests go to the real KIE.
 */
async function main(): Promise<void> {
  const apiKey = process.env['KIE_API_KEY']?.trim() || null;
  const port = Number(process.env['PORT'] ?? 0);
  const harness = await startHarness({
    rendererDir: resolve(import.meta.dirname, '../../out/renderer'),
    dataDir: process.env['BANANA_DATA_DIR'] || undefined,
    port: Number.isInteger(port) ? port : 0,
    secrets: apiKey ? { kieApiKey: apiKey } : {},
    initialSettings: { demoMode: apiKey === null },
  });
  console.log('');
  console.log(`  Banana Studio (web) is running${apiKey ? '' : ' in Demo mode'}.`);
  console.log(`  Open: ${harness.url}`);
  console.log(`  Data: ${harness.dataDir}`);
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
