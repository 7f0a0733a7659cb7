import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { callbackTrafficPolicy, TunnelManager, type TunnelSession, type TunnelStatus } from './manager';

/** A stand-in for ngrok's cloud: each open() hands out a URL, or fails while `failing` is set. */
function fakeSession() {
  const state = {
    failing: 0,
    opened: [] as { authtoken: string; addr: string; trafficPolicy: string }[],
    drop: (): void => undefined,
    closed: 0,
  };
  const session: TunnelSession = {
    async open(options) {
      if (state.failing > 0) {
        state.failing -= 1;
        throw new Error('failed to connect to ngrok');
      }
      state.opened.push({
        authtoken: options.authtoken,
        addr: options.addr,
        trafficPolicy: options.trafficPolicy,
      });
      state.drop = () => options.onStatusChange('closed');
      const n = state.opened.length;
      return { url: `https://tunnel-${n}.ngrok.test`, close: async () => void (state.closed += 1) };
    },
  };
  return { session, state };
}

function setup() {
  const fake = fakeSession();
  const statuses: TunnelStatus[] = [];
  const manager = new TunnelManager({
    session: async () => fake.session,
    localUrl: 'http://127.0.0.1:41234',
    callbackPath: '/kie/callback/abc',
    log: createLogger({ sinks: [] }),
    onStatus: (status) => statuses.push(status),
    now: () => new Date('2026-11-25T00:00:00Z'),
    backoff: { initialMs: 1, maxMs: 4 },
  });
  return { manager, fake, statuses };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('TunnelManager', () => {
  it('off: no public URL, jobs are polled', async () => {
    const { manager } = setup();
    await manager.configure({ mode: 'off', authtoken: null, manualUrl: '' });
    expect(manager.publicCallbackUrl()).toBeNull();
    expect(manager.current()).toMatchObject({ mode: 'off', state: 'off' });
  });

  it('manual: uses the given URL plus the token path', async () => {
    const { manager } = setup();
    await manager.configure({ mode: 'manual', authtoken: null, manualUrl: 'https://hooks.example.com/' });
    expect(manager.publicCallbackUrl()).toBe('https://hooks.example.com/kie/callback/abc');
  });

  it('manual: refuses a URL that is not http(s)', async () => {
    const { manager } = setup();
    await manager.configure({ mode: 'manual', authtoken: null, manualUrl: 'ftp://x' });
    expect(manager.current()).toMatchObject({ state: 'error', publicUrl: null });
    expect(manager.publicCallbackUrl()).toBeNull();
  });

  it('ngrok without an authtoken says so', async () => {
    const { manager } = setup();
    await manager.configure({ mode: 'ngrok', authtoken: null, manualUrl: '' });
    expect(manager.current()).toMatchObject({
      state: 'error',
      lastError: expect.stringMatching(/authtoken/),
    });
  });

  it('ngrok: up → dropped → reconnected, with the URL only handed out while up', async () => {
    const { manager, fake, statuses } = setup();
    await manager.configure({ mode: 'ngrok', authtoken: 'tok', manualUrl: '' });
    await until(() => manager.current().state === 'up');
    expect(manager.publicCallbackUrl()).toBe('https://tunnel-1.ngrok.test/kie/callback/abc');
    expect(fake.state.opened[0]).toMatchObject({ authtoken: 'tok', addr: '127.0.0.1:41234' });

    fake.state.failing = 2;
    fake.state.drop();
    await until(() => statuses.some((status) => status.state === 'reconnecting'));
    await until(() => manager.current().state === 'up');
    expect(manager.publicCallbackUrl()).toBe('https://tunnel-2.ngrok.test/kie/callback/abc');
    expect(statuses.filter((status) => status.state === 'reconnecting').length).toBeGreaterThanOrEqual(2);
    expect(statuses.some((status) => status.state === 'reconnecting' && status.publicUrl !== null)).toBe(
      false,
    );
    await manager.dispose();
    expect(fake.state.closed).toBe(2);
  });

  it('switching modes closes the old tunnel', async () => {
    const { manager, fake } = setup();
    await manager.configure({ mode: 'ngrok', authtoken: 'tok', manualUrl: '' });
    await until(() => manager.current().state === 'up');
    await manager.configure({ mode: 'off', authtoken: null, manualUrl: '' });
    expect(fake.state.closed).toBe(1);
    expect(manager.publicCallbackUrl()).toBeNull();
  });

  it('records when the last callback came', () => {
    const { manager } = setup();
    manager.noteCallback();
    expect(manager.current().lastCallbackAt).toBe('2026-11-25T00:00:00.000Z');
  });

  it('the traffic policy only lets GET/POST to the callback path through', () => {
    const policy = JSON.parse(callbackTrafficPolicy('/kie/callback/abc')) as {
      on_http_request: { expressions: string[]; actions: { type: string }[] }[];
    };
    expect(policy.on_http_request[0]?.expressions[0]).toContain("req.url.path == '/kie/callback/abc'");
    expect(policy.on_http_request[0]?.expressions[0]).toContain("req.method in ['GET', 'POST']");
    expect(policy.on_http_request[0]?.actions[0]?.type).toBe('deny');
  });
});
