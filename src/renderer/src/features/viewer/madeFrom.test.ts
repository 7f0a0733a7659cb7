import { describe, expect, it } from 'vitest';
import type { StagedReference } from '@shared/domain/reference';
import { testImage } from '../../store/testImages';
import { madeFrom, type Source } from './madeFrom';

function reference(n: number, galleryImageId: string | null): StagedReference {
  const id = String(n).padStart(32, '0');
  return {
    id,
    name: `file-${n}.png`,
    format: 'png',
    width: 64,
    height: 64,
    bytes: 100,
    frames: 1,
    url: `/gallery/ref/${id}`,
    thumbUrl: `/gallery/ref/${id}`,
    galleryImageId,
  };
}

const describeSources = (sources: Source[]) =>
  sources.map((source) =>
    source.kind === 'image' ? `image:${source.image.id}` : `file:${source.reference.name}`,
  );

describe('madeFrom: one list for "Made from"', () => {
  const parent = testImage(1);
  const dropped = reference(1, null);
  const fromLibrary = reference(2, parent.id);
  const byId = { [dropped.id]: dropped, [fromLibrary.id]: fromLibrary };

  it('keeps the order KIE got, showing a library reference once, as its image', () => {
    expect(describeSources(madeFrom([fromLibrary.id, dropped.id], byId, [parent]))).toEqual([
      `image:${parent.id}`,
      'file:file-1.png',
    ]);
    expect(describeSources(madeFrom([dropped.id, fromLibrary.id], byId, [parent]))).toEqual([
      'file:file-1.png',
      `image:${parent.id}`,
    ]);
  });

  it('still shows parents whose references are no longer known, after the known ones', () => {
    const other = testImage(2);
    expect(describeSources(madeFrom([dropped.id, 'f'.repeat(32)], byId, [other]))).toEqual([
      'file:file-1.png',
      `image:${other.id}`,
    ]);
  });

  it('shows a library reference whose image is gone as the file it was sent as', () => {
    expect(describeSources(madeFrom([fromLibrary.id], byId, []))).toEqual(['file:file-2.png']);
  });

  it('is empty for an image made from nothing', () => {
    expect(madeFrom([], {}, [])).toEqual([]);
  });
});
