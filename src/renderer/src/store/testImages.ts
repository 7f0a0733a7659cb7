import type { GalleryImage } from '@shared/domain/image';

/** A gallery image for unit tests (not used by the app): `n` orders them, higher is newer. */
export function testImage(n: number, patch: Partial<GalleryImage> = {}): GalleryImage {
  const id = `img-${String(n).padStart(4, '0')}`;
  return {
    id,
    jobId: null,
    kieTaskId: null,
    params: {
      model: 'google/nano-banana',
      prompt: `prompt ${n}`,
      aspectRatio: '1:1',
      outputFormat: 'png',
      resolution: null,
    },
    width: 1024,
    height: 1024,
    format: 'png',
    bytes: 1000,
    fileName: `${id}.png`,
    demo: false,
    createdAt: new Date(Date.UTC(2026, 0, 1, 12) + n * 60_000).toISOString(),
    url: `/gallery/image/${id}`,
    thumbUrl: `/gallery/thumb/${id}`,
    origin: 'generated',
    status: 'ok',
    favourite: false,
    rating: 0,
    parents: [],
    ...patch,
  };
}

/** Newest first, like the default query. */
export function newestFirst(from: number, to: number): GalleryImage[] {
  const out: GalleryImage[] = [];
  for (let n = to; n >= from; n -= 1) out.push(testImage(n));
  return out;
}
