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

export interface Zoom {
  state: ZoomState;
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
