import { useCallback, useEffect, useState, type PointerEvent, type RefObject } from 'react';
import { fromCentre, MIN_SCALE, zoomAt, type Size, type ZoomState } from '../viewer/useZoom';

const IDENTITY: ZoomState = { scale: 1, x: 0, y: 0 };

/** Marks the box an image is fitted into; zoom points are taken relative to its centre. */
export const PANE_ATTRIBUTE = 'data-compare-pane';

export interface SharedZoom {
  state: ZoomState;
  /** One pane's size in CSS pixels (all panes have the same); 0 × 0 until laid out. */
  pane: Size;
  zoomBy(factor: number): void;
  reset(): void;
  /** Drag while zoomed pans every pane at once. */
  pointer: {
    onPointerDown(event: PointerEvent<HTMLElement>): void;
    onPointerMove(event: PointerEvent<HTMLElement>): void;
    onPointerUp(event: PointerEvent<HTMLElement>): void;
  };
}

/**
 * One zoom and pan for every pane of the compare view (the viewer's useZoom does it for one
 * image). Each picture is fitted into a pane of the same size and drawn with the same
 * translate(x, y) scale(s) about the pane's centre, so the same part of each shows whatever
 * their pixel sizes; the wheel zooms about the point under the pointer, in whichever pane.
 */
export function useSharedZoom(container: RefObject<HTMLElement | null>, key: string): SharedZoom {
  const [zoom, setZoom] = useState<{ key: string; state: ZoomState }>({ key, state: IDENTITY });
  const [drag, setDrag] = useState<{ x: number; y: number; from: ZoomState } | null>(null);
  const [pane, setPane] = useState<Size>({ width: 0, height: 0 });
  const state = zoom.key === key ? zoom.state : IDENTITY;

  const update = useCallback(
    (next: (current: ZoomState) => ZoomState) =>
      setZoom((previous) => ({ key, state: next(previous.key === key ? previous.state : IDENTITY) })),
    [key],
  );

  useEffect(() => {
    const node = container.current;
    if (!node) return;
    const measure = () => {
      const first = node.querySelector<HTMLElement>(`[${PANE_ATTRIBUTE}]`);
      if (first) setPane({ width: first.clientWidth, height: first.clientHeight });
    };
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    // The panes change with the layout (slider, side by side, board) without the box resizing.
    const mutations = new MutationObserver(measure);
    mutations.observe(node, { childList: true, subtree: true });
    measure();
    return () => {
      observer.disconnect();
      mutations.disconnect();
    };
  }, [container]);

  useEffect(() => {
    const node = container.current;
    if (!node) return;
    // Native and non-passive, so the wheel zooms instead of scrolling the page.
    const onWheel = (event: WheelEvent) => {
      const target = event.target instanceof Element ? event.target.closest(`[${PANE_ATTRIBUTE}]`) : null;
      if (!(target instanceof HTMLElement)) return;
      event.preventDefault();
      const at = fromCentre(target, event.clientX, event.clientY);
      update((current) => zoomAt(current, Math.exp(-event.deltaY * 0.0015), at));
    };
    node.addEventListener('wheel', onWheel, { passive: false });
    return () => node.removeEventListener('wheel', onWheel);
  }, [container, update]);

  const zoomBy = useCallback(
    (factor: number) => update((current) => zoomAt(current, factor, { x: 0, y: 0 })),
    [update],
  );
  const reset = useCallback(() => update(() => IDENTITY), [update]);

  return {
    state,
    pane,
    zoomBy,
    reset,
    pointer: {
      onPointerDown(event) {
        if (state.scale <= MIN_SCALE || event.button !== 0) return;
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
        if (event.currentTarget.hasPointerCapture(event.pointerId)) {
          event.currentTarget.releasePointerCapture(event.pointerId);
        }
        setDrag(null);
      },
    },
  };
}
