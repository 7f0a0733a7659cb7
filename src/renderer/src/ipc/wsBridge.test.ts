import { describe, expect, it } from 'vitest';
import { createWsBridge, type SocketFactory } from './wsBridge';

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
}

function setup() {
  const sockets: FakeSocket[] = [];
  const factory: SocketFactory = () => {
    const socket = new FakeSocket();
    sockets.push(socket);
    return socket;
  };
  const states: string[] = [];
  const bridge = createWsBridge('ws://127.0.0.1/bridge?token=t', {
    socket: factory,
    onState: (s) => states.push(s),
  });
  return { bridge, sockets, states };
}

describe('createWsBridge', () => {
  it('queues requests until open and matches responses by id', async () => {
    const { bridge, sockets } = setup();
    const pending = bridge.request('app.info', {});
    const socket = sockets[0] as FakeSocket;
    expect(socket.sent).toEqual([]);
    socket.open();
    const sent = JSON.parse(socket.sent[0] ?? '{}') as { id: number; route: string };
    expect(sent).toMatchObject({ t: 'req', route: 'app.info' });
    socket.onmessage?.({ data: JSON.stringify({ t: 'res', id: sent.id, result: { ok: true, value: 1 } }) });
    await expect(pending).resolves.toEqual({ ok: true, value: 1 });
  });

  it('passes events to listeners and ignores junk', () => {
    const { bridge, sockets } = setup();
    const seen: unknown[] = [];
    bridge.onEvent((name, payload) => seen.push([name, payload]));
    const socket = sockets[0] as FakeSocket;
    socket.open();
    socket.onmessage?.({ data: 'not json' });
    socket.onmessage?.({ data: JSON.stringify({ t: 'evt', name: 'job.updated', payload: { id: 'j' } }) });
    expect(seen).toEqual([['job.updated', { id: 'j' }]]);
  });

  it('answers in-flight requests with OFFLINE when the socket drops, and never replays them', async () => {
    const { bridge, sockets, states } = setup();
    const socket = sockets[0] as FakeSocket;
    const queued = bridge.request('jobs.submit', {});
    socket.close();
    await expect(queued).resolves.toMatchObject({ ok: false, error: { code: 'OFFLINE' } });
    expect(states).toContain('closed');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const second = sockets[1] as FakeSocket;
    second.open();
    expect(second.sent).toEqual([]);
  });
});
