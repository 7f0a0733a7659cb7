import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Bundles a TypeScript entry (with the @core/@shared aliases) into one ESM file that a plain
 * `node` starts in a fraction of a TS loader's time, for child processes of tests and benches.
 * The file goes inside node_modules so its bare imports (sharp, zod…) resolve as in the app.
 * Returns its path.
 */
export async function bundleNodeEntry(entry: string, name: string): Promise<string> {
  const outfile = join(ROOT, 'node_modules', '.cache', 'banana-studio', `${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    alias: { '@shared': join(ROOT, 'src/shared'), '@core': join(ROOT, 'src/core') },
    logLevel: 'silent',
  });
  return outfile;
}
