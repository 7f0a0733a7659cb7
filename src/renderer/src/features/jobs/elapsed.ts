import type { Job } from '@shared/domain/job';
import { isActive } from './jobText';

/** Seconds since the job was created: up to now while it runs, up to its last change after. */
export function elapsedSeconds(job: Pick<Job, 'state' | 'createdAt' | 'updatedAt'>, nowMs: number): number {
  const end = isActive(job) ? nowMs : Date.parse(job.updatedAt);
  return Math.max(0, Math.floor((end - Date.parse(job.createdAt)) / 1000));
}

const cache = new Map<string, { unit: (name: string) => Intl.NumberFormat; list: Intl.ListFormat }>();

function formatters(locale: string) {
  let found = cache.get(locale);
  if (!found) {
    const units = new Map<string, Intl.NumberFormat>();
    found = {
      unit: (name) => {
        let format = units.get(name);
        if (!format) {
          format = new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'narrow' });
          units.set(name, format);
        }
        return format;
      },
      list: new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }),
    };
    cache.set(locale, found);
  }
  return found;
}

/**
 * A short duration in the locale's own words: "42s", "3m 5s", "1h 2m" in English, "42秒",
 * "3分钟5秒", "1小时2分钟" in Chinese. Two units at most: the job list needs a glance, not a clock.
 */
export function formatElapsed(totalSeconds: number, locale: string): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const { unit, list } = formatters(locale);
  if (seconds < 60) return unit('second').format(seconds);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours === 0) {
    const rest = seconds % 60;
    const parts = [unit('minute').format(minutes)];
    if (rest > 0) parts.push(unit('second').format(rest));
    return list.format(parts);
  }
  const parts = [unit('hour').format(hours)];
  if (minutes > 0) parts.push(unit('minute').format(minutes));
  return list.format(parts);
}

/** When the job started, for the elapsed time's tooltip: the time today, date and time before. */
export function formatStarted(iso: string, locale: string, nowMs: number): string {
  const started = new Date(iso);
  const sameDay = new Date(nowMs).toDateString() === started.toDateString();
  return new Intl.DateTimeFormat(
    locale,
    sameDay ? { timeStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' },
  ).format(started);
}
