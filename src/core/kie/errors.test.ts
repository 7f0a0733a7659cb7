import { describe, expect, it } from 'vitest';
import { kieErrorFromResponse, taskFailureError } from './errors';

describe('kieErrorFromResponse', () => {
  it.each([
    [400, 'BAD_REQUEST', /refused the request as invalid: prompt too long/],
    [401, 'UNAUTHORIZED', /key was rejected/],
    [402, 'NO_CREDITS', /credits/],
    [404, 'NOT_FOUND', /does not know/],
    [408, 'TIMEOUT', /10 minutes/],
    [422, 'VALIDATION', /refused the request: prompt too long/],
    [429, 'RATE_LIMITED', /rate limiting/],
    [433, 'KEY_LIMIT', /usage limit set for it \(not the credit balance\)/],
    [455, 'MAINTENANCE', /maintenance/],
    [500, 'UPSTREAM', /server error/],
    [501, 'GENERATION_FAILED', /could not generate/],
    [505, 'FEATURE_DISABLED', /disabled/],
    [503, 'UPSTREAM', /server error/],
    [418, 'UPSTREAM', /unexpected error \(418\)/],
  ])('envelope code %i → %s', (code, appCode, message) => {
    const error = kieErrorFromResponse({ httpStatus: 200, code, msg: 'prompt too long' });
    expect(error.code).toBe(appCode);
    expect(error.message).toMatch(message);
    expect(error.details).toMatchObject({ kieCode: code, kieMessage: 'prompt too long' });
  });

  it('uses the HTTP status when the body has no envelope code', () => {
    expect(kieErrorFromResponse({ httpStatus: 502, code: null, msg: null }).code).toBe('UPSTREAM');
    expect(kieErrorFromResponse({ httpStatus: 401, code: null, msg: null }).code).toBe('UNAUTHORIZED');
  });

  it('an HTTP 200 carrying code 401 is still an error', () => {
    expect(kieErrorFromResponse({ httpStatus: 200, code: 401, msg: 'Unauthorized' }).code).toBe(
      'UNAUTHORIZED',
    );
  });

  it('keeps Retry-After on a 429', () => {
    expect(
      kieErrorFromResponse({ httpStatus: 429, code: null, msg: null, retryAfterMs: 3000 }).details,
    ).toMatchObject({
      retryAfterMs: 3000,
    });
  });
});

describe('taskFailureError', () => {
  it.each([
    ['400', 'anything', 'CONTENT_REJECTED'],
    [null, 'The content was rejected by the safety filter.', 'CONTENT_REJECTED'],
    [null, 'Prompt violates our usage policy', 'CONTENT_REJECTED'],
    ['500', 'NSFW content detected', 'CONTENT_REJECTED'],
    [null, '图片包含敏感内容', 'CONTENT_REJECTED'],
    [null, '内容违规', 'CONTENT_REJECTED'],
    ['501', 'Image generation failed, please try again.', 'GENERATION_FAILED'],
    [null, null, 'GENERATION_FAILED'],
  ])('failCode %s, %j → %s', (failCode, failMsg, code) => {
    const error = taskFailureError(failCode, failMsg);
    expect(error.code).toBe(code);
    if (failMsg) expect(error.details?.['kieMessage']).toBe(failMsg);
  });
});
