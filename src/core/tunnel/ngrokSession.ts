import type { TunnelSession } from './manager';

/**
 * The real ngrok path, kept small on purpose: the SDK is loaded on first use (it is a native
 * module) and does the forwarding; the manager owns status and reconnects.
 */
export function ngrokSession(): TunnelSession {
  return {
    async open({ authtoken, addr, trafficPolicy, onStatusChange }) {
      const ngrok = await import('@ngrok/ngrok');
      const listener = await ngrok.forward({
        addr,
        authtoken,
        proto: 'http',
        traffic_policy: trafficPolicy,
        onStatusChange,
      });
      const url = listener.url();
      if (!url) {
        await listener.close();
        throw new Error('ngrok did not return a public URL.');
      }
      return { url, close: () => listener.close() };
    },
  };
}
