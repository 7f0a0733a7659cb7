import type { RouteInput, RouteName, RouteOutput } from './contract';

/**
 * One example input and output per route. The contract test round-trips each through JSON and
 * re-parses it; the `Record` type makes a route without a fixture a compile error.
 */
const job = {
  id: '5b0e6c1e-1d7e-4a38-9a59-7f2f1c9d0b11',
  params: {
    model: 'google/nano-banana',
    prompt: '一只戴着墨镜的猫 on a sofa',
    aspectRatio: '16:9',
    outputFormat: 'png',
    resolution: null,
  },
  state: 'generating',
  kieTaskId: 'task_12345678',
  error: null,
  demo: true,
  imageIds: [],
  createdAt: '2026-11-25T04:00:00.000Z',
  updatedAt: '2026-11-25T04:00:05.000Z',
} as const satisfies RouteOutput<'jobs.submit'>;

const image = {
  id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  jobId: job.id,
  kieTaskId: 'task_12345678',
  params: job.params,
  width: 1024,
  height: 576,
  format: 'png',
  bytes: 123456,
  fileName: '2026-11-25_一只戴着墨镜的猫-on-a-sofa_a1b2c3d4.png',
  demo: true,
  createdAt: '2026-11-25T04:00:09.000Z',
  url: 'gallery://image/a1b2c3d4e5f60718293a4b5c6d7e8f90',
} as const satisfies RouteOutput<'gallery.get'>;

const settings = {
  language: 'zh-CN',
  demoMode: true,
  libraryDir: '',
  tunnelMode: 'ngrok',
  publicCallbackUrl: '',
  kieApiBaseUrl: 'https://api.kie.ai',
  kieUploadBaseUrl: 'https://kieai.redpandaai.co',
  concurrency: 4,
  compose: { model: 'google/nano-banana', aspectRatio: '1:1', outputFormat: 'png', resolution: '1K' },
  hasApiKey: true,
  apiKeyHint: 'abcd',
  hasNgrokAuthtoken: true,
  hasWebhookHmacKey: false,
  libraryPath: '/home/user/Pictures/Banana Studio',
  callbackLocalUrl: 'http://127.0.0.1:41234',
} as const satisfies RouteOutput<'settings.get'>;

const queue = {
  paused: true,
  reason: 'credits',
  resumesAt: null,
  pending: 2,
  submitting: 0,
  limit: 4,
} as const satisfies RouteOutput<'queue.get'>;

const tunnel = {
  mode: 'ngrok',
  state: 'up',
  publicUrl: 'https://banana-1234.ngrok-free.app',
  lastError: null,
  lastCallbackAt: '2026-11-25T04:00:08.000Z',
} as const satisfies RouteOutput<'tunnel.get'>;

const credits = { balance: 996, demo: true, checkedAt: '2026-11-25T04:00:10.000Z' } as const;

export const routeFixtures: { [R in RouteName]: { input: RouteInput<R>; output: RouteOutput<R> } } = {
  'app.info': {
    input: {},
    output: { name: 'Banana Studio', version: '0.1.0', host: 'web', platform: 'linux' },
  },
  'settings.get': { input: {}, output: settings },
  'settings.update': { input: { language: 'en', compose: { aspectRatio: '16:9' } }, output: settings },
  'settings.setApiKey': { input: { apiKey: 'kie-test-key-abcd' }, output: settings },
  'settings.setSecret': {
    input: { name: 'ngrokAuthtoken', value: '2abcDEFghiJKLmnoPQRstuVWXyz_123' },
    output: settings,
  },
  'tunnel.get': { input: {}, output: tunnel },
  'credits.get': { input: {}, output: credits },
  'jobs.submit': { input: { ...job.params }, output: job },
  'jobs.list': {
    input: { limit: 50 },
    output: [job, { ...job, state: 'failed', error: { code: 'UNAUTHORIZED', message: 'Bad key.' } }],
  },
  'jobs.cancel': { input: { id: job.id }, output: { ...job, state: 'cancelled' } },
  'jobs.retry': {
    input: { id: job.id },
    output: { ...job, id: '0c5b2a4e-5d1f-4b3c-8e1a-2b3c4d5e6f70', state: 'queued' },
  },
  'queue.get': { input: {}, output: queue },
  'queue.pause': { input: {}, output: { ...queue, reason: 'user' } },
  'queue.resume': { input: {}, output: { ...queue, paused: false, reason: null } },
  'logs.list': {
    input: { jobId: job.id, limit: 500 },
    output: [
      {
        time: '2026-11-25T04:00:01.000Z',
        level: 'info',
        scope: 'main.core.jobs',
        message: 'Task created',
        fields: JSON.stringify({ jobId: job.id, kieTaskId: 'task_12345678' }),
        jobId: job.id,
      },
    ],
  },
  'gallery.list': {
    input: { cursor: { createdAt: image.createdAt, id: image.id }, limit: 60 },
    output: { items: [image], nextCursor: null },
  },
  'gallery.get': { input: { id: image.id }, output: image },
};
