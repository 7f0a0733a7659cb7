import { AppError } from '@shared/ipc/result';

export interface KieFailure {
  httpStatus: number;
  /** The envelope's `code` (KIE may answer HTTP 200 with an error code inside). */
  code: number | null;
  msg: string | null;
  retryAfterMs?: number | null;
}

/**
 * KIE's error codes as AppErrors with plain-language English messages (for logs; the UI
 * translates by code). KIE's own text goes into details so nothing is lost.
 */
export function kieErrorFromResponse(failure: KieFailure): AppError {
  const code = failure.code !== null && failure.code !== 200 ? failure.code : failure.httpStatus;
  const details: Record<string, unknown> = { kieCode: code };
  if (failure.msg) details['kieMessage'] = failure.msg.slice(0, 500);
  switch (code) {
    case 400:
      return new AppError(
        'BAD_REQUEST',
        `KIE refused the request as invalid: ${failure.msg ?? 'bad request'}.`,
        details,
      );
    case 401:
      return new AppError(
        'UNAUTHORIZED',
        'The KIE API key was rejected. Check the key in Settings.',
        details,
      );
    case 402:
      return new AppError(
        'NO_CREDITS',
        'Your KIE account does not have enough credits. Top up at kie.ai.',
        details,
      );
    case 404:
      return new AppError('NOT_FOUND', 'KIE does not know this task or file.', details);
    case 408:
      return new AppError('TIMEOUT', 'KIE gave no result for over 10 minutes.', details);
    case 413:
    case 422:
      return new AppError(
        'VALIDATION',
        `KIE refused the request: ${failure.msg ?? 'invalid parameters'}.`,
        details,
      );
    case 429:
      if (failure.retryAfterMs != null) details['retryAfterMs'] = failure.retryAfterMs;
      return new AppError(
        'RATE_LIMITED',
        'KIE is rate limiting requests; waiting before trying again.',
        details,
      );
    // A sub-key over the usage limit its owner set: not the balance, and waiting does not clear it.
    case 433:
      return new AppError(
        'KEY_LIMIT',
        'This KIE key has reached the usage limit set for it (not the credit balance).',
        details,
      );
    case 455:
      return new AppError('MAINTENANCE', 'KIE is under maintenance; try again later.', details);
    case 501:
      return new AppError('GENERATION_FAILED', 'KIE could not generate this image.', details);
    case 505:
      return new AppError('FEATURE_DISABLED', 'This KIE feature is currently disabled.', details);
    default:
      if (code >= 500) return new AppError('UPSTREAM', 'KIE had a server error; try again later.', details);
      return new AppError('UPSTREAM', `KIE answered with an unexpected error (${code}).`, details);
  }
}

const SAFETY_WORDS =
  /(safety|policy|policies|sensitive|nsfw|prohibited|moderation|blocked|inappropriate|violat|not allowed|harmful|违规|敏感|审核|不允许|违反)/i;

/** A task that ended in `fail`: content-safety refusals are told apart from other failures. */
export function taskFailureError(failCode: string | null, failMsg: string | null): AppError {
  const details: Record<string, unknown> = {};
  if (failCode) details['failCode'] = failCode;
  if (failMsg) details['kieMessage'] = failMsg.slice(0, 500);
  if (failCode === '400' || (failMsg !== null && SAFETY_WORDS.test(failMsg))) {
    return new AppError(
      'CONTENT_REJECTED',
      'KIE rejected the prompt or image under its content policy.',
      details,
    );
  }
  return new AppError(
    'GENERATION_FAILED',
    `KIE could not generate this image${failMsg ? `: ${failMsg}` : '.'}`,
    details,
  );
}
