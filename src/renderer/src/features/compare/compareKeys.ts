import { compareSelection } from './openCompare';

/** C in the gallery grid: compare the 2–4 selected images. */
export function compareKey(): void {
  compareSelection();
}
