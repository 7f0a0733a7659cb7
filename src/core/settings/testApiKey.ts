import type { ApiKeyTest } from '@shared/ipc/contract';
import { AppError, isAppError } from '@shared/ipc/result';
import { KieClient } from '../kie/client';
import type { Logger } from '../log/logger';

export interface ApiKeyTestOptions {
  apiBaseUrl: string;
  uploadBaseUrl: string;
  log: Logger;
  /** Short: the user is waiting on the button. */
  timeoutMs?: number;
}

/**
 * "Test key": reads the credit balance with `apiKey` from the configured KIE. One attempt, no
 * retries, so a wrong key or an unreachable KIE is reported at once and exactly (UNAUTHORIZED,
 * OFFLINE, TIMEOUT, …). The key is only used for this request: nothing is saved.
 */
export async function testApiKey(apiKey: string | null, options: ApiKeyTestOptions): Promise<ApiKeyTest> {
  if (apiKey === null) {
    return {
      ok: false,
      error: new AppError('UNAUTHORIZED', 'No KIE API key is set.', { reason: 'missing-key' }).toWire(),
    };
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  const client = new KieClient({
    apiBaseUrl: options.apiBaseUrl,
    uploadBaseUrl: options.uploadBaseUrl,
    getApiKey: async () => apiKey,
    log: options.log,
    timeoutMs: { api: timeoutMs, upload: timeoutMs },
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  });
  try {
    const balance = await client.credits();
    options.log.info('API key test passed', { balance });
    return { ok: true, balance };
  } catch (error) {
    const wire = isAppError(error)
      ? error.toWire()
      : { code: 'INTERNAL' as const, message: error instanceof Error ? error.message : String(error) };
    options.log.info('API key test failed', { code: wire.code });
    return { ok: false, error: wire };
  }
}
