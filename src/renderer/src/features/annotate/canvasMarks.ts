import {
  MARK_COLOR_HEX,
  MARK_FONT_FAMILY,
  MARK_FONT_WEIGHT,
  markBounds,
  markPath,
  textLayout,
  type Mark,
  type MarkPoint,
  type StrokeMark,
} from '@shared/domain/marks';

/**
 * Marks on a 2D canvas, through the same geometry core flattens with (markPath, textLayout).
 * The context's transform maps source pixels to the canvas, so a mark is drawn in the
 * coordinates it is stored in. Paths are parsed once per mark: marks are immutable values.
 */
const paths = new WeakMap<StrokeMark, Path2D>();

function pathOf(mark: StrokeMark): Path2D {
  let path = paths.get(mark);
  if (!path) {
    path = new Path2D(markPath(mark));
    paths.set(mark, path);
  }
  return path;
}

export function drawMark(ctx: CanvasRenderingContext2D, mark: Mark, path?: Path2D): void {
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  if (mark.kind === 'text') {
    const layout = textLayout(mark);
    ctx.font = `${MARK_FONT_WEIGHT} ${layout.fontSize}px ${MARK_FONT_FAMILY}`;
    ctx.textBaseline = 'alphabetic';
    ctx.lineWidth = layout.outlineWidth;
    ctx.strokeStyle = layout.outline;
    ctx.strokeText(mark.text, layout.x, layout.y);
    ctx.fillStyle = layout.fill;
    ctx.fillText(mark.text, layout.x, layout.y);
    return;
  }
  ctx.lineWidth = mark.width;
  ctx.strokeStyle = MARK_COLOR_HEX[mark.color];
  // A mark being drawn changes every frame: its path is not worth caching.
  ctx.stroke(path ?? pathOf(mark));
}

/** A dashed box around the selected mark, `pixel` source pixels to one screen pixel. */
export function drawSelection(ctx: CanvasRenderingContext2D, mark: Mark, pixel: number): void {
  const box = markBounds(mark);
  const pad = 4 * pixel;
  ctx.save();
  ctx.lineWidth = 1.5 * pixel;
  ctx.setLineDash([5 * pixel, 4 * pixel]);
  ctx.strokeStyle = '#2f6fed';
  ctx.strokeRect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad);
  ctx.restore();
}

/**
 * The topmost mark at `point` (source pixels), or null. Strokes are hit within `slack` of their
 * line (they are thin on a big picture); notes anywhere in their box.
 */
export function markAt(
  ctx: CanvasRenderingContext2D,
  marks: readonly Mark[],
  point: MarkPoint,
  slack: number,
): number | null {
  for (let index = marks.length - 1; index >= 0; index -= 1) {
    const mark = marks[index];
    if (!mark) continue;
    if (mark.kind === 'text') {
      const box = markBounds(mark);
      const [x, y] = point;
      if (
        x >= box.x - slack &&
        x <= box.x + box.width + slack &&
        y >= box.y - slack &&
        y <= box.y + box.height + slack
      )
        return index;
      continue;
    }
    ctx.save();
    // isPointInStroke takes the point untransformed: with no transform, canvas units are source pixels.
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.lineWidth = Math.max(mark.width, 2 * slack);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    const hit = ctx.isPointInStroke(pathOf(mark), point[0], point[1]);
    ctx.restore();
    if (hit) return index;
  }
  return null;
}
