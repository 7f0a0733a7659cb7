/**
 * The compare view's rules, pure so they are tested without a browser: which layout a number of
 * pictures gets, and where the slider's divider goes for a key or a pointer.
 */

/** Two pictures: a slider (one over the other) or side by side; three or four: a board. */
export type CompareLayout = 'slider' | 'sideBySide' | 'board';

export function compareLayout(count: number, twoUp: 'slider' | 'sideBySide'): CompareLayout {
  return count === 2 ? twoUp : 'board';
}

/** How far ← / → move the divider, in percent of the width; with Shift, finer. */
export const SPLIT_STEP = 5;
export const SPLIT_FINE_STEP = 1;

const clampSplit = (value: number): number => Math.min(100, Math.max(0, value));

/** The divider after a key press, or null when the key does not move it. */
export function splitForKey(split: number, key: string, fine: boolean): number | null {
  const step = fine ? SPLIT_FINE_STEP : SPLIT_STEP;
  switch (key) {
    case 'ArrowLeft':
      return clampSplit(split - step);
    case 'ArrowRight':
      return clampSplit(split + step);
    case 'Home':
      return 0;
    case 'End':
      return 100;
    default:
      return null;
  }
}

/** The divider under a pointer at `clientX` over a box starting at `left`, `width` wide. */
export function splitAt(clientX: number, box: { left: number; width: number }): number {
  if (box.width <= 0) return 50;
  return clampSplit(((clientX - box.left) / box.width) * 100);
}

/** "2 of 4 selected" gives 2–4 pictures to compare; anything else needs more or fewer. */
export function canCompare(count: number): boolean {
  return count >= 2 && count <= 4;
}
