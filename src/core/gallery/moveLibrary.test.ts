import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/tempDir';
import { moveLibrary } from './moveLibrary';

describe('moveLibrary', () => {
  const tempDir = useTempDirs();

  async function library(): Promise<string> {
    const root = join(await tempDir(), 'Banana Studio');
    await mkdir(join(root, '2026', '11'), { recursive: true });
    await mkdir(join(root, '.trash'), { recursive: true });
    await writeFile(join(root, '2026', '11', 'a.png'), 'aaa');
    await writeFile(join(root, '2026', '11', 'b.png'), 'bbbb');
    await writeFile(join(root, '.trash', 'c.png'), 'c');
    await writeFile(join(root, '2026', '11', '.b.png.0123456789ab.part'), 'half');
    return root;
  }

  it('renames the whole folder in one step on the same drive', async () => {
    const from = await library();
    const to = join(await tempDir(), 'nested', 'Library');
    const report = await moveLibrary(from, to);
    expect(report).toMatchObject({ renamed: true, files: 4 });
    expect(existsSync(from)).toBe(false);
    expect(await readFile(join(to, '2026', '11', 'a.png'), 'utf8')).toBe('aaa');
    expect(await readFile(join(to, '.trash', 'c.png'), 'utf8')).toBe('c');
  });

  it('copies, checks, then removes the originals when a rename is not possible', async () => {
    const from = await library();
    const to = await tempDir();
    // A hidden file makes the target non-empty, which rules out the rename path.
    await writeFile(join(to, '.DS_Store'), '');
    const report = await moveLibrary(from, to);
    expect(report).toEqual({ renamed: false, files: 3, bytes: 8 });
    expect(await readFile(join(to, '2026', '11', 'b.png'), 'utf8')).toBe('bbbb');
    expect(existsSync(join(to, '2026', '11', '.b.png.0123456789ab.part'))).toBe(false);
    // Only the temp file was left behind, and the old folders are gone where empty.
    expect(await readdir(from, { recursive: true })).toEqual([
      '2026',
      '2026/11',
      '2026/11/.b.png.0123456789ab.part',
    ]);
  });

  it.each([
    ['a folder inside the library', (from: string) => join(from, 'sub')],
    ['the library itself', (from: string) => from],
    ['a parent of the library', (from: string) => join(from, '..')],
  ])('refuses %s and changes nothing', async (_name, pick) => {
    const from = await library();
    await expect(moveLibrary(from, pick(from))).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await readFile(join(from, '2026', '11', 'a.png'), 'utf8')).toBe('aaa');
  });

  it('refuses a folder that already holds files', async () => {
    const from = await library();
    const to = await tempDir();
    await writeFile(join(to, 'holiday.jpg'), 'x');
    await expect(moveLibrary(from, to)).rejects.toThrow('empty folder');
    expect(existsSync(join(from, '2026', '11', 'a.png'))).toBe(true);
  });

  it('refuses a relative path', async () => {
    await expect(moveLibrary(await library(), 'relative/dir')).rejects.toThrow('full folder path');
  });

  it('just creates the target when there is no library yet', async () => {
    const to = join(await tempDir(), 'fresh');
    expect(await moveLibrary(join(await tempDir(), 'none'), to)).toEqual({
      files: 0,
      bytes: 0,
      renamed: false,
    });
    expect(existsSync(to)).toBe(true);
  });
});
