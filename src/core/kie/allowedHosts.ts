import { AppError } from '@shared/ipc/result';

/**
 * The only hosts the saved KIE key is ever sent to: KIE's API and its file-upload host (both
 * https, default port). docs.kie.ai also shows uploads under api.kie.ai, which is the same host.
 */
export const KIE_KEY_HOSTS = ['api.kie.ai', 'kieai.redpandaai.co'] as const;

/** The built-in simulator (Demo mode, tests) listens on 127.0.0.1; nothing else on loopback. */
const SIMULATOR_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]']);

/**
 * Whether a KIE base URL may receive `Authorization: Bearer <key>`. A settings file, a hostile
 * page on the bridge or a typo must not be able to send the key to a host of its choosing.
 */
export function mayReceiveApiKey(baseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (SIMULATOR_HOSTS.has(url.hostname)) return url.protocol === 'http:' || url.protocol === 'https:';
  return (
    url.protocol === 'https:' &&
    url.port === '' &&
    (KIE_KEY_HOSTS as readonly string[]).includes(url.hostname)
  );
}

/** Thrown before any request is made, so the key never leaves. */
export function keyHostNotAllowed(baseUrl: string, message?: string): AppError {
  let host = '';
  try {
    host = new URL(baseUrl).host;
  } catch {
    // Not a URL: the message names no host.
  }
  return new AppError(
    'VALIDATION',
    message ??
      `Banana Studio sends your KIE key only to KIE's own servers (${KIE_KEY_HOSTS.join(', ')}), not to ${host || 'this address'}.`,
    { reason: 'kie-host-not-allowed', host, allowedHosts: [...KIE_KEY_HOSTS] },
  );
}
