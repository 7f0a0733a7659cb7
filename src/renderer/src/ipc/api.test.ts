import { describe, expect, it } from 'vitest';
import type { Bridge } from '@shared/ipc/bridge';
import { routeFixtures } from '@shared/ipc/fixtures';
import { createApi } from './api';

function fakeBridge(answer: (route: string, input: unknown) => unknown) {
  let emit: (name: string, payload: unknown) => void = () => undefined;
  const bridge: Bridge = {
    request: async (route, input) => answer(route, input),
    onEvent(listener) {
      emit = listener;
      return () => undefined;
    },
  };
  return { bridge, emit: (name: string, payload: unknown) => emit(name, payload) };
}

describe('createApi', () => {
  it('parses a good response', async () => {
    const { bridge } = fakeBridge(() => ({ ok: true, value: routeFixtures['credits.get'].output }));
    await expect(createApi(bridge).request('credits.get', {})).resolves.toEqual({
      ok: true,
      value: routeFixtures['credits.get'].output,
    });
  });

  it('passes error values through', async () => {
    const { bridge } = fakeBridge(() => ({ ok: false, error: { code: 'NO_CREDITS', message: 'Top up.' } }));
    await expect(createApi(bridge).request('credits.get', {})).resolves.toEqual({
      ok: false,
      error: { code: 'NO_CREDITS', message: 'Top up.' },
    });
  });

  it('turns a malformed response into INTERNAL', async () => {
    const { bridge } = fakeBridge(() => ({ ok: true, value: { balance: 'lots' } }));
    const result = await createApi(bridge).request('credits.get', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('turns a bridge failure into OFFLINE', async () => {
    const bridge: Bridge = {
      request: () => Promise.reject(new Error('gone')),
      onEvent: () => () => undefined,
    };
    await expect(createApi(bridge).request('app.info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'OFFLINE' },
    });
  });

  it('delivers valid events and drops malformed or unknown ones', () => {
    const { bridge, emit } = fakeBridge(() => null);
    const api = createApi(bridge);
    const seen: unknown[] = [];
    const off = api.on('credits.changed', (credits) => seen.push(credits.balance));
    emit('credits.changed', routeFixtures['credits.get'].output);
    emit('credits.changed', { balance: 'x' });
    emit('nonsense', {});
    off();
    emit('credits.changed', routeFixtures['credits.get'].output);
    expect(seen).toEqual([996]);
  });
});
