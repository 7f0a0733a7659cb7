import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { megabytes, REFERENCE_MAX_BYTES } from '@shared/domain/reference';
import en from '@shared/i18n/en.json';
import { referenceProblemText } from '../features/compose/referenceProblemText';
import { checkFileShape, sizeProblem, stagingProblem } from './referenceProblems';

const MB = 1024 * 1024;
const file = (size: number, isDirectory = false) => ({ name: 'x.png', size, type: 'image/png', isDirectory });

describe('reference problems', () => {
  it('checkFileShape: folder, empty, over the receiving model’s limit, fine', () => {
    expect(checkFileShape({ ...file(0, true), name: 'Holiday' }, 'nano-banana-pro')).toEqual({
      kind: 'folder',
      name: 'Holiday',
    });
    expect(checkFileShape(file(0), 'nano-banana-pro')).toEqual({ kind: 'empty', name: 'x.png' });
    expect(checkFileShape(file(REFERENCE_MAX_BYTES + 1), 'nano-banana-pro')).toEqual({
      kind: 'size',
      name: 'x.png',
      bytes: REFERENCE_MAX_BYTES + 1,
      model: 'nano-banana-pro',
    });
    expect(checkFileShape(file(REFERENCE_MAX_BYTES), 'nano-banana-pro')).toBeNull();
  });

  it('each model its own size: 30 MB for Pro and Nano Banana 2, 10 MB for the edit model', () => {
    expect(REFERENCE_MAX_BYTES).toBe(30 * MB);
    for (const model of ['nano-banana-pro', 'nano-banana-2'] as const) {
      expect(checkFileShape(file(29 * MB), model)).toBeNull();
      expect(checkFileShape(file(30 * MB), model)).toBeNull();
      expect(checkFileShape(file(30 * MB + 1), model)).toMatchObject({ kind: 'size', model });
    }
    expect(checkFileShape(file(10 * MB), 'google/nano-banana-edit')).toBeNull();
    expect(checkFileShape(file(29 * MB), 'google/nano-banana-edit')).toEqual({
      kind: 'size',
      name: 'x.png',
      bytes: 29 * MB,
      model: 'google/nano-banana-edit',
    });
    // A staged reference (a library image, a file opened with the app) is checked the same way.
    expect(sizeProblem('google/nano-banana-edit', { name: 'x.png', bytes: 10 * MB + 1 })).toMatchObject({
      kind: 'size',
      model: 'google/nano-banana-edit',
    });
    expect(sizeProblem('nano-banana-2', { name: 'x.png', bytes: 10 * MB + 1 })).toBeNull();
  });

  it('stagingProblem reads core’s refusal by its details', () => {
    const refusal = (details?: Record<string, unknown>) => ({
      code: 'VALIDATION' as const,
      message: 'core says no',
      ...(details ? { details } : {}),
    });
    expect(stagingProblem('a.png', refusal({ name: 'a.png' }))).toEqual({ kind: 'damaged', name: 'a.png' });
    expect(stagingProblem('a.png', refusal({ name: 'a.png', problem: 'type' }))).toEqual({
      kind: 'type',
      name: 'a.png',
    });
    expect(stagingProblem('a.png', refusal({ name: 'a.png', problem: 'damaged', extra: 1 }))).toEqual({
      kind: 'damaged',
      name: 'a.png',
    });
    expect(stagingProblem('a.png', refusal())).toEqual({ kind: 'damaged', name: 'a.png' });
    expect(stagingProblem('a.png', refusal({ name: 'a.png', width: 20000, height: 20000 }))).toEqual({
      kind: 'pixels',
      name: 'a.png',
      width: 20000,
      height: 20000,
    });
    expect(stagingProblem('a.png', refusal({ name: 'a.png', bytes: 11, limit: 10 }))).toEqual({
      kind: 'size',
      name: 'a.png',
      bytes: 11,
      model: null,
    });
    expect(
      stagingProblem(
        'a.png',
        refusal({ name: 'a.png', bytes: 11, limit: 10, model: 'google/nano-banana-edit' }),
      ),
    ).toEqual({ kind: 'size', name: 'a.png', bytes: 11, model: 'google/nano-banana-edit' });
    expect(stagingProblem('a.png', refusal({ field: 'x' }))).toEqual({
      kind: 'refused',
      message: 'core says no',
    });
    const offline = { code: 'OFFLINE' as const, message: 'gone' };
    expect(stagingProblem('a.png', offline)).toEqual({ kind: 'failed', name: 'a.png', error: offline });
  });

  it('megabytes rounds up so a file just over the limit does not read as the limit', () => {
    expect(megabytes(10 * MB)).toBe('10');
    expect(megabytes(10 * MB + 1)).toBe('10.1');
    expect(megabytes(1.25 * 1024 * 1024)).toBe('1.3');
  });

  describe('texts', () => {
    beforeAll(async () => {
      await i18next.init({
        lng: 'en',
        resources: { en: { translation: en } },
        interpolation: { escapeValue: false },
      });
    });

    it('name the file, the model and the numbers', () => {
      const t = i18next.t;
      expect(referenceProblemText(t, { kind: 'type', name: 'notes.png' })).toBe(
        '“notes.png” is not a PNG, JPEG or WebP image.',
      );
      expect(
        referenceProblemText(t, {
          kind: 'size',
          name: 'huge.png',
          bytes: REFERENCE_MAX_BYTES + 1,
          model: null,
        }),
      ).toBe('“huge.png” is 30.1 MB; reference images can be at most 30 MB.');
      expect(
        referenceProblemText(t, {
          kind: 'size',
          name: 'huge.png',
          bytes: 29 * MB,
          model: 'google/nano-banana-edit',
        }),
      ).toBe('“huge.png” is 29 MB; Nano Banana Edit takes reference images up to 10 MB.');
      expect(
        referenceProblemText(t, { kind: 'count', model: 'google/nano-banana-edit', limit: 10, skipped: 2 }),
      ).toBe('Nano Banana Edit takes at most 10 reference images, so 2 more could not be added.');
      expect(referenceProblemText(t, { kind: 'duplicate', name: '' })).toBe('“image” was already added.');
      expect(referenceProblemText(t, { kind: 'duplicates', names: ['a.png', '', 'b.png'] })).toBe(
        'Already added: “a.png”, “image”, “b.png”.',
      );
      expect(referenceProblemText(t, { kind: 'refused', message: 'core says no' })).toBe('core says no');
      expect(
        referenceProblemText(t, { kind: 'failed', name: 'a.png', error: { code: 'OFFLINE', message: 'x' } }),
      ).toBe('“a.png” could not be added. Cannot reach the network or KIE.');
    });
  });
});
