import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempPathFor } from '../fs/atomic';
import { useTempDirs } from '../testing/tempDir';
import { sweepTempFiles } from './sweep';

describe('sweepTempFiles', () => {
  const tempDir = useTempDirs();

  it('removes temp files written before this process started, at any depth, and nothing else', async () => {
    const root = await tempDir();
    const folder = join(root, '2026', '11');
    await mkdir(folder, { recursive: true });
    const image = join(folder, 'a.png');
    await writeFile(image, 'image');
    const stale = tempPathFor(join(folder, 'b.png'));
    const fresh = tempPathFor(join(folder, 'c.png'));
    const lookalike = join(folder, '.notes.part');
    await Promise.all([writeFile(stale, 'x'), writeFile(fresh, 'y'), writeFile(lookalike, 'z')]);
    const startedAt = Date.now();
    await utimes(stale, new Date(startedAt - 5_000), new Date(startedAt - 5_000));
    await utimes(fresh, new Date(startedAt + 1_000), new Date(startedAt + 1_000));

    const removed = await sweepTempFiles(root, startedAt);

    expect(removed).toEqual([stale]);
    expect((await readdir(folder)).sort()).toEqual(['.notes.part', 'a.png', fresh.split('/').pop()].sort());
  });

  it('is a no-op for a library folder that does not exist yet', async () => {
    expect(await sweepTempFiles(join(await tempDir(), 'missing'), Date.now())).toEqual([]);
  });
});
