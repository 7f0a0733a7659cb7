import type { EmbeddedMetadata } from './schema';

/** Metadata for tests: a complete, valid record, with whatever a test needs changed. */
export function sampleMetadata(overrides: Partial<EmbeddedMetadata> = {}): EmbeddedMetadata {
  return {
    app: 'banana-studio',
    version: 1,
    imageId: 'img_01',
    prompt: 'a banana on the moon',
    model: 'google/nano-banana',
    params: { aspectRatio: '1:1', outputFormat: 'png', resolution: null },
    kieTaskId: 'task_01',
    resultIndex: 0,
    references: [],
    parents: [],
    createdAt: '2026-03-09T10:00:00.000Z',
    appVersion: '0.1.0',
    demo: false,
    ...overrides,
  };
}
