import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type Ref,
} from 'react';
import { useTranslation } from 'react-i18next';
import {
  brushCurves,
  markBounds,
  markPath,
  markSizes,
  MAX_POINTS,
  noteText,
  type Mark,
  type MarkPoint,
  type StrokeMark,
} from '@shared/domain/marks';
import { useAnnotate } from '../../store/annotate';
import { drawMark, drawSelection, markAt } from './canvasMarks';
import { clampPoint, draftMark, extendDraft, liveMark, startDraft, type Draft } from './draft';
import { NoteInput } from './NoteInput';

/** The picture as shown: CSS pixels per source pixel, the shown size, device pixels per CSS pixel. */
interface View {
  scale: number;
  width: number;
  height: number;
  dpr: number;
}

interface StageProps {
  picture: HTMLImageElement;
  ref?: Ref<HTMLDivElement>;
}

/** Keyboard cursor steps: 1% of the picture's long side, 5% with Shift. */
const STEP = 0.01;
const BIG_STEP = 0.05;
/** A drag shorter than this (CSS pixels) is a click, not a shape. */
const MIN_SHAPE_PX = 3;
/** Brush samples closer than this (CSS pixels) add nothing you could see. */
const MIN_BRUSH_STEP_PX = 0.75;

type Box = { x: number; y: number; width: number; height: number };
const grow = (box: Box, by: number): Box => ({
  x: box.x - by,
  y: box.y - by,
  width: box.width + 2 * by,
  height: box.height + 2 * by,
});
const union = (a: Box | null, b: Box): Box => {
  if (!a) return b;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
};

const pointCount = (marks: readonly Mark[]): number =>
  marks.reduce((sum, mark) => sum + (mark.kind === 'brush' ? mark.points.length : 1), 0);

/**
 * The picture and its marks on three stacked canvases: the picture, scaled once into a bitmap
 * for the size shown (a 4096² source is never redrawn while drawing); the saved marks, redrawn
 * when they change; and the mark being drawn, redrawn once per animation frame from the
 * pointer's coalesced samples. Keyboard: arrows move a cursor, Enter or Space starts and ends a
 * mark, Esc drops the one in progress.
 */
export function AnnotateStage({ picture, ref }: StageProps) {
  const { t } = useTranslation();
  const marks = useAnnotate((state) => state.history.present);
  const selected = useAnnotate((state) => state.selected);
  const tool = useAnnotate((state) => state.tool);
  const color = useAnnotate((state) => state.color);
  const sizeLevel = useAnnotate((state) => state.sizeLevel);
  const commit = useAnnotate((state) => state.commit);
  const select = useAnnotate((state) => state.select);
  const width = picture.naturalWidth;
  const height = picture.naturalHeight;
  const size = useMemo(() => markSizes(width, height)[sizeLevel], [width, height, sizeLevel]);

  const frame = useRef<HTMLDivElement>(null);
  const baseCanvas = useRef<HTMLCanvasElement>(null);
  const marksCanvas = useRef<HTMLCanvasElement>(null);
  const liveCanvas = useRef<HTMLCanvasElement>(null);
  const [view, setView] = useState<View | null>(null);
  const [ready, setReady] = useState(false);
  const draft = useRef<Draft | null>(null);
  const [drafting, setDrafting] = useState(false);
  const cursor = useRef<MarkPoint | null>(null);
  const [note, setNote] = useState<MarkPoint | null>(null);
  const pending = useRef(0);

  // The picture fits the frame, centred; the canvases are exactly the picture's shown size.
  useLayoutEffect(() => {
    const element = frame.current;
    if (!element) return;
    const measure = () => {
      const scale = Math.min(element.clientWidth / width, element.clientHeight / height);
      if (!Number.isFinite(scale) || scale <= 0) return;
      const next = { scale, width: width * scale, height: height * scale, dpr: window.devicePixelRatio || 1 };
      setView((current) =>
        current && current.scale === next.scale && current.dpr === next.dpr ? current : next,
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [width, height]);

  // The picture, scaled off the main thread into a bitmap of the shown size, drawn once.
  useEffect(() => {
    const canvas = baseCanvas.current;
    if (!view || !canvas) return;
    let cancelled = false;
    const pixels = {
      width: Math.max(1, Math.round(view.width * view.dpr)),
      height: Math.max(1, Math.round(view.height * view.dpr)),
    };
    void createImageBitmap(picture, {
      resizeWidth: pixels.width,
      resizeHeight: pixels.height,
      resizeQuality: 'high',
    })
      .then((bitmap) => {
        if (cancelled) return bitmap.close();
        // Handed to the canvas as it is (no copy, no 2D context): a picture that never changes.
        const renderer = canvas.getContext('bitmaprenderer');
        if (renderer) renderer.transferFromImageBitmap(bitmap);
        else {
          canvas.width = pixels.width;
          canvas.height = pixels.height;
          canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
          bitmap.close();
        }
        setReady(true);
      })
      .catch(() => {
        if (cancelled) return;
        // Without a bitmap the picture is drawn straight from the image: slower, still right.
        canvas.width = pixels.width;
        canvas.height = pixels.height;
        canvas.getContext('2d')?.drawImage(picture, 0, 0, pixels.width, pixels.height);
        setReady(true);
      });
    return () => {
      cancelled = true;
    };
  }, [picture, view]);

  /** The canvas's context, sized to the view and mapping source pixels; cleared unless `keep`. */
  const context = useCallback(
    (canvas: HTMLCanvasElement | null, keep = false): CanvasRenderingContext2D | null => {
      if (!canvas || !view) return null;
      const pixels = { width: Math.round(view.width * view.dpr), height: Math.round(view.height * view.dpr) };
      const resized = canvas.width !== pixels.width || canvas.height !== pixels.height;
      if (resized) {
        canvas.width = pixels.width;
        canvas.height = pixels.height;
      }
      const ctx = canvas.getContext('2d');
      if (!ctx) return null;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      if (!keep || resized) ctx.clearRect(0, 0, canvas.width, canvas.height);
      const k = view.scale * view.dpr;
      ctx.setTransform(k, 0, 0, k, 0, 0);
      return ctx;
    },
    [view],
  );

  // The saved marks, redrawn when they change: a mark just added is drawn on top of the others,
  // anything else (undo, a selection, another size) redraws them all.
  const painted = useRef<{ marks: readonly Mark[]; selected: number | null; view: View | null }>({
    marks: [],
    selected: null,
    view: null,
  });
  useEffect(() => {
    const before = painted.current;
    const added =
      before.view === view &&
      before.selected === null &&
      selected === null &&
      marks.length > before.marks.length &&
      before.marks.every((mark, index) => marks[index] === mark);
    const ctx = context(marksCanvas.current, added);
    if (!ctx || !view) return;
    for (const mark of added ? marks.slice(before.marks.length) : marks) drawMark(ctx, mark);
    const mark = selected === null ? undefined : marks[selected];
    if (mark) drawSelection(ctx, mark, 1 / view.scale);
    painted.current = { marks, selected, view };
  }, [context, marks, selected, view]);

  /** What the live canvas holds outside a brush stroke (source pixels), cleared next frame. */
  const liveDamage = useRef<Box | null>(null);
  /** The brush stroke on the live canvas, and how many of its curves are drawn there. */
  const liveStroke = useRef<{ points: readonly MarkPoint[] | null; curves: number }>({
    points: null,
    curves: 0,
  });

  const drawLive = useCallback(() => {
    pending.current = 0;
    const current = draft.current;
    // A brush stroke grows by its new curves only: a long scribble costs the same each frame.
    if (current?.kind === 'brush' && cursor.current === null) {
      const stroke = liveStroke.current;
      const fresh = stroke.points !== current.points;
      const ctx = context(liveCanvas.current, !fresh);
      if (!ctx) return;
      const mark = liveMark(current);
      if (fresh) {
        liveStroke.current = { points: current.points, curves: 0 };
        liveDamage.current = null;
        const dab = { ...mark, points: current.points.slice(0, 1) } as StrokeMark;
        drawMark(ctx, dab, new Path2D(markPath(dab)));
      }
      const settled = current.points.length - 2;
      if (settled > liveStroke.current.curves) {
        drawMark(ctx, mark, new Path2D(brushCurves(current.points, liveStroke.current.curves)));
        liveStroke.current.curves = settled;
      }
      return;
    }
    // Only what was drawn last frame is cleared (all of it after a brush stroke): the rest of
    // the canvas is not repainted.
    const afterStroke = liveStroke.current.points !== null;
    liveStroke.current = { points: null, curves: 0 };
    const ctx = context(liveCanvas.current, !afterStroke);
    if (!ctx || !view) return;
    const last = liveDamage.current;
    if (last) ctx.clearRect(last.x, last.y, last.width, last.height);
    const pad = 2 / view.scale;
    let damage: Box | null = null;
    if (current) {
      const mark = liveMark(current);
      // A fresh path: the mark in progress is a new value every frame, not worth caching.
      drawMark(ctx, mark, mark.kind === 'text' ? undefined : new Path2D(markPath(mark)));
      damage = grow(markBounds(mark), pad);
    }
    const at = cursor.current;
    if (at) {
      const arm = 10 / view.scale;
      ctx.lineWidth = 1.5 / view.scale;
      ctx.strokeStyle = '#2f6fed';
      ctx.setLineDash([]);
      ctx.beginPath();
      ctx.moveTo(at[0] - arm, at[1]);
      ctx.lineTo(at[0] + arm, at[1]);
      ctx.moveTo(at[0], at[1] - arm);
      ctx.lineTo(at[0], at[1] + arm);
      ctx.stroke();
      damage = union(damage, grow({ x: at[0] - arm, y: at[1] - arm, width: 2 * arm, height: 2 * arm }, pad));
    }
    liveDamage.current = damage;
  }, [context, view]);

  const schedule = useCallback(() => {
    if (pending.current === 0) pending.current = requestAnimationFrame(drawLive);
  }, [drawLive]);

  useEffect(() => {
    schedule();
    return () => {
      if (pending.current !== 0) cancelAnimationFrame(pending.current);
      pending.current = 0;
    };
  }, [schedule]);

  /** The canvas's place on screen and the stroke's point budget, taken once per pointer press. */
  const press = useRef<{ box: DOMRect | null; budget: number }>({ box: null, budget: MAX_POINTS });

  const toPicture = (clientX: number, clientY: number): MarkPoint => {
    const box = press.current.box ?? liveCanvas.current?.getBoundingClientRect();
    const scale = view?.scale ?? 1;
    return clampPoint(
      [(clientX - (box?.left ?? 0)) / scale, (clientY - (box?.top ?? 0)) / scale],
      width,
      height,
    );
  };

  const begin = (at: MarkPoint) => {
    if (!size) return;
    if (tool === 'text') {
      setNote(at);
      return;
    }
    if (tool === 'select') {
      const ctx = marksCanvas.current?.getContext('2d');
      select(ctx ? markAt(ctx, marks, at, 6 / (view?.scale ?? 1)) : null);
      return;
    }
    press.current.budget = Math.max(1, MAX_POINTS - pointCount(marks));
    draft.current = startDraft(tool, color, size.stroke, at);
    setDrafting(true);
    schedule();
  };

  const extend = (at: MarkPoint, constrain: boolean) => {
    if (!draft.current) return;
    draft.current = extendDraft(draft.current, at, {
      constrain,
      minStep: MIN_BRUSH_STEP_PX / (view?.scale ?? 1),
      maxPoints: press.current.budget,
    });
    schedule();
  };

  const finish = () => {
    press.current.box = null;
    const current = draft.current;
    draft.current = null;
    setDrafting(false);
    schedule();
    if (!current) return;
    const mark = draftMark(current, MIN_SHAPE_PX / (view?.scale ?? 1));
    if (mark) commit(mark);
  };

  const cancel = () => {
    draft.current = null;
    setDrafting(false);
    schedule();
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (event.button !== 0 || note) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.parentElement?.focus({ preventScroll: true });
    cursor.current = null;
    press.current.box = event.currentTarget.getBoundingClientRect();
    begin(toPicture(event.clientX, event.clientY));
  };

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!draft.current) return;
    // Every sample the pointer took since the last event, not just the last one: smooth strokes.
    const samples = event.nativeEvent.getCoalescedEvents?.() ?? [];
    for (const sample of samples.length > 0 ? samples : [event.nativeEvent]) {
      extend(toPicture(sample.clientX, sample.clientY), event.shiftKey);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.ctrlKey || event.metaKey) {
      // Saving with a mark still in progress saves it too: it is placed before the editor saves.
      if (draft.current && (event.key.toLowerCase() === 's' || event.key === 'Enter')) finish();
      return;
    }
    if (event.altKey) return;
    const arrows: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const direction = arrows[event.key];
    if (direction) {
      event.preventDefault();
      const step = Math.max(1, Math.round(Math.max(width, height) * (event.shiftKey ? BIG_STEP : STEP)));
      const from = cursor.current ?? [width / 2, height / 2];
      cursor.current = clampPoint(
        [from[0] + direction[0] * step, from[1] + direction[1] * step],
        width,
        height,
      );
      extend(cursor.current, false);
      schedule();
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      cursor.current ??= [Math.round(width / 2), Math.round(height / 2)];
      if (draft.current) finish();
      else begin(cursor.current);
      schedule();
      return;
    }
    if (event.key === 'Escape' && draft.current) {
      // The dialog's Esc waits: this one only drops the mark in progress.
      event.preventDefault();
      cancel();
    }
  };

  const placeNote = (text: string | null) => {
    const at = note;
    setNote(null);
    frame.current?.querySelector<HTMLElement>('.annotate-canvas-box')?.focus({ preventScroll: true });
    const clean = text === null ? '' : noteText(text);
    if (!at || !size || clean === '') return;
    commit({ kind: 'text', color, size: size.text, at, text: clean });
  };

  const cursorStyle = tool === 'select' ? 'default' : tool === 'text' ? 'text' : 'crosshair';
  return (
    <div ref={frame} className="annotate-frame" data-testid="annotate-frame">
      <div
        ref={ref}
        className="annotate-canvas-box"
        data-testid="annotate-stage"
        data-ready={ready ? 'true' : 'false'}
        data-scale={view?.scale ?? 0}
        data-marks={marks.length}
        data-selected={selected ?? ''}
        data-drafting={drafting ? 'true' : 'false'}
        data-picture-width={width}
        data-picture-height={height}
        role="application"
        aria-roledescription={t('annotate.stageRole')}
        aria-label={t('annotate.stage')}
        tabIndex={0}
        style={view ? { width: view.width, height: view.height } : undefined}
        onKeyDown={onKeyDown}
        onBlur={(event) => {
          // Typing a note keeps the cursor where the note goes; leaving the picture hides it.
          if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget))
            return;
          cursor.current = null;
          schedule();
        }}
      >
        <canvas ref={baseCanvas} className="annotate-canvas" aria-hidden="true" />
        <canvas ref={marksCanvas} className="annotate-canvas" aria-hidden="true" />
        <canvas
          ref={liveCanvas}
          className="annotate-canvas annotate-live"
          data-testid="annotate-canvas"
          aria-hidden="true"
          style={{ cursor: cursorStyle }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={finish}
          onPointerCancel={cancel}
        />
        {note && view && size && (
          <NoteInput
            at={[note[0] * view.scale, note[1] * view.scale]}
            fontSize={size.text * view.scale}
            color={color}
            onDone={placeNote}
          />
        )}
        {!ready && <span className="spinner annotate-spinner" aria-hidden="true" />}
        <p className="visually-hidden" aria-live="polite" data-testid="annotate-count">
          {t('annotate.count', { count: marks.length })}
        </p>
      </div>
    </div>
  );
}
