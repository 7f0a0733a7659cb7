import type { Mark, MarkColor, MarkPoint } from '@shared/domain/marks';

/**
 * A mark being drawn (by mouse, pen or keyboard), before it joins the layer. Pure helpers, so
 * the rules (what a click makes, what Shift does) are tested without a canvas.
 */
export type ShapeKind = 'rect' | 'ellipse' | 'arrow' | 'brush';

export interface Draft {
  kind: ShapeKind;
  color: MarkColor;
  width: number;
  from: MarkPoint;
  to: MarkPoint;
  /** Brush samples, in order (`from` is the first). */
  points: MarkPoint[];
}

export function startDraft(kind: ShapeKind, color: MarkColor, width: number, at: MarkPoint): Draft {
  return { kind, color, width, from: at, to: at, points: [at] };
}

/** A point kept inside the picture: marks end at its edge, as the flattened copy does. */
export function clampPoint([x, y]: MarkPoint, width: number, height: number): MarkPoint {
  const round = (value: number) => Math.round(value * 10) / 10;
  return [round(Math.min(Math.max(x, 0), width)), round(Math.min(Math.max(y, 0), height))];
}

/**
 * Moves the draft's end to `to`. With `constrain` (Shift), a box or an ellipse is square and an
 * arrow snaps to the nearest 45°. A brush adds the point when it is at least `minStep` source
 * pixels from the last one, up to `maxPoints` in all.
 */
export function extendDraft(
  draft: Draft,
  to: MarkPoint,
  options: { constrain: boolean; minStep: number; maxPoints: number },
): Draft {
  if (draft.kind === 'brush') {
    const last = draft.points[draft.points.length - 1] ?? draft.from;
    if (draft.points.length >= options.maxPoints) return draft;
    if (Math.hypot(to[0] - last[0], to[1] - last[1]) < options.minStep) return draft;
    // Mutated in place: a long stroke would otherwise copy thousands of points per event.
    draft.points.push(to);
    return { ...draft, to };
  }
  if (!options.constrain) return { ...draft, to };
  const dx = to[0] - draft.from[0];
  const dy = to[1] - draft.from[1];
  if (draft.kind === 'arrow') {
    const angle = Math.round(Math.atan2(dy, dx) / (Math.PI / 4)) * (Math.PI / 4);
    const length = Math.hypot(dx, dy);
    return {
      ...draft,
      to: [draft.from[0] + length * Math.cos(angle), draft.from[1] + length * Math.sin(angle)],
    };
  }
  const side = Math.max(Math.abs(dx), Math.abs(dy));
  return {
    ...draft,
    to: [draft.from[0] + Math.sign(dx || 1) * side, draft.from[1] + Math.sign(dy || 1) * side],
  };
}

/**
 * The draft as a mark, or null when it is not one yet: a shape needs some extent (`minSize`
 * source pixels, so a click is not a box); a brush dab of one point is a dot.
 */
export function draftMark(draft: Draft, minSize: number): Mark | null {
  if (draft.kind === 'brush') {
    return { kind: 'brush', color: draft.color, width: draft.width, points: [...draft.points] };
  }
  const extent = Math.hypot(draft.to[0] - draft.from[0], draft.to[1] - draft.from[1]);
  if (extent < minSize) return null;
  return { kind: draft.kind, color: draft.color, width: draft.width, from: draft.from, to: draft.to };
}

/** The draft as it is drawn each frame: no copy of its points, no minimum size. */
export function liveMark(draft: Draft): Mark {
  return draft.kind === 'brush'
    ? { kind: 'brush', color: draft.color, width: draft.width, points: draft.points }
    : { kind: draft.kind, color: draft.color, width: draft.width, from: draft.from, to: draft.to };
}
