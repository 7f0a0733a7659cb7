import { describe, expect, it } from 'vitest';
import { elapsedSeconds, formatElapsed, formatStarted } from './elapsed';

describe('formatElapsed', () => {
  it.each([
    [0, '0s', '0秒'],
    [42, '42s', '42秒'],
    [59.9, '59s', '59秒'],
    [60, '1m', '1分钟'],
    [185, '3m 5s', '3分钟5秒'],
    [3600, '1h', '1小时'],
    [3720, '1h 2m', '1小时2分钟'],
    [-5, '0s', '0秒'],
  ])('%s s → %s / %s', (seconds, en, zh) => {
    expect(formatElapsed(seconds, 'en')).toBe(en);
    expect(formatElapsed(seconds, 'zh-CN')).toBe(zh);
  });
});

describe('elapsedSeconds', () => {
  const createdAt = '2026-11-25T04:00:00.000Z';
  const updatedAt = '2026-11-25T04:00:30.000Z';
  const now = Date.parse('2026-11-25T04:02:00.000Z');

  it('ticks with the clock while the job is active', () => {
    expect(elapsedSeconds({ state: 'generating', createdAt, updatedAt }, now)).toBe(120);
    expect(elapsedSeconds({ state: 'queued', createdAt, updatedAt }, now + 1000)).toBe(121);
  });

  it('stops at the last change once the job ended', () => {
    expect(elapsedSeconds({ state: 'done', createdAt, updatedAt }, now)).toBe(30);
    expect(elapsedSeconds({ state: 'failed', createdAt, updatedAt }, now)).toBe(30);
  });
});

describe('formatStarted', () => {
  it('shows the time today and the date before today, per locale', () => {
    const iso = '2026-11-25T04:05:06.000Z';
    const sameDay = formatStarted(iso, 'en', Date.parse(iso) + 1000);
    expect(sameDay).not.toMatch(/2026/);
    expect(formatStarted(iso, 'en', Date.parse(iso) + 3 * 86_400_000)).toMatch(/2026/);
    expect(formatStarted(iso, 'zh-CN', Date.parse(iso) + 3 * 86_400_000)).toMatch(/2026年/);
  });
});
