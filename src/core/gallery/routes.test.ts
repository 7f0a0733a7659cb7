import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GalleryImage } from '@shared/domain/image';
import type { AnyEvent, RouteName, RouteOutput } from '@shared/ipc/contract';
import type { Core } from '../core';
import { createCore } from '../createCore';
import { startKieSimulator, type KieSimulator } from '../kie/simulator';
import { memorySecretStore, testPorts } from '../testing/memoryPorts';

/**
 * The gallery routes through the real core: images delivered by the simulator, then browsed,
 * organised, trashed, restored, purged and exported, with the files on disk checked each time.
 */
const cleanups: (() => Promise<void>)[] = [];

async function call2<R extends RouteName>(core: Core, route: R, input: unknown): Promise<RouteOutput<R>> {
  const result = await core.dispatch(route, input, { transport: 'test' });
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  return result.value as RouteOutput<R>;
}
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Removed after the cores are disposed (cleanups run last-in, first-out). */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'banana-routes-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('gallery routes', () => {
  async function setup(prompts: string[]) {
    const sim: KieSimulator = await startKieSimulator({
      timings: { waitingMs: 20, queuingMs: 20, generatingMs: 40 },
      maxImageSide: 256,
    });
    const dataDir = await tempDir();
    cleanups.push(() => sim.close());
    const ports = testPorts(dataDir, {
      secrets: memorySecretStore({ kieApiKey: sim.apiKey }),
      demoKie: { apiBaseUrl: sim.apiBaseUrl, uploadBaseUrl: sim.uploadBaseUrl, apiKey: sim.apiKey },
      settings: { demoMode: true },
    });
    const core: Core = await createCore(ports, {
      poll: { initialMs: 30, maxMs: 100, lateCallbackMs: 200, perSecond: 200, burst: 50 },
      libraryScanDelayMs: 60_000,
    });
    cleanups.push(() => core.dispose());
    const events: AnyEvent[] = [];
    core.onEvent((event) => events.push(event));
    const call = <R extends RouteName>(route: R, input: unknown) => call2(core, route, input);
    for (const prompt of prompts) {
      await call('jobs.submit', {
        model: 'google/nano-banana',
        prompt,
        aspectRatio: '1:1',
        outputFormat: 'png',
        resolution: null,
      });
    }
    const deadline = Date.now() + 10_000;
    while (events.filter((e) => e.name === 'gallery.added').length < prompts.length) {
      if (Date.now() > deadline) throw new Error('images did not arrive');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const images = (await call('gallery.query', { query: {}, cursor: null, limit: 50 })).items;
    const library = join(dataDir, 'library');
    const files = async () =>
      (await readdir(library, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile() && !entry.parentPath.includes('.trash'))
        .map((entry) => entry.name);
    return { core, call, events, images, dataDir, library, ports, files };
  }

  const byPrompt = (images: GalleryImage[], prompt: string): GalleryImage => {
    const image = images.find((item) => item.params.prompt === prompt);
    if (!image) throw new Error(`no image for ${prompt}`);
    return image;
  };

  it('searches, filters and organises, pushing each change', async () => {
    const { call, images, events } = await setup(['a red fox', 'a blue whale', '一只香蕉猫']);
    expect(images).toHaveLength(3);
    expect(images[0]).toMatchObject({ status: 'ok', favourite: false, rating: 0, origin: 'generated' });
    expect(images[0]?.thumbUrl).toMatch(/^test:\/\/thumb\//);

    expect(
      (await call('gallery.query', { query: { text: 'fox' }, cursor: null, limit: 10 })).items,
    ).toHaveLength(1);
    expect(
      (await call('gallery.query', { query: { text: '香蕉' }, cursor: null, limit: 10 })).items,
    ).toHaveLength(1);

    const whale = byPrompt(images, 'a blue whale');
    expect(await call('gallery.setFavourite', { ids: [whale.id], favourite: true })).toEqual({ count: 1 });
    const pushed = events.filter((e) => e.name === 'gallery.changed').at(-1)?.payload as {
      images: GalleryImage[];
    };
    expect(pushed.images[0]).toMatchObject({ id: whale.id, favourite: true });
    const favourites = await call('gallery.query', {
      query: { favouritesOnly: true },
      cursor: null,
      limit: 10,
    });
    expect(favourites.items.map((item) => item.id)).toEqual([whale.id]);

    await call('gallery.setRating', { ids: [whale.id], rating: 4 });
    await call('gallery.tag', { ids: [whale.id], add: ['ocean'], remove: [] });
    const album = await call('albums.create', { name: 'Sea' });
    await call('albums.add', { albumId: album.id, ids: [whale.id] });
    expect(
      (await call('gallery.query', { query: { text: 'ocean' }, cursor: null, limit: 10 })).items,
    ).toHaveLength(1);
    expect(
      (await call('gallery.query', { query: { albumId: album.id }, cursor: null, limit: 10 })).items,
    ).toHaveLength(1);
    const detail = await call('gallery.detail', { id: whale.id });
    expect(detail).toMatchObject({ tags: ['ocean'], albums: [{ id: album.id, name: 'Sea' }] });
    expect(detail.image.rating).toBe(4);
    expect(existsSync(detail.filePath)).toBe(true);
    expect(events.some((e) => e.name === 'albums.changed')).toBe(true);
  });

  it('trash moves the file aside, restore brings it back, purge hands it to the OS trash', async () => {
    const { call, images, files, dataDir, events, ports } = await setup(['keep me', 'delete me']);
    const doomed = byPrompt(images, 'delete me');
    expect(await files()).toHaveLength(2);

    expect(await call('gallery.trash', { ids: [doomed.id] })).toEqual({ count: 1 });
    expect(await files()).toHaveLength(1);
    expect((await call('gallery.query', { query: {}, cursor: null, limit: 10 })).items).toHaveLength(1);
    const trash = await call('gallery.trashList', { limit: 10 });
    expect(trash.total).toBe(1);
    expect(Date.parse(trash.items[0]?.purgeAt ?? '') - Date.parse(trash.items[0]?.trashedAt ?? '')).toBe(
      30 * 24 * 3600 * 1000,
    );
    const removal = events.filter((e) => e.name === 'gallery.changed').at(-1)?.payload as {
      removedIds: string[];
    };
    expect(removal.removedIds).toEqual([doomed.id]);

    expect(await call('gallery.restore', { ids: [doomed.id] })).toEqual({ count: 1 });
    expect(await files()).toHaveLength(2);
    expect((await call('gallery.trashList', { limit: 10 })).total).toBe(0);

    await call('gallery.trash', { ids: [doomed.id] });
    // If the OS refuses the file, the image stays in Recently deleted rather than vanishing.
    const shell = ports.shell;
    const trashItem = shell.trashItem;
    shell.trashItem = async () => {
      throw new Error('Permission denied');
    };
    expect(await call('gallery.purge', { ids: [doomed.id] })).toEqual({ count: 0 });
    expect((await call('gallery.trashList', { limit: 10 })).total).toBe(1);
    shell.trashItem = trashItem;
    expect(await call('gallery.purge', { ids: [doomed.id] })).toEqual({ count: 1 });
    expect((await call('gallery.trashList', { limit: 10 })).total).toBe(0);
    // Never deleted outright: the harness's "OS trash" holds it.
    expect(await readdir(join(dataDir, 'os-trash'))).toHaveLength(1);
    await expect(call('gallery.get', { id: doomed.id })).rejects.toThrow('NOT_FOUND');
  });

  it('serves images and makes thumbnails on demand, refusing anything else', async () => {
    const { core, images } = await setup(['thumb me']);
    const id = images[0]?.id ?? '';
    const file = await core.resolveGalleryFile('image', id);
    expect(file?.mimeType).toBe('image/png');
    const thumb = await core.resolveGalleryFile('thumb', id);
    expect(thumb?.mimeType).toBe('image/webp');
    await Promise.all([file?.handle.close(), thumb?.handle.close()]);
    expect(await core.resolveGalleryFile('image', `..%2f${id}`)).toBeNull();
    expect(await core.resolveGalleryFile('thumb', 'f'.repeat(32))).toBeNull();
  });

  it('exports copies without clobbering, and desktop actions get the real file', async () => {
    const { call, images, dataDir, ports } = await setup(['export me']);
    const id = images[0]?.id ?? '';
    expect(await call('gallery.export', { ids: [id] })).toMatchObject({ count: 1 });
    expect(await call('gallery.export', { ids: [id] })).toMatchObject({ count: 1 });
    const exported = (await readdir(join(dataDir, 'exports'))).sort();
    expect(exported).toHaveLength(2);
    expect(exported.filter((name) => /_[0-9a-f]{8} \(1\)\.png$/.test(name))).toHaveLength(1);

    await call('gallery.reveal', { id });
    await call('gallery.startDrag', { ids: [id] });
    const shell = ports.shell as unknown as { actions: { action: string; paths: string[] }[] };
    expect(shell.actions.map((a) => a.action)).toEqual(['pickFolder', 'pickFolder', 'reveal', 'startDrag']);
    expect(shell.actions[2]?.paths[0]).toMatch(/export-me/);
  });

  it('a file deleted outside the app is marked missing by a rescan, and can be forgotten', async () => {
    const { call, images, library } = await setup(['gone soon', 'stays']);
    const gone = byPrompt(images, 'gone soon');
    const detail = await call('gallery.detail', { id: gone.id });
    await rm(detail.filePath);
    const report = await call('library.rescan', {});
    expect(report.missing).toBe(1);
    expect((await call('gallery.get', { id: gone.id })).status).toBe('missing');
    const status = await call('library.status', {});
    expect(status).toMatchObject({ root: library, images: 2, missing: 1, scanning: false });
    await expect(call('gallery.reveal', { id: gone.id })).rejects.toThrow('NOT_FOUND');
    expect(await call('gallery.forget', { ids: [gone.id, byPrompt(images, 'stays').id] })).toEqual({
      count: 1,
    });
    expect((await call('library.status', {})).images).toBe(1);
  });

  it('moves the library folder safely and keeps serving every image', async () => {
    const { core, call, images, library } = await setup(['moving day']);
    const to = join(await tempDir(), 'Elsewhere', 'Banana Studio');
    const status = await call('library.move', { to });
    expect(status).toMatchObject({ root: to, images: 1, missing: 0 });
    expect(existsSync(library)).toBe(false);
    expect((await call('settings.get', {})).libraryPath).toBe(to);
    const file = await core.resolveGalleryFile('image', images[0]?.id ?? '');
    expect(file?.filePath.startsWith(to)).toBe(true);
    await file?.handle.close();
    const refused = await core.dispatch('library.move', { to: join(to, 'inside') }, { transport: 'test' });
    expect(refused.ok ? null : refused.error.code).toBe('VALIDATION');
    expect((await call('library.status', {})).root).toBe(to);
  });

  it('rebuilds a lost or corrupt index from the files and says how many images came back', async () => {
    const { core, dataDir, ports, images } = await setup(['survivor one', 'survivor two']);
    await call2(core, 'gallery.setFavourite', { ids: [images[0]?.id], favourite: true });
    await core.dispose();
    for (const [damage, reason] of [
      [() => rm(join(dataDir, 'library.db')), 'missing'],
      [() => writeFile(join(dataDir, 'library.db'), 'not a database at all'), 'corrupt'],
    ] as const) {
      await rm(join(dataDir, 'library.db-wal'), { force: true });
      await rm(join(dataDir, 'library.db-shm'), { force: true });
      await damage();
      const again = await createCore(ports, { libraryScanDelayMs: 0 });
      cleanups.push(() => again.dispose());
      const deadline = Date.now() + 10_000;
      let status = await call2(again, 'library.status', {});
      while (status.rebuilt === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = await call2(again, 'library.status', {});
      }
      expect(status.rebuilt).toEqual({ reason, recovered: 2 });
      const page = await call2(again, 'gallery.query', { query: {}, cursor: null, limit: 10 });
      // Same ids and prompts as before: they came from the metadata inside the files.
      expect(page.items.map((item) => item.id).sort()).toEqual(images.map((item) => item.id).sort());
      expect(page.items.map((item) => item.params.prompt).sort()).toEqual(['survivor one', 'survivor two']);
      await again.dispose();
    }
    expect((await readdir(dataDir)).some((name) => name.startsWith('library.db.corrupt-'))).toBe(true);
  });

  it('rejects bad input with VALIDATION and unknown ids with NOT_FOUND, changing nothing', async () => {
    const { core, images } = await setup(['solid']);
    const bad = await core.dispatch(
      'gallery.setRating',
      { ids: [images[0]?.id], rating: 9 },
      { transport: 'test' },
    );
    expect(bad.ok ? null : bad.error.code).toBe('VALIDATION');
    const missing = await core.dispatch('gallery.detail', { id: 'nope' }, { transport: 'test' });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
    const album = await core.dispatch('albums.add', { albumId: 'nope', ids: ['x'] }, { transport: 'test' });
    expect(album.ok ? null : album.error.code).toBe('NOT_FOUND');
    const again = await core.dispatch('gallery.get', { id: images[0]?.id }, { transport: 'test' });
    expect(again.ok && (again.value as GalleryImage).rating).toBe(0);
  });
});
