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
  thumbUrl: 'gallery://thumb/a1b2c3d4e5f60718293a4b5c6d7e8f90',
  origin: 'generated',
  status: 'ok',
  favourite: true,
  rating: 4,
  parents: [],
} as const satisfies RouteOutput<'gallery.get'>;

const child = {
  ...image,
  id: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
  favourite: false,
  rating: 0,
  parents: [image.id],
} as const satisfies RouteOutput<'gallery.get'>;

const album = {
  id: '0c8f3a52-64a8-4c57-b0a8-d8f3b2a1c9e0',
  name: '猫 cats',
  createdAt: '2026-11-25T05:00:00.000Z',
  count: 12,
  coverId: image.id,
} as const satisfies RouteOutput<'albums.create'>;

const scan = {
  scanned: 1200,
  imported: 2,
  recovered: 0,
  moved: 1,
  missing: 1,
  reappeared: 0,
  errors: [{ relPath: '2026/11/notes.png', message: 'Not an image (unrecognised content).' }],
  durationMs: 842,
} as const satisfies RouteOutput<'library.rescan'>;

const ids = { ids: [image.id, child.id] };

const settings = {
  language: 'zh-CN',
  demoMode: true,
  libraryDir: '',
  tunnelMode: 'ngrok',
  publicCallbackUrl: '',
  kieApiBaseUrl: 'https://api.kie.ai',
  kieUploadBaseUrl: 'https://kieai.redpandaai.co',
  concurrency: 4,
  compose: {
    model: 'google/nano-banana',
    aspectRatio: '1:1',
    outputFormat: 'png',
    resolution: '1K',
    imagesPerPrompt: 2,
    googleSearch: false,
  },
  costOverrides: { 'nano-banana-pro': { '4K': 22 } },
  notifications: false,
  autoUpdate: false,
  theme: 'dark',
  weakSecretStorage: 'store',
  promptLibrary: {
    templates: [{ id: 't1', name: 'Product shot', text: 'a studio photo of {product} on {surface}' }],
    styles: [{ id: 's1', name: '胶片', phrase: '胶片质感，柔和颗粒' }],
  },
  welcomeDone: true,
  hasApiKey: true,
  apiKeyHint: 'abcd',
  hasNgrokAuthtoken: true,
  hasWebhookHmacKey: false,
  libraryPath: '/home/user/Pictures/Banana Studio',
  callbackLocalUrl: 'http://127.0.0.1:41234',
  secretStorage: { mode: 'obfuscated', weakBackend: true, unreadable: ['ngrokAuthtoken'] },
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

const reference = {
  id: '9f86d081884c7d659a2feaa0c55ad015',
  name: '参考 cat.png',
  format: 'png',
  width: 1024,
  height: 768,
  bytes: 482113,
  frames: 1,
  url: 'gallery://ref/9f86d081884c7d659a2feaa0c55ad015',
  thumbUrl: 'gallery://ref/9f86d081884c7d659a2feaa0c55ad015',
  galleryImageId: null,
} as const satisfies RouteOutput<'references.add'>;

const fromGallery = {
  ...reference,
  id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  name: image.fileName,
  url: 'gallery://ref/a1b2c3d4e5f60718293a4b5c6d7e8f90',
  thumbUrl: image.thumbUrl,
  galleryImageId: image.id,
} as const satisfies RouteOutput<'references.fromGallery'>;

/** A box and a note drawn on `reference`, and the staged copy that carries them. */
const marks = {
  version: 1,
  width: 1024,
  height: 768,
  marks: [
    { kind: 'rect', color: 'red', width: 6, from: [100, 120], to: [400, 380] },
    {
      kind: 'brush',
      color: 'blue',
      width: 12,
      points: [
        [10, 10],
        [20, 14.5],
        [31, 22],
      ],
    },
    { kind: 'text', color: 'yellow', size: 36, at: [120, 400], text: '换成蓝色 make it blue' },
  ],
} as const satisfies RouteInput<'references.annotate'>['layer'];

const marked = {
  ...reference,
  id: '0c1d2e3f405162738495a6b7c8d9e0f1',
  name: '参考 cat-marked.png',
  url: 'gallery://ref/0c1d2e3f405162738495a6b7c8d9e0f1',
  thumbUrl: 'gallery://ref/0c1d2e3f405162738495a6b7c8d9e0f1',
  annotatedFrom: reference.id,
} as const satisfies RouteOutput<'references.annotate'>;

/** An edit job while its references go up to KIE. */
const editJob = {
  ...job,
  id: '7d3f1a2b-9c8e-4f6a-b5d4-c3e2f1a0b9c8',
  params: { ...job.params, model: 'google/nano-banana-edit', references: [reference.id, fromGallery.id] },
  state: 'uploading',
  kieTaskId: null,
  progress: { done: 1, total: 2 },
} as const satisfies RouteOutput<'jobs.submit'>;

const credits = { balance: 996, demo: true, checkedAt: '2026-11-25T04:00:10.000Z' } as const;

/** The second variant of an A/B run over models, and its picture. */
const runTag = {
  id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  vary: 'model',
  label: 'nano-banana-pro',
  index: 1,
  size: 2,
} as const;
const runJob = {
  ...job,
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  params: { ...job.params, model: 'nano-banana-pro', resolution: '1K', run: runTag },
  state: 'queued',
  kieTaskId: null,
} as const satisfies RouteOutput<'jobs.submit'>;
const runImage = { ...child, id: 'b2c3d4e5f60718293a4b5c6d7e8f90a1', params: runJob.params } as const;

export const routeFixtures: { [R in RouteName]: { input: RouteInput<R>; output: RouteOutput<R> } } = {
  'app.info': {
    input: {},
    output: { name: 'Banana Studio', version: '0.1.0', host: 'web', platform: 'linux' },
  },
  'app.diagnostics': {
    input: {},
    output: {
      generatedAt: '2026-11-25T06:30:00.000Z',
      app: {
        name: 'Banana Studio',
        version: '0.1.0',
        host: 'electron',
        platform: 'darwin',
        node: '24.11.1',
        electron: '39.2.0',
        chrome: '142.0.7444.162',
        arch: 'arm64',
        locale: 'zh-CN',
      },
      settings: (({ apiKeyHint: _hint, ...rest }) => rest)(settings),
      queue,
      tunnel: { ...tunnel, publicUrl: 'https://banana-1234.ngrok-free.app' },
      library: null,
      logs: [
        {
          time: '2026-11-25T06:29:00.000Z',
          level: 'warn',
          scope: 'main.core.tunnel',
          message: 'Tunnel reconnecting',
          fields: null,
          jobId: null,
        },
      ],
    },
  },
  'app.openLogsFolder': { input: {}, output: {} },
  'app.checkForUpdates': {
    input: {},
    output: { state: 'available', current: '0.1.0', latest: '0.2.0', message: null },
  },
  'settings.get': { input: {}, output: settings },
  'settings.update': { input: { language: 'en', compose: { aspectRatio: '16:9' } }, output: settings },
  'settings.setApiKey': { input: { apiKey: 'kie-test-key-abcd' }, output: settings },
  'settings.testApiKey': { input: { apiKey: null }, output: { ok: true, balance: 1234.5 } },
  'settings.setSecret': {
    input: { name: 'ngrokAuthtoken', value: '2abcDEFghiJKLmnoPQRstuVWXyz_123' },
    output: settings,
  },
  'tunnel.get': { input: {}, output: tunnel },
  'credits.get': { input: {}, output: credits },
  'prompts.history': {
    input: { limit: 200 },
    output: ['一只戴着墨镜的猫 on a sofa', 'a lighthouse at dawn'],
  },
  'jobs.submit': { input: { ...job.params }, output: job },
  'jobs.list': {
    input: { limit: 50 },
    output: [job, { ...job, state: 'failed', error: { code: 'UNAUTHORIZED', message: 'Bad key.' } }, editJob],
  },
  'jobs.cancel': { input: { id: job.id }, output: { ...job, state: 'cancelled' } },
  'jobs.retry': {
    input: { id: job.id, confirmMayChargeTwice: true },
    output: { ...job, id: '0c5b2a4e-5d1f-4b3c-8e1a-2b3c4d5e6f70', state: 'queued' },
  },
  'jobs.findOnKie': {
    input: { id: job.id, taskId: 'bf5a0e2c9d8b4f1a9e6c3d2b1a0f9851' },
    output: { ...job, state: 'submitted', kieTaskId: 'bf5a0e2c9d8b4f1a9e6c3d2b1a0f9851' },
  },
  'jobs.clear': { input: { scope: 'finished' }, output: { cleared: [job.id, editJob.id] } },
  'app.setWindowFocus': { input: { focused: false }, output: {} },
  'queue.get': { input: {}, output: queue },
  'references.add': { input: { base64: 'iVBORw0KGgo=', name: reference.name }, output: reference },
  'references.fromGallery': { input: { imageId: image.id }, output: fromGallery },
  'references.get': { input: { ids: [reference.id, fromGallery.id] }, output: [reference, fromGallery] },
  'references.annotate': { input: { originalId: reference.id, layer: marks }, output: marked },
  'references.annotation': { input: { id: marked.id }, output: { original: reference, layer: marks } },
  'references.takeOpened': {
    input: {},
    output: {
      references: [reference],
      problems: [
        { name: 'notes.png', problem: 'type', message: '“notes.png” is not a PNG, JPEG or WebP image.' },
      ],
      madeHere: [
        {
          referenceId: reference.id,
          metadata: {
            app: 'banana-studio',
            version: 1,
            imageId: 'img-1',
            prompt: 'a red fox in the snow',
            model: 'nano-banana-pro',
            params: { aspectRatio: '16:9', outputFormat: 'png', resolution: '2K' },
            kieTaskId: 'task-1',
            resultIndex: 0,
            references: [],
            parents: [],
            createdAt: '2026-11-25T04:00:00.000Z',
            appVersion: '0.1.0',
            demo: false,
          },
        },
      ],
    },
  },
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
  'gallery.query': {
    input: {
      query: {
        text: '猫 sofa',
        models: ['google/nano-banana'],
        favouritesOnly: true,
        minRating: 2,
        sort: 'rating',
      },
      cursor: { after: { createdAt: image.createdAt, id: image.id, rating: image.rating } },
      limit: 200,
    },
    output: {
      items: [image, child],
      nextCursor: { createdAt: child.createdAt, id: child.id, rating: child.rating },
      prevCursor: { createdAt: image.createdAt, id: image.id, rating: image.rating },
    },
  },
  'gallery.count': { input: { query: { origin: 'demo', status: 'missing' } }, output: { count: 3 } },
  'gallery.ids': {
    input: { query: { favouritesOnly: true, sort: 'model' } },
    output: { ids: [image.id, 'img-2'], total: 2 },
  },
  'gallery.get': { input: { id: image.id }, output: image },
  'gallery.detail': {
    input: { id: image.id },
    output: {
      image,
      tags: ['cats', '墨镜'],
      albums: [{ id: album.id, name: album.name }],
      parents: [],
      children: [child],
      filePath: '/home/user/Pictures/Banana Studio/2026/11/2026-11-25_cat_a1b2c3d4.png',
    },
  },
  'gallery.setFavourite': { input: { ...ids, favourite: true }, output: { count: 2 } },
  'gallery.setRating': { input: { ...ids, rating: 5 }, output: { count: 2 } },
  'gallery.tag': { input: { ...ids, add: ['cats'], remove: ['dogs'] }, output: { count: 3 } },
  'gallery.tags': { input: {}, output: [{ name: 'cats', count: 12 }] },
  'albums.list': { input: {}, output: [album] },
  'albums.create': { input: { name: album.name }, output: album },
  'albums.rename': { input: { id: album.id, name: 'Cats' }, output: { ...album, name: 'Cats' } },
  'albums.delete': { input: { id: album.id }, output: { count: 1 } },
  'albums.add': { input: { albumId: album.id, ...ids }, output: { count: 2 } },
  'albums.remove': { input: { albumId: album.id, ...ids }, output: { count: 1 } },
  'gallery.trash': { input: ids, output: { count: 2 } },
  'gallery.restore': { input: ids, output: { count: 2 } },
  'gallery.trashList': {
    input: { limit: 200 },
    output: {
      items: [{ ...image, trashedAt: '2026-11-25T06:00:00.000Z', purgeAt: '2026-12-25T06:00:00.000Z' }],
      total: 1,
    },
  },
  'gallery.purge': { input: ids, output: { count: 2 } },
  'gallery.forget': { input: ids, output: { count: 1 } },
  'gallery.export': { input: ids, output: { count: 2, folder: '/home/user/Desktop/cats' } },
  'gallery.reveal': { input: { id: image.id }, output: {} },
  'gallery.open': { input: { id: image.id }, output: {} },
  'gallery.copyImage': { input: { id: image.id }, output: {} },
  'gallery.startDrag': { input: ids, output: {} },
  'library.status': {
    input: {},
    output: {
      root: '/home/user/Pictures/Banana Studio',
      images: 1200,
      missing: 1,
      trashed: 3,
      scanning: false,
      lastScan: { ...scan, finishedAt: '2026-11-25T06:01:00.000Z' },
      rebuilt: { reason: 'corrupt', recovered: 1198 },
    },
  },
  'library.rescan': { input: {}, output: scan },
  'images.inspect': {
    input: { base64: 'iVBORw0KGgo=', name: 'cat.png' },
    output: {
      format: 'png',
      width: 1024,
      height: 576,
      metadata: {
        app: 'banana-studio',
        version: 1,
        imageId: image.id,
        prompt: image.params.prompt,
        model: image.params.model,
        params: { aspectRatio: '16:9', outputFormat: 'png', resolution: null },
        kieTaskId: 'task_12345678',
        resultIndex: 0,
        references: [],
        parents: [],
        createdAt: image.createdAt,
        appVersion: '0.1.0',
        demo: true,
      },
      description: null,
    },
  },
  'jobs.submitRun': {
    input: {
      base: { ...job.params },
      variation: { vary: 'model', values: ['google/nano-banana', 'nano-banana-pro'] },
    },
    output: {
      runId: runTag.id,
      jobs: [
        { ...runJob, params: { ...job.params, run: { ...runTag, label: 'google/nano-banana', index: 0 } } },
        runJob,
      ],
    },
  },
  'jobs.againCheck': {
    input: { imageId: image.id },
    output: {
      missing: [
        { id: reference.id, name: reference.name },
        { id: fromGallery.id, name: null },
      ],
    },
  },
  'jobs.again': {
    input: { imageId: image.id, count: 2 },
    output: { jobs: [job, { ...job, id: editJob.id }] },
  },
  'runs.get': {
    input: { runId: runTag.id },
    output: { runId: runTag.id, size: 2, images: [{ image: runImage, run: runTag }], pending: 1 },
  },
  'library.move': {
    input: { to: '/media/photos/Banana Studio' },
    output: {
      root: '/media/photos/Banana Studio',
      images: 1200,
      missing: 0,
      trashed: 3,
      scanning: false,
      lastScan: null,
      rebuilt: null,
    },
  },
};
