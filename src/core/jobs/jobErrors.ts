import { isAppError, type WireError } from '@shared/ipc/result';
import type { KieTaskInfo } from '../kie/types';

/**
 * The deadline passed without the image. Resumable: the job is looked at again at the next
 * start and on any callback, and the message never suggests sending the prompt again.
 */
export function timedOut(info: KieTaskInfo | null, lastError: WireError | null): WireError {
  if (info?.state === 'success') {
    return {
      code: 'UPSTREAM',
      message:
        'KIE reports this image as finished but has not given its link yet. Banana Studio keeps checking; do not send it again (it is paid).',
      details: { reason: 'success-without-url' },
    };
  }
  return {
    code: 'TIMEOUT',
    message: 'KIE did not finish in time. Banana Studio looks again at the next start; do not send it again.',
    ...(lastError ? { details: { lastCode: lastError.code } } : {}),
  };
}

/** The app stopped between sending createTask and reading its answer. */
export function unknownOutcome(): WireError {
  return {
    code: 'UNKNOWN_OUTCOME',
    message: 'Banana Studio stopped before KIE answered; the task may already exist and be charged.',
  };
}

export function toWireError(error: unknown): WireError {
  if (isAppError(error)) return error.toWire();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
