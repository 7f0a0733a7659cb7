import { describe, expect, it } from 'vitest';
import { createWsBridge, type ConnectionState, type Scheduler, type SocketFactory } from './wsBridge';

class FakeSocket {
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  answer(result: unknown) {
    for (const text of this.sent.splice(0)) {
      const { id } = JSON.parse(text) as { id: number };
      this.onmessage?.({ data: JSON.stringify({ t: 'res', id, result }) });
    }
  }
}

/** Timers by hand: the test says when the back-off has passed. */
function manualClock() {
  const timers: { run: () => void; ms: number; cancelled: boolean }[] = [];
  const schedule: Scheduler = (run, ms) => {
    const timer = { run, ms, cancelled: false };
    timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };
  const live = () => timers.filter((timer) => !timer.cancelled);
  return {
    schedule,
    delays: () => timers.map((timer) => timer.ms),
    live,
    fire() {
      const next = live()[0];
      if (!next) throw new Error('no timer is due');
      next.cancelled = true;
      next.run();
    },
  };
}

function setup(options: { downAfter?: number } = {}) {
  const sockets: FakeSocket[] = [];
  const factory: SocketFactory = () => {
    const socket = new FakeSocket();
    sockets.push(socket);
    return socket;
  };
  const states: ConnectionState[] = [];
  const clock = manualClock();
  const bridge = createWsBridge('ws://127.0.0.1/bridge?token=t', {
    socket: factory,
    onState: (s) => states.push(s),
    schedule: clock.schedule,
    downAfter: options.downAfter,
  });
  const last = () => sockets.at(-1) as FakeSocket;
  return { bridge, sockets, states, clock, last };
}

describe('createWsBridge', () => {
  it('queues the first requests until open and matches responses by id', async () => {
    const { bridge, last, states } = setup();
    const pending = bridge.request('app.info', {});
    expect(last().sent).toEqual([]);
    last().open();
    const sent = JSON.parse(last().sent[0] ?? '{}') as { id: number; route: string };
    expect(sent).toMatchObject({ t: 'req', route: 'app.info' });
    last().onmessage?.({ data: JSON.stringify({ t: 'res', id: sent.id, result: { ok: true, value: 1 } }) });
    await expect(pending).resolves.toEqual({ ok: true, value: 1 });
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('passes events to listeners and ignores junk', () => {
    const { bridge, last } = setup();
    const seen: unknown[] = [];
    bridge.onEvent((name, payload) => seen.push([name, payload]));
    last().open();
    last().onmessage?.({ data: 'not json' });
    last().onmessage?.({ data: JSON.stringify({ t: 'evt', name: 'job.updated', payload: { id: 'j' } }) });
    expect(seen).toEqual([['job.updated', { id: 'j' }]]);
  });

  it('answers in-flight requests with a clear OFFLINE error when the socket drops, and never replays them', async () => {
    const { bridge, sockets, states, clock } = setup();
    const first = sockets[0] as FakeSocket;
    first.open();
    const inFlight = bridge.request('jobs.submit', {});
    first.close();
    await expect(inFlight).resolves.toMatchObject({
      ok: false,
      error: { code: 'OFFLINE', details: { reason: 'bridge-lost' } },
    });
    expect(states.at(-1)).toBe('reconnecting');
    clock.fire();
    const second = sockets[1] as FakeSocket;
    second.open();
    expect(second.sent).toEqual([]);
  });

  it('while the bridge is gone, a new request fails at once instead of waiting to be sent later', async () => {
    const { bridge, last, clock } = setup();
    last().open();
    last().close();
    await expect(bridge.request('jobs.submit', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'OFFLINE', details: { reason: 'bridge-down' } },
    });
    // Also during the next try, before it opens.
    clock.fire();
    await expect(bridge.request('jobs.submit', {})).resolves.toMatchObject({
      error: { details: { reason: 'bridge-down' } },
    });
    expect(last().sent).toEqual([]);
  });

  it('reconnects by itself with back-off capped at 5 s, then is connected again', async () => {
    const { bridge, sockets, states, clock, last } = setup({ downAfter: 4 });
    last().open();
    last().close();
    for (let attempt = 0; attempt < 6; attempt += 1) {
      clock.fire();
      last().close();
    }
    expect(clock.delays()).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'down']);
    clock.fire();
    last().open();
    expect(states.at(-1)).toBe('connected');
    expect(sockets).toHaveLength(8);
    // The back-off starts over, and requests and events work on the new socket.
    const seen: string[] = [];
    bridge.onEvent((name) => seen.push(name));
    const answer = bridge.request('app.info', {});
    last().answer({ ok: true, value: 2 });
    await expect(answer).resolves.toEqual({ ok: true, value: 2 });
    last().onmessage?.({ data: JSON.stringify({ t: 'evt', name: 'queue.changed', payload: {} }) });
    expect(seen).toEqual(['queue.changed']);
    last().close();
    expect(clock.delays().at(-1)).toBe(500);
  });

  it('"Reconnect now" tries at once and cancels the pending try', () => {
    const { bridge, sockets, clock, last } = setup();
    last().open();
    last().close();
    expect(clock.live()).toHaveLength(1);
    bridge.reconnectNow();
    expect(sockets).toHaveLength(2);
    expect(clock.live()).toHaveLength(0);
    // A second press while that try is still opening starts no third socket.
    bridge.reconnectNow();
    expect(sockets).toHaveLength(2);
    last().open();
    bridge.reconnectNow();
    expect(sockets).toHaveLength(2);
  });

  it('events from an old socket are ignored once a new one is in use', () => {
    const { bridge, sockets, clock, last } = setup();
    const seen: string[] = [];
    bridge.onEvent((name) => seen.push(name));
    const first = sockets[0] as FakeSocket;
    first.open();
    first.close();
    clock.fire();
    last().open();
    first.onmessage?.({ data: JSON.stringify({ t: 'evt', name: 'stale', payload: {} }) });
    expect(seen).toEqual([]);
  });

  it('close stops the tries', async () => {
    const { bridge, sockets, clock, last } = setup();
    last().open();
    bridge.close();
    expect(clock.live()).toHaveLength(0);
    await expect(bridge.request('app.info', {})).resolves.toMatchObject({ ok: false });
    expect(sockets).toHaveLength(1);
  });
});
