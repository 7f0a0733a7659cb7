import { useCallback, useEffect, useState, type PointerEvent, type RefObject } from 'react';

export interface ZoomState {
  scale: number;
  x: number;
  y: number;
}

export const MIN_SCALE = 1;
export const MAX_SCALE = 8;
const IDENTITY: ZoomState = { scale: 1, x: 0, y: 0 };

/**
 * Zooms by `factor` keeping the point `at` (relative to the stage centre) still: with the
 * transform translate(x, y) scale(s) around the centre, a stage point p shows image point
 * (p - t) / s, so t' = p - (p - t) · s' / s.
 */
export function zoomAt(state: ZoomState, factor: number, at: { x: number; y: number }): ZoomState {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, state.scale * factor));
  if (scale === MIN_SCALE) return IDENTITY;
  const ratio = scale / state.scale;
  return { scale, x: at.x - (at.x - state.x) * ratio, y: at.y - (at.y - state.y) * ratio };
}

export interface Size {
  width: number;
  height: number;
}

/**
 * How big a picture of `natural` size is drawn when fitted into `stage` (`object-fit: contain`,
 * scale 1): 0.25 for a 4096 px picture shown 1024 px wide. Null while either size is unknown.
 */
export function fitRatio(natural: Size, stage: Size): number | null {
  if (natural.width <= 0 || natural.height <= 0 || stage.width <= 0 || stage.height <= 0) return null;
  return Math.min(stage.width / natural.width, stage.height / natural.height);
}

/**
 * What the zoom button says: "fit" at scale 1, else the share of the picture's own pixels on
 * screen (scale × fit ratio), so "100%" is one image pixel per screen pixel.
 */
export function zoomLevel(scale: number, natural: Size, stage: Size): 'fit' | number | null {
  if (scale <= MIN_SCALE) return 'fit';
  const fit = fitRatio(natural, stage);
  return fit === null ? null : scale * fit;
}

export interface Zoom {
  state: ZoomState;
  /** The stage's size in CSS pixels (0 × 0 until it is laid out). */
  stage: Size;
  zoomBy(factor: number, at?: { x: number; y: number }): void;
  toggle(at: { x: number; y: number }): void;
  reset(): void;
  pointer: {
    onPointerDown(event: PointerEvent<HTMLElement>): void;
    onPointerMove(event: PointerEvent<HTMLElement>): void;
    onPointerUp(event: PointerEvent<HTMLElement>): void;
  };
}

/** The point of a mouse event relative to the centre of `element`. */
export function fromCentre(element: HTMLElement, clientX: number, clientY: number): { x: number; y: number } {
  const rect = element.getBoundingClientRect();
  return { x: clientX - rect.left - rect.width / 2, y: clientY - rect.top - rect.height / 2 };
}

/** Zoom (wheel, keys, double-click) and pan (drag while zoomed) for one image; `key` resets it. */
export function useZoom(stage: RefObject<HTMLElement | null>, key: string): Zoom {
  const [zoom, setZoom] = useState<{ key: string; state: ZoomState }>({ key, state: IDENTITY });
  const [drag, setDrag] = useState<{ x: number; y: number; from: ZoomState } | null>(null);
  const state = zoom.key === key ? zoom.state : IDENTITY;
  const [stageSize, setStageSize] = useState<Size>({ width: 0, height: 0 });

  useEffect(() => {
    const node = stage.current;
    if (!node) return;
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box) setStageSize({ width: box.width, height: box.height });
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [stage]);

  const update = useCallback(
    (next: (current: ZoomState) => ZoomState) =>
      setZoom((previous) => ({ key, state: next(previous.key === key ? previous.state : IDENTITY) })),
    [key],
  );

  useEffect(() => {
    const node = stage.current;
    if (!node) return;
    // Native and non-passive, so the wheel zooms instead of scrolling or zooming the page.
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const at = fromCentre(node, event.clientX, event.clientY);
      update((current) => zoomAt(current, Math.exp(-event.deltaY * 0.0015), at));
    };
    node.addEventListener('wheel', onWheel, { passive: false });
    return () => node.removeEventListener('wheel', onWheel);
  }, [stage, update]);

  const zoomBy = useCallback(
    (factor: number, at = { x: 0, y: 0 }) => update((current) => zoomAt(current, factor, at)),
    [update],
  );
  const toggle = useCallback(
    (at: { x: number; y: number }) =>
      update((current) => (current.scale > 1 ? IDENTITY : zoomAt(current, 2.5, at))),
    [update],
  );
  const reset = useCallback(() => update(() => IDENTITY), [update]);

  return {
    state,
    stage: stageSize,
    zoomBy,
    toggle,
    reset,
    pointer: {
      onPointerDown(event) {
        if (state.scale <= 1 || event.button !== 0) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        setDrag({ x: event.clientX, y: event.clientY, from: state });
      },
      onPointerMove(event) {
        if (!drag) return;
        const dx = event.clientX - drag.x;
        const dy = event.clientY - drag.y;
        update(() => ({ ...drag.from, x: drag.from.x + dx, y: drag.from.y + dy }));
      },
      onPointerUp(event) {
        if (!drag) return;
        event.currentTarget.releasePointerCapture(event.pointerId);
        setDrag(null);
      },
    },
  };
}
