import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { commitTempFile, tempPathFor } from '@core/fs/atomic';
import { startHarness, type Harness, type HarnessOptions } from './server';

/** Per data folder: the port and token the last `npm run web` used, so an open tab finds it again. */
export const HARNESS_STATE_FILE = 'harness.json';

const harnessStateSchema = z
  .object({
    version: z.literal(1),
    port: z.number().int().min(1).max(65_535),
    token: z.string().regex(/^[0-9a-f]{32}$/),
  })
  .strict();
export type HarnessState = z.infer<typeof harnessStateSchema>;

/**
 * Where `npm run web` keeps its data when no folder is given: the OS's application-data folder,
 * the same rule Electron uses for the desktop app's userData, under its own name, so the two
 * never run one job queue from two processes.
 */
export function defaultWebDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  const name = 'Banana Studio (web)';
  if (platform === 'win32') return join(env['APPDATA'] || join(home, 'AppData', 'Roaming'), name);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', name);
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), name);
}

/** The saved port and token, or null when there are none or the file is not ours (then a new pair). */
export async function readHarnessState(dataDir: string): Promise<HarnessState | null> {
  let text: string;
  try {
    text = await readFile(join(dataDir, HARNESS_STATE_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = harnessStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Saves the pair atomically, readable by this user only: the token opens the whole app. */
export async function writeHarnessState(dataDir: string, state: HarnessState): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const finalPath = join(dataDir, HARNESS_STATE_FILE);
  const temp = tempPathFor(finalPath);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(harnessStateSchema.parse(state), null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await commitTempFile(temp, finalPath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export function newHarnessToken(): string {
  return randomBytes(16).toString('hex');
}

export interface RememberedHarness {
  harness: Harness;
  /** The saved port was taken, so this one is new: an open tab must be reopened with `harness.url`. */
  movedFrom: number | null;
}

/**
 * Starts the harness on `dataDir` with the port and token it had last time, so a tab left open
 * reconnects by itself; a port someone else took meanwhile falls back to a free one. An explicit
 * `port` wins over the saved one. What was used is saved for the next start.
 */
export async function startRememberedHarness(
  options: Omit<HarnessOptions, 'dataDir' | 'token' | 'portFallback'> & { dataDir: string },
): Promise<RememberedHarness> {
  const saved = await readHarnessState(options.dataDir);
  const wantedPort = options.port || saved?.port || 0;
  const harness = await startHarness({
    ...options,
    port: wantedPort,
    token: saved?.token ?? newHarnessToken(),
    portFallback: !options.port,
  });
  const port = Number(new URL(harness.origin).port);
  try {
    await writeHarnessState(options.dataDir, { version: 1, port, token: harness.token });
  } catch (error) {
    await harness.close();
    throw error;
  }
  return { harness, movedFrom: wantedPort !== 0 && wantedPort !== port ? wantedPort : null };
}
