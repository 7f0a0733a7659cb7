import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/tempDir';
import { resolveGalleryFile, type GalleryResolverDeps } from './resolve';

const id = (n: number) => `ab${n.toString(16).padStart(30, '0')}`;
const GOOD = id(1);

describe('resolveGalleryFile', () => {
  const tempDir = useTempDirs();
  let base = '';
  let deps: GalleryResolverDeps;
  /** What a (possibly tampered) index says each id's file is. */
  let index: Map<string, string>;
  let thumbs: Map<string, string>;

  beforeEach(async () => {
    base = await tempDir();
    const library = join(base, 'library');
    const thumbsRoot = join(base, 'thumbs');
    const outside = join(base, 'outside');
    await Promise.all([
      mkdir(join(library, '2026', '11'), { recursive: true }),
      mkdir(join(thumbsRoot, 'ab'), { recursive: true }),
      mkdir(outside, { recursive: true }),
    ]);
    await writeFile(join(library, '2026', '11', 'good.png'), 'png bytes');
    await writeFile(join(library, 'notes.txt'), 'not an image');
    await mkdir(join(library, 'folder.png'));
    await writeFile(join(outside, 'secret.png'), 'secret');
    await writeFile(join(thumbsRoot, 'ab', `${GOOD}.webp`), 'thumb');
    await symlink(join(outside, 'secret.png'), join(library, 'escape.png'));
    await symlink(join(library, 'notes.txt'), join(library, 'disguised.png'));
    await symlink(join(outside, 'secret.png'), join(thumbsRoot, 'ab', `${id(2)}.webp`));
    index = new Map([
      [GOOD, '2026/11/good.png'],
      [id(2), '2026/11/good.png'],
      [id(10), '../outside/secret.png'],
      [id(11), join(outside, 'secret.png')],
      [id(12), 'C:/Windows/secret.png'],
      [id(13), '2026\\..\\..\\outside\\secret.png'],
      [id(14), 'escape.png'],
      [id(15), 'disguised.png'],
      [id(16), 'notes.txt'],
      [id(17), 'folder.png'],
      [id(18), '2026/11/good.png\0.txt'],
      [id(19), '2026/./11/good.png'],
      [id(20), ''],
      [id(21), '2026/11/missing.png'],
    ]);
    thumbs = new Map([
      [GOOD, join(thumbsRoot, 'ab', `${GOOD}.webp`)],
      [id(2), join(thumbsRoot, 'ab', `${id(2)}.webp`)],
    ]);
    deps = {
      relPathOf: (imageId) => index.get(imageId) ?? null,
      libraryRoot: () => library,
      thumbPathOf: async (imageId) => thumbs.get(imageId) ?? null,
      thumbsRoot: () => thumbsRoot,
    };
  });

  it('serves a known image and its thumbnail', async () => {
    expect(await resolveGalleryFile('image', GOOD, deps)).toMatchObject({
      filePath: join(base, 'library', '2026', '11', 'good.png'),
      mimeType: 'image/png',
      size: 9,
    });
    expect(await resolveGalleryFile('thumb', GOOD, deps)).toMatchObject({ mimeType: 'image/webp', size: 5 });
  });

  const hostile: [string, string, string][] = [
    ['dot-dot traversal', 'image', '../../etc/passwd'],
    ['encoded slashes', 'image', '..%2f..%2fetc%2fpasswd'],
    ['encoded dots and slashes', 'image', '%2e%2e%2f%2e%2e%2foutside%2fsecret.png'],
    ['double-encoded traversal', 'image', '%252e%252e%252foutside%252fsecret.png'],
    ['backslash traversal', 'image', '..\\..\\outside\\secret.png'],
    ['encoded backslashes', 'image', '..%5c..%5coutside%5csecret.png'],
    ['absolute POSIX path', 'image', '/etc/passwd'],
    ['absolute Windows path', 'image', 'C:\\Windows\\win.ini'],
    ['encoded Windows path', 'image', 'C%3A%5CWindows%5Cwin.ini'],
    ['UNC path', 'image', '\\\\server\\share\\secret.png'],
    ['encoded UNC path', 'image', '%5c%5cserver%5cshare%5csecret.png'],
    ['NUL byte after a valid id', 'image', `${GOOD}%00.png`],
    ['raw NUL byte', 'image', `${GOOD}\0`],
    ['unknown id', 'image', id(999)],
    ['upper-case id', 'image', GOOD.toUpperCase()],
    ['trailing slash', 'image', `${GOOD}/`],
    ['id with an extension', 'image', `${GOOD}.png`],
    ['unknown asset kind', 'etc', GOOD],
    ['traversal in the asset kind', '../image', GOOD],
    ['index path escaping with ..', 'image', id(10)],
    ['index path that is absolute', 'image', id(11)],
    ['index path with a drive letter', 'image', id(12)],
    ['index path with backslashes', 'image', id(13)],
    ['symlink out of the library', 'image', id(14)],
    ['.png symlink to a text file', 'image', id(15)],
    ['wrong extension', 'image', id(16)],
    ['a folder named like an image', 'image', id(17)],
    ['NUL inside the index path', 'image', id(18)],
    ['dot segment in the index path', 'image', id(19)],
    ['empty index path', 'image', id(20)],
    ['file gone from disk', 'image', id(21)],
    ['thumbnail symlinked out of the thumbs folder', 'thumb', id(2)],
    ['thumbnail of an unknown image', 'thumb', id(998)],
  ];

  it.each(hostile)('refuses %s', async (_name, asset, rawId) => {
    expect(await resolveGalleryFile(asset, rawId, deps)).toBeNull();
  });

  it('has at least 20 hostile cases, none of which reaches outside the roots', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(20);
  });
});
