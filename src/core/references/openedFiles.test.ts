import { createHash } from 'node:crypto';
import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nothingOpened, REFERENCE_MAX_BYTES, type OpenedReferences } from '@shared/domain/reference';
import type { AnyEvent } from '@shared/ipc/contract';
import type { Core } from '../core';
import { createCore } from '../createCore';
import { embedMetadata } from '../gallery/metadata';
import { sampleMetadata } from '../gallery/metadata/testMetadata';
import { testPorts } from '../testing/memoryPorts';
import { useTempDirs } from '../testing/tempDir';

/**
 * "Open with → Banana Studio": real files in a temp folder, checked by the real core (real
 * sharp), pending until the renderer takes them.
 */
let png: Buffer;
let jpeg: Buffer;
let webp: Buffer;
let cutPng: Buffer;
beforeAll(async () => {
  const base = sharp({ create: { width: 64, height: 48, channels: 3, background: '#cc6633' } });
  [png, jpeg, webp] = await Promise.all([
    base.clone().png().toBuffer(),
    base.clone().jpeg().toBuffer(),
    base.clone().webp().toBuffer(),
  ]);
  // Noise, so the image data is long enough to cut in the middle.
  const whole = await sharp(
    Buffer.from(Array.from({ length: 200 * 200 * 3 }, (_, index) => (index * 7919) % 251)),
    { raw: { width: 200, height: 200, channels: 3 } },
  )
    .png()
    .toBuffer();
  cutPng = whole.subarray(0, Math.floor(whole.length * 0.6));
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const idOf = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex').slice(0, 32);

describe('files opened with the app', () => {
  const tempDir = useTempDirs();

  async function rig(settings: Record<string, unknown> = {}) {
    const dataDir = await tempDir();
    const files = await tempDir();
    const ports = testPorts(dataDir, { settings: { language: 'en', ...settings } });
    const core: Core = await createCore(ports, { libraryScanDelayMs: 60_000, sweepDelayMs: 60_000 });
    cleanups.push(() => core.dispose());
    const events: AnyEvent[] = [];
    core.onEvent((event) => events.push(event));
    const write = async (name: string, bytes: Buffer): Promise<string> => {
      const path = join(files, name);
      await writeFile(path, bytes);
      return path;
    };
    const take = async (): Promise<OpenedReferences> => {
      const result = await core.dispatch('references.takeOpened', {}, { transport: 'test' });
      if (!result.ok) throw new Error(result.error.message);
      return result.value as OpenedReferences;
    };
    return { core, events, files, write, take, logs: ports.logs };
  }

  it('hands over the settings of an image Banana Studio made, for "Reuse its settings"', async () => {
    const { core, write } = await rig();
    const meta = sampleMetadata({ prompt: 'a red fox in the snow', model: 'nano-banana-2' });
    const ours = embedMetadata(png, meta);
    const outcome = await core.openFiles([await write('fox.png', ours), await write('plain.jpg', jpeg)]);
    expect(outcome.references.map((item) => item.name)).toEqual(['fox.png', 'plain.jpg']);
    expect(outcome.madeHere).toEqual([{ referenceId: idOf(ours), metadata: meta }]);
  });

  it('stages PNG, JPEG and WebP in the order opened, and keeps them until taken, once', async () => {
    const { core, events, write, take, logs } = await rig();
    const paths = [await write('cat.png', png), await write('dog.jpg', jpeg), await write('bird.webp', webp)];

    const outcome = await core.openFiles(paths);
    expect(outcome.problems).toEqual([]);
    expect(outcome.references.map((item) => [item.name, item.format, item.width, item.height])).toEqual([
      ['cat.png', 'png', 64, 48],
      ['dog.jpg', 'jpeg', 64, 48],
      ['bird.webp', 'webp', 64, 48],
    ]);
    expect(outcome.references.map((item) => item.id)).toEqual([idOf(png), idOf(jpeg), idOf(webp)]);
    // The staged copy is served like a dropped file's.
    const served = await core.resolveGalleryFile('ref', idOf(jpeg));
    expect(served?.mimeType).toBe('image/jpeg');
    expect(await readFile(served?.filePath ?? '')).toEqual(jpeg);
    await served?.handle.close();

    // A running renderer is told to come and take them.
    expect(events.filter((event) => event.name === 'references.opened')).toEqual([
      { name: 'references.opened', payload: { count: 3 } },
    ]);
    const taken = await take();
    expect(taken).toEqual(outcome);
    expect(await take()).toEqual(nothingOpened());

    expect(taken.madeHere).toEqual([]);

    const opened = logs.entries.filter((entry) => entry.message.startsWith('Opened file'));
    expect(opened.map((entry) => [entry.message, entry.fields?.['name']])).toEqual([
      ['Opened file staged', 'cat.png'],
      ['Opened file staged', 'dog.jpg'],
      ['Opened file staged', 'bird.webp'],
    ]);
  });

  it('gives each bad file its own message, by name, and stages the good ones around it', async () => {
    const { core, files, write, take, logs } = await rig();
    const folder = join(files, 'holiday');
    await mkdir(folder);
    const huge = await write(
      'huge.png',
      Buffer.concat([png, Buffer.alloc(REFERENCE_MAX_BYTES + 1 - png.length)]),
    );
    const paths = [
      await write('notes.png', Buffer.from('just some notes\n')),
      await write('first.png', png),
      folder,
      join(files, 'gone.png'),
      huge,
      await write('broken.png', cutPng),
      await write('empty.png', Buffer.alloc(0)),
      'relative/cat.png',
      await write('last.webp', webp),
    ];

    await core.openFiles(paths);
    const { references, problems } = await take();
    expect(references.map((item) => item.name)).toEqual(['first.png', 'last.webp']);
    expect(problems).toEqual([
      { name: 'notes.png', problem: 'type', message: '“notes.png” is not a PNG, JPEG or WebP image.' },
      {
        name: 'holiday',
        problem: 'folder',
        message: '“holiday” is a folder, not an image. Open the images inside it instead.',
      },
      {
        name: 'gone.png',
        problem: 'missing',
        message: '“gone.png” was not found. It may have been moved, renamed or deleted.',
      },
      {
        name: 'huge.png',
        problem: 'size',
        message: '“huge.png” is 30.1 MB; reference images can be at most 30 MB.',
      },
      {
        name: 'broken.png',
        problem: 'damaged',
        message: '“broken.png” could not be read: the image is damaged or incomplete.',
      },
      { name: 'empty.png', problem: 'empty', message: '“empty.png” is empty.' },
      {
        name: 'cat.png',
        problem: 'missing',
        message: '“cat.png” was not found. It may have been moved, renamed or deleted.',
      },
    ]);
    const refused = logs.entries.filter((entry) => entry.message === 'Opened file refused');
    expect(refused.map((entry) => [entry.fields?.['name'], entry.fields?.['problem']])).toEqual([
      ['notes.png', 'type'],
      ['holiday', 'folder'],
      ['gone.png', 'missing'],
      ['huge.png', 'size'],
      ['broken.png', 'damaged'],
      ['empty.png', 'empty'],
      ['cat.png', 'missing'],
    ]);
  });

  it('refuses a file over the limit by its size, without reading it', async () => {
    const { core, write, take } = await rig();
    // 5 GB, sparse: reading it whole would fail (over Node's Buffer limit) as "could not be opened".
    const path = await write('enormous.png', png);
    await truncate(path, 5 * 1024 ** 3);
    await core.openFiles([path]);
    expect((await take()).problems).toEqual([
      {
        name: 'enormous.png',
        problem: 'size',
        message: '“enormous.png” is 5120 MB; reference images can be at most 30 MB.',
      },
    ]);
  });

  it('keeps what was opened before anyone listens, adds later files after it, and speaks the user’s language', async () => {
    const { core, write, take, events } = await rig({ language: 'zh-CN' });
    const first = core.openFiles([await write('a.png', png)]);
    const second = core.openFiles([await write('b.txt', Buffer.from('hello')), await write('c.jpg', jpeg)]);
    await Promise.all([first, second]);
    expect(
      events.filter((event) => event.name === 'references.opened').map((event) => event.payload),
    ).toEqual([{ count: 1 }, { count: 3 }]);
    const taken = await take();
    expect(taken.references.map((item) => item.name)).toEqual(['a.png', 'c.jpg']);
    expect(taken.problems).toEqual([
      { name: 'b.txt', problem: 'type', message: '“b.txt”不是 PNG、JPEG 或 WebP 图片。' },
    ]);
    expect(await take()).toEqual(nothingOpened());
  });

  it('says nothing for an empty list', async () => {
    const { core, events, take } = await rig();
    expect(await core.openFiles([])).toEqual(nothingOpened());
    expect(events.filter((event) => event.name === 'references.opened')).toEqual([]);
    expect(await take()).toEqual(nothingOpened());
  });
});
