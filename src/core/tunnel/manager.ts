import type { Logger } from '../log/logger';

import type { TunnelMode, TunnelStatus } from '@shared/domain/tunnel';

export type { TunnelMode, TunnelStatus };

export interface TunnelHandle {
  url: string;
  close(): Promise<void>;
}

/**
 * What the manager needs from ngrok. The real implementation (ngrokSession.ts) wraps the
 * @ngrok/ngrok SDK; tests use a fake, since ngrok's cloud is out of reach here.
 */
export interface TunnelSession {
  open(options: {
    authtoken: string;
    /** Local address to forward to, e.g. 127.0.0.1:41234 */
    addr: string;
    trafficPolicy: string;
    /** 'connected' | 'closed', from the SDK. */
    onStatusChange(status: string): void;
  }): Promise<TunnelHandle>;
}

export interface TunnelConfig {
  mode: TunnelMode;
  authtoken: string | null;
  manualUrl: string;
}

export interface TunnelManagerDeps {
  session: () => Promise<TunnelSession>;
  /** The local callback server, e.g. http://127.0.0.1:41234, and the token path. */
  localUrl: string;
  callbackPath: string;
  log: Logger;
  onStatus(status: TunnelStatus): void;
  now(): Date;
  backoff?: { initialMs: number; maxMs: number };
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Only GET/POST to the callback path pass the tunnel; everything else is refused at ngrok's edge. */
export function callbackTrafficPolicy(callbackPath: string): string {
  return JSON.stringify({
    on_http_request: [
      {
        expressions: [`!(req.url.path == '${callbackPath}' && req.method in ['GET', 'POST'])`],
        actions: [{ type: 'deny', config: { status_code: 404 } }],
      },
    ],
  });
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Keeps the public callback URL alive in the chosen mode. The URL is only handed out while the
 * tunnel is up; jobs submitted without one are simply polled.
 */
export class TunnelManager {
  private status: TunnelStatus;
  private handle: TunnelHandle | null = null;
  private run: AbortController | null = null;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly deps: TunnelManagerDeps) {
    this.status = { mode: 'off', state: 'off', publicUrl: null, lastError: null, lastCallbackAt: null };
    this.backoff = deps.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
    this.sleep = deps.sleep ?? defaultSleep;
  }

  current(): TunnelStatus {
    return this.status;
  }

  /** The URL to give KIE as callBackUrl, or null when no tunnel is up. */
  publicCallbackUrl(): string | null {
    if (this.status.state !== 'up' || !this.status.publicUrl) return null;
    return `${this.status.publicUrl.replace(/\/+$/, '')}${this.deps.callbackPath}`;
  }

  noteCallback(): void {
    this.update({ lastCallbackAt: this.deps.now().toISOString() });
  }

  /** Applies a new configuration: tears the old tunnel down and brings the new one up. */
  async configure(config: TunnelConfig): Promise<void> {
    await this.stop();
    if (config.mode === 'off') {
      this.update({ mode: 'off', state: 'off', publicUrl: null, lastError: null });
      return;
    }
    if (config.mode === 'manual') {
      const url = config.manualUrl.trim();
      if (!/^https?:\/\//i.test(url)) {
        this.update({
          mode: 'manual',
          state: 'error',
          publicUrl: null,
          lastError: 'Enter a public http(s) URL.',
        });
        return;
      }
      this.update({ mode: 'manual', state: 'up', publicUrl: url.replace(/\/+$/, ''), lastError: null });
      return;
    }
    if (!config.authtoken) {
      this.update({ mode: 'ngrok', state: 'error', publicUrl: null, lastError: 'Add your ngrok authtoken.' });
      return;
    }
    const run = new AbortController();
    this.run = run;
    this.update({ mode: 'ngrok', state: 'connecting', publicUrl: null, lastError: null });
    void this.keepNgrokUp(config.authtoken, run.signal);
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private async stop(): Promise<void> {
    this.run?.abort();
    this.run = null;
    const handle = this.handle;
    this.handle = null;
    if (handle)
      await handle
        .close()
        .catch((error: unknown) => this.deps.log.warn('Closing the tunnel failed', { error }));
  }

  /** Opens the ngrok listener and re-opens it with backoff whenever it fails or drops. */
  private async keepNgrokUp(authtoken: string, signal: AbortSignal): Promise<void> {
    let delay = this.backoff.initialMs;
    while (!signal.aborted) {
      try {
        const session = await this.deps.session();
        let dropped: () => void = () => undefined;
        const closed = new Promise<void>((resolve) => {
          dropped = resolve;
        });
        const handle = await session.open({
          authtoken,
          addr: this.deps.localUrl.replace(/^https?:\/\//, ''),
          trafficPolicy: callbackTrafficPolicy(this.deps.callbackPath),
          onStatusChange: (status) => {
            if (status === 'closed') dropped();
            if (status === 'connected' && this.handle)
              this.update({ state: 'up', publicUrl: this.handle.url, lastError: null });
          },
        });
        if (signal.aborted) {
          await handle.close().catch(() => undefined);
          return;
        }
        this.handle = handle;
        delay = this.backoff.initialMs;
        this.deps.log.info('Tunnel up', { url: handle.url });
        this.update({ state: 'up', publicUrl: handle.url, lastError: null });
        await Promise.race([
          closed,
          new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
        ]);
        if (signal.aborted) return;
        this.deps.log.warn('Tunnel dropped; reconnecting');
        this.handle = null;
        await handle.close().catch(() => undefined);
        this.update({ state: 'reconnecting', publicUrl: null, lastError: 'The tunnel connection was lost.' });
      } catch (error) {
        if (signal.aborted) return;
        const message = error instanceof Error ? error.message : String(error);
        this.deps.log.warn('Tunnel failed to start', { message, retryInMs: delay });
        this.update({ state: 'reconnecting', publicUrl: null, lastError: message });
      }
      await this.sleep(delay, signal);
      delay = Math.min(this.backoff.maxMs, delay * 2);
    }
  }

  private update(patch: Partial<TunnelStatus>): void {
    this.status = { ...this.status, ...patch };
    this.deps.onStatus(this.status);
  }
}
