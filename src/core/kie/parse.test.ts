import { describe, expect, it } from 'vitest';
import {
  extractResultUrls,
  extractTaskId,
  normalizeState,
  parseCallbackBody,
  parseEnvelope,
  parseTaskInfo,
} from './parse';

const URL_A = 'https://tempfile.aiquickdraw.com/p/a.png';
const URL_B = 'https://cdn.example.com/b.jpg';

describe('extractTaskId: every known key, top level or under data', () => {
  it.each([
    [{ taskId: 't1' }, 't1'],
    [{ task_id: 't2' }, 't2'],
    [{ job_id: 't3' }, 't3'],
    [{ jobId: 't4' }, 't4'],
    [{ id: 't5' }, 't5'],
    [{ data: { taskId: 't6' } }, 't6'],
    [{ code: 200, data: { task_id: 't7' } }, 't7'],
    [{ data: { id: 12345 } }, '12345'],
    [{ taskId: '  t8  ' }, 't8'],
    [{ taskId: '' }, null],
    [{ nothing: true }, null],
    [null, null],
    ['t9', null],
    [[{ taskId: 'x' }], null],
  ])('%j → %s', (body, expected) => expect(extractTaskId(body)).toBe(expected));
});

describe('normalizeState: every status word', () => {
  it.each([
    ['completed', 'success'],
    ['success', 'success'],
    ['succeeded', 'success'],
    ['SUCCESS', 'success'],
    ['failed', 'fail'],
    ['fail', 'fail'],
    ['error', 'fail'],
    ['processing', 'generating'],
    ['running', 'generating'],
    ['generating', 'generating'],
    ['pending', 'waiting'],
    ['waiting', 'waiting'],
    ['queuing', 'queuing'],
    ['queued', 'queuing'],
    ['exploded', null],
    [42, null],
    [undefined, null],
  ])('%j → %s', (word, expected) => expect(normalizeState(word)).toBe(expected));
});

describe('extractResultUrls: every place and shape', () => {
  it.each([
    ['resultJson as a JSON string', { resultJson: JSON.stringify({ resultUrls: [URL_A] }) }, [URL_A]],
    ['resultJson as an object', { resultJson: { resultUrls: [URL_A, URL_B] } }, [URL_A, URL_B]],
    ['resultUrls at the top', { resultUrls: [URL_A] }, [URL_A]],
    ['output as a string', { output: URL_A }, [URL_A]],
    ['output as an array', { output: [URL_A, URL_B] }, [URL_A, URL_B]],
    ['result.image_url string', { result: { image_url: URL_A } }, [URL_A]],
    ['result.imageUrl array', { result: { imageUrl: [URL_A] } }, [URL_A]],
    ['result.url', { result: { url: URL_B } }, [URL_B]],
    ['output list of {url}', { output: [{ url: URL_A }, { url: URL_B }] }, [URL_A, URL_B]],
    ['image_url at the top', { image_url: URL_A }, [URL_A]],
    ['imageUrl array at the top', { imageUrl: [URL_A] }, [URL_A]],
    ['nested under data', { data: { resultJson: JSON.stringify({ resultUrls: [URL_B] }) } }, [URL_B]],
    ['duplicates removed, order kept', { resultUrls: [URL_B, URL_A, URL_B] }, [URL_B, URL_A]],
    ['non-http ignored', { resultUrls: ['javascript:alert(1)', 'file:///etc/passwd', URL_A] }, [URL_A]],
    ['broken resultJson', { resultJson: '{"resultUrls": [' }, []],
    ['nothing', { state: 'success' }, []],
  ])('%s', (_name, body, expected) => expect(extractResultUrls(body)).toEqual(expected));
});

describe('parseTaskInfo: recordInfo data', () => {
  it('reads the documented shape', () => {
    const info = parseTaskInfo({
      taskId: 'task_12345678',
      model: 'google/nano-banana',
      state: 'success',
      param: '{"model":"google/nano-banana","input":{"prompt":"x"}}',
      resultJson: JSON.stringify({ resultUrls: [URL_A] }),
      failCode: '',
      failMsg: '',
      costTime: 15000,
      completeTime: 1698765432000,
      createTime: 1698765400000,
    });
    expect(info).toEqual({
      taskId: 'task_12345678',
      model: 'google/nano-banana',
      state: 'success',
      resultUrls: [URL_A],
      failCode: null,
      failMsg: null,
      creditsConsumed: null,
      createTime: 1698765400000,
      completeTime: 1698765432000,
      request: { model: 'google/nano-banana', callBackUrl: null, input: { prompt: 'x' } },
    });
  });

  it('reads the recorded request, with `input` as an object or as a JSON string inside `param`', () => {
    const nested = parseTaskInfo({
      taskId: 't',
      state: 'waiting',
      param: JSON.stringify({
        model: 'nano-banana-pro',
        callBackUrl: 'https://x.example/kie/callback/abc?job=j1',
        input: JSON.stringify({ prompt: 'p', image_input: ['https://u/1.png'] }),
      }),
    });
    expect(nested.request).toEqual({
      model: 'nano-banana-pro',
      callBackUrl: 'https://x.example/kie/callback/abc?job=j1',
      input: { prompt: 'p', image_input: ['https://u/1.png'] },
    });
    expect(parseTaskInfo({ taskId: 't', state: 'waiting', param: '{not json' }).request).toBeNull();
    expect(parseTaskInfo({ taskId: 't', state: 'waiting' }).request).toBeNull();
  });

  it('reads a failure with its reason', () => {
    const info = parseTaskInfo({
      task_id: 't',
      status: 'failed',
      failCode: '400',
      failMsg: 'sensitive content',
    });
    expect(info).toMatchObject({
      state: 'fail',
      failCode: '400',
      failMsg: 'sensitive content',
      resultUrls: [],
    });
  });

  it('takes the seed variants: job id key, status word, output', () => {
    expect(parseTaskInfo({ jobId: 'j', status: 'completed', output: [URL_B] })).toMatchObject({
      taskId: 'j',
      state: 'success',
      resultUrls: [URL_B],
    });
  });

  it('does not offer result URLs before success', () => {
    expect(parseTaskInfo({ taskId: 't', state: 'generating', resultUrls: [URL_A] }).resultUrls).toEqual([]);
  });

  it.each([[null], ['text'], [{ taskId: 't' }], [{ state: 'success' }], [{ taskId: 't', state: 'melting' }]])(
    'refuses %j with a clear UPSTREAM error',
    (data) => expect(() => parseTaskInfo(data)).toThrow(expect.objectContaining({ code: 'UPSTREAM' })),
  );
});

describe('parseCallbackBody', () => {
  it('reads the documented callback (param.input as a JSON string inside a JSON string)', () => {
    const body = {
      code: 200,
      msg: 'Playground task completed successfully.',
      data: {
        taskId: 'bf5a9851',
        model: 'google/nano-banana-edit',
        state: 'success',
        param: JSON.stringify({
          input: JSON.stringify({ prompt: 'x' }),
          callBackUrl: 'https://h/cb',
          model: 'm',
        }),
        resultJson: JSON.stringify({ resultUrls: [URL_A] }),
        creditsConsumed: 3,
      },
    };
    expect(parseCallbackBody(body)).toEqual({ taskId: 'bf5a9851', state: 'success' });
    expect(parseTaskInfo(body.data).creditsConsumed).toBe(3);
  });

  it('reads task id and state at the top level', () => {
    expect(parseCallbackBody({ task_id: 'top', status: 'failed' })).toEqual({ taskId: 'top', state: 'fail' });
  });

  it('returns null without a task id', () => {
    expect(parseCallbackBody({ code: 200, data: {} })).toBeNull();
  });
});

describe('parseEnvelope', () => {
  it.each([
    ['{"code":200,"msg":"success","data":{"taskId":"t"}}', 200, 'success'],
    ['{"code":"401","msg":"unauthorized","data":null}', 401, 'unauthorized'],
    [
      '{"success":true,"code":200,"msg":"File uploaded successfully","data":{}}',
      200,
      'File uploaded successfully',
    ],
    ['{"success":false,"message":"bad","data":null}', 500, 'bad'],
  ])('%s', (text, code, msg) => expect(parseEnvelope(text)).toMatchObject({ code, msg }));

  it.each(['<html>502</html>', '', '[1,2]', 'null'])('refuses %j', (text) =>
    expect(() => parseEnvelope(text)).toThrow(expect.objectContaining({ code: 'UPSTREAM' })),
  );
});
