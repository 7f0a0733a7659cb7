import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh temp folder per test, removed afterwards. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    // Retries: a core disposed by a later hook may still be finishing a background write.
    await Promise.all(
      made.splice(0).map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 })),
    );
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'banana-test-'));
    made.push(dir);
    return dir;
  };
}
