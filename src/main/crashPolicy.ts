/** A second renderer crash this soon after the last one is a loop, not a hiccup. */
export const CRASH_WINDOW_MS = 60_000;

export type CrashDecision = 'reload' | 'show-error';

/**
 * What to do when the renderer has just crashed at `now`, given when it crashed before
 * (`history`, in ms; the current crash not included). One crash reloads the app; another within
 * a minute shows the static error page instead of reloading into the same crash forever.
 */
export function crashPolicy(history: readonly number[], now: number): CrashDecision {
  return history.some((time) => time <= now && now - time < CRASH_WINDOW_MS) ? 'show-error' : 'reload';
}
