import type { Api } from './api';

/**
 * Tells core whether this window has the focus, as it changes: a failed job raises an OS
 * notification only when nobody is looking at the window. `again()` sends the state even if it
 * did not change (a new core behind a reconnected web bridge knows nothing yet).
 */
export function watchWindowFocus(api: Api): { again(): void; stop(): void } {
  let last: boolean | null = null;
  const report = (force = false) => {
    const focused = document.visibilityState === 'visible' && document.hasFocus();
    if (!force && focused === last) return;
    last = focused;
    void api.request('app.setWindowFocus', { focused });
  };
  const onChange = () => report();
  window.addEventListener('focus', onChange);
  window.addEventListener('blur', onChange);
  document.addEventListener('visibilitychange', onChange);
  report(true);
  return {
    again: () => report(true),
    stop() {
      window.removeEventListener('focus', onChange);
      window.removeEventListener('blur', onChange);
      document.removeEventListener('visibilitychange', onChange);
    },
  };
}
