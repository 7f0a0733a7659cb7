import type { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { Bridge } from '@shared/ipc/bridge';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 42 })),
  emitter: null as EventEmitter | null,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  electron.emitter = new Emitter();
  return {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
    ipcRenderer: Object.assign(electron.emitter, { invoke: electron.invoke }),
  };
});

await import('./index');
const emitter = electron.emitter as EventEmitter;
const bridge = electron.exposed.get('bridge') as Bridge;

describe('preload', () => {
  it('exposes exactly one key, bridge, with request and onEvent', () => {
    expect([...electron.exposed.keys()]).toEqual(['bridge']);
    expect(Object.keys(bridge).sort()).toEqual(['onEvent', 'request']);
  });

  it('never hands out ipcRenderer itself', () => {
    for (const value of Object.values(bridge)) expect(value).not.toBe(emitter);
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);
  });

  it('forwards a request on the request channel and returns the reply', async () => {
    await expect(bridge.request('app.info', { x: 1 })).resolves.toEqual({ ok: true, value: 42 });
    expect(electron.invoke).toHaveBeenCalledWith('banana:request', 'app.info', { x: 1 });
  });

  it('delivers events without the IPC event object, and unsubscribes', () => {
    const listener = vi.fn();
    const unsubscribe = bridge.onEvent(listener);
    const ipcEvent = { sender: emitter, senderId: 0 };

    emitter.emit('banana:event', ipcEvent, 'job.updated', { id: 'j1' });
    expect(listener).toHaveBeenCalledExactlyOnceWith('job.updated', { id: 'j1' });

    emitter.emit('banana:other', ipcEvent, 'job.updated', { id: 'j2' });
    expect(listener).toHaveBeenCalledTimes(1);

    unsubscribe();
    expect(emitter.listenerCount('banana:event')).toBe(0);
    emitter.emit('banana:event', ipcEvent, 'job.updated', { id: 'j3' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('keeps separate subscriptions independent', () => {
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribeFirst = bridge.onEvent(first);
    const unsubscribeSecond = bridge.onEvent(second);
    unsubscribeFirst();
    emitter.emit('banana:event', {}, 'credits.changed', {});
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledOnce();
    unsubscribeSecond();
  });
});
