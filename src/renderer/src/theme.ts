import type { Theme } from '@shared/domain/settings';

export type AppliedTheme = 'light' | 'dark';

/** The theme to show: the user's choice, or the OS appearance for 'system'. */
export function resolveTheme(setting: Theme, systemPrefersDark: boolean): AppliedTheme {
  if (setting !== 'system') return setting;
  return systemPrefersDark ? 'dark' : 'light';
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * Sets `data-theme` on <html> (the stylesheet's colours follow it through `color-scheme`) and,
 * for 'system', keeps it in step with the OS until the returned function stops it.
 */
export function applyTheme(setting: Theme, root: HTMLElement = document.documentElement): () => void {
  const media = window.matchMedia(DARK_QUERY);
  const apply = () => {
    root.dataset['theme'] = resolveTheme(setting, media.matches);
  };
  apply();
  if (setting !== 'system') return () => undefined;
  media.addEventListener('change', apply);
  return () => media.removeEventListener('change', apply);
}
