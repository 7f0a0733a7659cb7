import { describe, expect, it } from 'vitest';
import { fitRatio, zoomAt, zoomLevel } from './useZoom';

describe('zoom level', () => {
  const stage = { width: 1024, height: 900 };

  it('says "fit" at scale 1, whatever the picture', () => {
    expect(zoomLevel(1, { width: 4096, height: 4096 }, stage)).toBe('fit');
    expect(zoomLevel(1, { width: 512, height: 512 }, stage)).toBe('fit');
  });

  it('is the share of the picture’s own pixels once zoomed from fit', () => {
    // A 4096 px picture fitted into 1024 px is shown at 25 %; zoomed 1.25× that is 31.25 %.
    expect(fitRatio({ width: 4096, height: 2048 }, stage)).toBe(0.25);
    expect(zoomLevel(1.25, { width: 4096, height: 2048 }, stage)).toBeCloseTo(0.3125);
    // A small picture is fitted larger than its size: 2× zoom of a 450 px tall one is 400 %.
    expect(zoomLevel(2, { width: 300, height: 450 }, stage)).toBeCloseTo(4);
  });

  it('is unknown while the stage or the picture has no size yet', () => {
    expect(zoomLevel(2, { width: 0, height: 0 }, stage)).toBeNull();
    expect(zoomLevel(2, { width: 100, height: 100 }, { width: 0, height: 0 })).toBeNull();
  });

  it('zooms about a point and snaps back to fit at the minimum', () => {
    const zoomed = zoomAt({ scale: 1, x: 0, y: 0 }, 2, { x: 100, y: 0 });
    expect(zoomed).toEqual({ scale: 2, x: -100, y: 0 });
    expect(zoomAt(zoomed, 0.25, { x: 0, y: 0 })).toEqual({ scale: 1, x: 0, y: 0 });
  });
});
