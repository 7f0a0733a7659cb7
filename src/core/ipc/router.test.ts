import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/ipc/result';
import { createLogger, MemorySink } from '../log/logger';
import { createRouter, type HandlerMap } from './router';
import { routeFixtures } from '@shared/ipc/fixtures';

function handlers(overrides: Partial<HandlerMap> = {}): HandlerMap {
  const base = Object.fromEntries(
    Object.entries(routeFixtures).map(([route, fixture]) => [route, () => fixture.output]),
  ) as unknown as HandlerMap;
  return { ...base, ...overrides };
}

function setup(overrides: Partial<HandlerMap> = {}) {
  const sink = new MemorySink();
  const dispatch = createRouter(handlers(overrides), createLogger({ sinks: [sink] }));
  return { dispatch, sink };
}

describe('router', () => {
  it('answers an unknown route with NOT_FOUND', async () => {
    const { dispatch } = setup();
    const result = await dispatch('jobs.explode', {}, { transport: 'test' });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) });
  });

  it('does not treat Object.prototype names as routes', async () => {
    const { dispatch } = setup();
    const result = await dispatch('constructor', {}, { transport: 'test' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('NOT_FOUND');
  });

  it('rejects bad input with VALIDATION and lists the issues', async () => {
    const { dispatch } = setup();
    const result = await dispatch('jobs.list', { limit: 'lots' }, { transport: 'test' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.details?.['issues']).toEqual([expect.objectContaining({ path: ['limit'] })]);
  });

  it('rejects unknown extra fields (strict inputs)', async () => {
    const { dispatch } = setup();
    const result = await dispatch('gallery.get', { id: 'a', path: '/etc/passwd' }, { transport: 'test' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('VALIDATION');
  });

  it('passes parsed input to the handler and wraps the value', async () => {
    let seen: unknown = null;
    const { dispatch } = setup({
      'jobs.list': (input) => {
        seen = input;
        return [];
      },
    });
    const result = await dispatch('jobs.list', { limit: 5 }, { transport: 'test' });
    expect(result).toEqual({ ok: true, value: [] });
    expect(seen).toEqual({ limit: 5 });
  });

  it('keeps the code of a thrown AppError', async () => {
    const { dispatch, sink } = setup({
      'credits.get': () => {
        throw new AppError('NO_CREDITS', 'Top up.', { balance: 0 });
      },
    });
    const result = await dispatch('credits.get', {}, { transport: 'test' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'NO_CREDITS', message: 'Top up.', details: { balance: 0 } },
    });
    expect(sink.entries.filter((entry) => entry.level === 'error')).toHaveLength(0);
  });

  it('turns anything else into INTERNAL, hides the message and logs it', async () => {
    const { dispatch, sink } = setup({
      'app.info': () => {
        throw new TypeError('secret internals');
      },
    });
    const result = await dispatch('app.info', {}, { transport: 'test' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INTERNAL');
    expect(result.error.message).not.toContain('secret internals');
    expect(sink.entries.some((entry) => entry.level === 'error' && entry.message.includes('app.info'))).toBe(
      true,
    );
  });

  it('treats a missing input as an empty object', async () => {
    const { dispatch } = setup();
    const result = await dispatch('app.info', undefined, { transport: 'test' });
    expect(result.ok).toBe(true);
  });
});
