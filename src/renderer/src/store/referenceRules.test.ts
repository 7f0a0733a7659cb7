import { describe, expect, it } from 'vitest';
import {
  chooseModel,
  DRAG_IMAGE_MIME,
  DRAG_REFERENCE_MIME,
  dropIndex,
  dropIntent,
  followReferences,
  galleryIdsFromUriList,
  galleryImageIdFromUrl,
  moveById,
  moveItem,
  nudgeById,
  referenceLimit,
  referenceNotes,
  referenceProblem,
  referencesBlockSubmit,
  referencesToSend,
  trayLimit,
  undoSwitch,
  type ModelChoice,
} from './referenceRules';

const items = (...ids: string[]) => ids.map((id) => ({ id }));
const ids = (list: { id: string }[]) => list.map((item) => item.id);

describe('reordering', () => {
  it('moveItem moves one item and clamps the target', () => {
    expect(moveItem(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveItem(['a', 'b', 'c'], 0, 99)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b', 'c'], 2, -5)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b'], 5, 0)).toEqual(['a', 'b']);
  });

  it('moveById and nudgeById work by id and leave unknown ids alone', () => {
    expect(ids(moveById(items('a', 'b', 'c'), 'c', 1))).toEqual(['a', 'c', 'b']);
    expect(ids(nudgeById(items('a', 'b', 'c'), 'a', 1))).toEqual(['b', 'a', 'c']);
    expect(ids(nudgeById(items('a', 'b', 'c'), 'a', -1))).toEqual(['a', 'b', 'c']);
    expect(ids(nudgeById(items('a', 'b', 'c'), 'c', 1))).toEqual(['a', 'b', 'c']);
    expect(ids(nudgeById(items('a', 'b', 'c'), 'x', 1))).toEqual(['a', 'b', 'c']);
  });

  it.each([
    // from, over, after → index in the list without the dragged chip
    [3, 0, false, 0],
    [3, 0, true, 1],
    [0, 3, true, 3],
    [0, 3, false, 2],
    [1, 2, false, 1],
    [1, 1, true, 1],
  ])('dropIndex(%i onto %i, after=%s) = %i', (from, over, after, expected) => {
    expect(dropIndex(from, over, after)).toBe(expected);
    const dropped = moveItem(['a', 'b', 'c', 'd'], from, dropIndex(from, over, after));
    expect(dropped).toHaveLength(4);
  });
});

describe('the model follows the references', () => {
  const text: ModelChoice = { model: 'google/nano-banana', pinned: false, hint: null };

  it('a text model hands over to its edit model, with a hint, and gets it back when the tray empties', () => {
    const switched = followReferences(text, 1, true);
    expect(switched).toEqual({
      model: 'google/nano-banana-edit',
      pinned: false,
      hint: { kind: 'switched', from: 'google/nano-banana', to: 'google/nano-banana-edit' },
    });
    expect(followReferences(switched, 3, true)).toEqual(switched);
    expect(followReferences(switched, 0)).toEqual({
      model: 'google/nano-banana',
      pinned: false,
      hint: { kind: 'restored', from: 'google/nano-banana-edit', to: 'google/nano-banana' },
    });
  });

  it('models that take references stay as they are', () => {
    const pro: ModelChoice = { model: 'nano-banana-pro', pinned: false, hint: null };
    expect(followReferences(pro, 4, true)).toEqual(pro);
    expect(followReferences(pro, 0)).toEqual(pro);
  });

  it('undo keeps the text model, pinned, until the tray is emptied', () => {
    const undone = undoSwitch(followReferences(text, 2, true));
    expect(undone).toEqual({ model: 'google/nano-banana', pinned: true, hint: null });
    // Removing one of two keeps the pin; emptying the tray lifts it.
    expect(followReferences(undone, 1)).toEqual(undone);
    expect(followReferences(undone, 0)).toEqual({ model: 'google/nano-banana', pinned: false, hint: null });
    expect(undoSwitch(text)).toBe(text);
  });

  it('adding references to a pinned model that takes none switches again', () => {
    const undone = undoSwitch(followReferences(text, 1, true));
    expect(followReferences(undone, 2, true).model).toBe('google/nano-banana-edit');
  });

  it('a model picked with references attached is pinned; without, it is not', () => {
    expect(chooseModel('nano-banana-2', 3)).toEqual({ model: 'nano-banana-2', pinned: true, hint: null });
    expect(chooseModel('google/nano-banana', 0)).toEqual({
      model: 'google/nano-banana',
      pinned: false,
      hint: null,
    });
    // A pinned Pro stays Pro when more references come.
    expect(followReferences(chooseModel('nano-banana-pro', 3), 4, true).model).toBe('nano-banana-pro');
  });

  it('the limit for new references is the receiving model’s', () => {
    expect(referenceLimit(text, 0)).toEqual({ model: 'google/nano-banana-edit', limit: 10 });
    expect(referenceLimit(chooseModel('nano-banana-pro', 2), 2)).toEqual({
      model: 'nano-banana-pro',
      limit: 8,
    });
    expect(referenceLimit(chooseModel('nano-banana-2', 2), 2)).toEqual({ model: 'nano-banana-2', limit: 14 });
    expect(referenceLimit(undoSwitch(followReferences(text, 1, true)), 1)).toEqual({
      model: 'google/nano-banana-edit',
      limit: 10,
    });
  });

  it('the tray shows the chosen model’s limit once references are attached', () => {
    expect(trayLimit(text, 0)).toEqual({ model: 'google/nano-banana-edit', limit: 10 });
    expect(trayLimit(chooseModel('google/nano-banana', 2), 2)).toEqual({
      model: 'google/nano-banana',
      limit: 0,
    });
    expect(trayLimit(chooseModel('nano-banana-pro', 0), 0)).toEqual({ model: 'nano-banana-pro', limit: 8 });
  });

  it('referenceProblem and referencesToSend', () => {
    const sized = (count: number, bytes = 1000) => Array.from({ length: count }, () => ({ bytes }));
    expect(referenceProblem('google/nano-banana', sized(0))).toBeNull();
    expect(referenceProblem('google/nano-banana', sized(2))).toBe('unused');
    expect(referenceProblem('nano-banana-pro', sized(8))).toBeNull();
    expect(referenceProblem('nano-banana-pro', sized(9))).toBe('tooMany');
    expect(referencesBlockSubmit('nano-banana-pro', sized(9))).toBe(true);
    expect(referencesBlockSubmit('google/nano-banana', sized(2))).toBe(false);
    expect(referencesToSend('google/nano-banana', ['a', 'b'])).toEqual([]);
    expect(referencesToSend('google/nano-banana-edit', ['b', 'a'])).toEqual(['b', 'a']);
  });

  it('a file too big for the model it is switched to: tooBig, and Generate waits', () => {
    const MB = 1024 * 1024;
    const tray = [{ bytes: 2 * MB }, { bytes: 29 * MB }];
    for (const model of ['nano-banana-pro', 'nano-banana-2'] as const) {
      expect(referenceProblem(model, tray)).toBeNull();
    }
    expect(referenceProblem('google/nano-banana-edit', tray)).toBe('tooBig');
    expect(referencesBlockSubmit('google/nano-banana-edit', tray)).toBe(true);
    expect(referenceProblem('google/nano-banana-edit', [{ bytes: 10 * MB }])).toBeNull();
    // The text model sends none, so their size does not matter.
    expect(referenceProblem('google/nano-banana', tray)).toBe('unused');
  });
});

describe('what a drag carries', () => {
  const origin = 'http://127.0.0.1:5123';

  it.each([
    ['gallery://image/abc123', 'abc123'],
    ['gallery://thumb/abc123', 'abc123'],
    ['gallery://image/a%2Fb', 'a/b'],
    [`${origin}/gallery/image/abc123?token=t0k`, 'abc123'],
    [`${origin}/gallery/thumb/abc123?token=t0k`, 'abc123'],
    ['/gallery/image/abc123?token=t0k', 'abc123'],
  ])('%s is library image %s', (url, id) => {
    expect(galleryImageIdFromUrl(url, origin)).toBe(id);
  });

  it.each([
    ['a staged reference', 'gallery://ref/0123456789abcdef0123456789abcdef'],
    ['a harness reference', `${origin}/gallery/ref/abc`],
    ['another site', 'http://example.test/gallery/image/abc'],
    ['another port', 'http://127.0.0.1:9999/gallery/image/abc'],
    ['a deeper path', `${origin}/gallery/image/abc/def`],
    ['bad escapes', 'gallery://image/%E0%A4%A'],
    ['plain text', 'a cat'],
  ])('%s is not a library image', (_name, url) => {
    expect(galleryImageIdFromUrl(url, origin)).toBeNull();
  });

  it('reads a uri-list: comments skipped, CRLF, each id once', () => {
    const list = `# from Banana Studio\r\n${origin}/gallery/image/a?token=x\r\n\r\ngallery://image/b\r\n${origin}/gallery/image/a?token=x`;
    expect(galleryIdsFromUriList(list, origin)).toEqual(['a', 'b']);
  });

  it('dropIntent reads types and items, not contents', () => {
    const file = (type: string) => ({ kind: 'file', type });
    expect(dropIntent(['Files'], [file('image/png'), file('image/JPEG'), file('image/webp')])).toEqual({
      kind: 'files',
      images: 3,
      others: 0,
    });
    expect(dropIntent(['Files'], [file('image/png'), file('text/plain'), file('')])).toEqual({
      kind: 'files',
      images: 1,
      others: 2,
    });
    expect(dropIntent([DRAG_IMAGE_MIME, 'text/uri-list', 'text/plain'], [])).toEqual({ kind: 'gallery' });
    expect(dropIntent([DRAG_REFERENCE_MIME], [])).toEqual({ kind: 'none' });
    expect(dropIntent(['text/uri-list'], [])).toEqual({ kind: 'link' });
    expect(dropIntent(['text/plain'], [])).toEqual({ kind: 'none' });
  });
});

describe('notes on references that are taken as they are', () => {
  it('a side over 8,192 px is scaled down by KIE; more than one frame means the first is used', () => {
    expect(referenceNotes({ width: 8192, height: 8192, frames: 1 })).toEqual([]);
    expect(referenceNotes({ width: 12_000, height: 600, frames: 1 })).toEqual([
      { kind: 'large', width: 12_000, height: 600 },
    ]);
    expect(referenceNotes({ width: 400, height: 9000, frames: 1 })).toEqual([
      { kind: 'large', width: 400, height: 9000 },
    ]);
    expect(referenceNotes({ width: 48, height: 32, frames: 3 })).toEqual([{ kind: 'animated', frames: 3 }]);
    expect(referenceNotes({ width: 9000, height: 32, frames: 2 }).map((note) => note.kind)).toEqual([
      'large',
      'animated',
    ]);
  });
});
