import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chunk } from './galleryActions';
import { useConfirm } from './confirm';
import { TOAST_MS, UNDO_TOAST_MS, useToasts } from './toasts';

beforeEach(() => {
  vi.useFakeTimers();
  useToasts.setState({ toasts: [] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('toasts', () => {
  it('an Undo toast stays longer than a plain one', () => {
    useToasts.getState().show({ kind: 'trashed', ids: ['a'] });
    useToasts.getState().show({ kind: 'copied' });
    vi.advanceTimersByTime(TOAST_MS + 1);
    expect(useToasts.getState().toasts.map((toast) => toast.body.kind)).toEqual(['trashed']);
    vi.advanceTimersByTime(UNDO_TOAST_MS - TOAST_MS);
    expect(useToasts.getState().toasts).toEqual([]);
  });

  it('settle drops the Undo toast of images restored or purged another way', () => {
    useToasts.getState().show({ kind: 'trashed', ids: ['a', 'b'] });
    useToasts.getState().show({ kind: 'trashed', ids: ['c'] });
    useToasts.getState().settle(['b']);
    expect(useToasts.getState().toasts.map((toast) => toast.body)).toEqual([{ kind: 'trashed', ids: ['c'] }]);
  });

  it('keeps at most three', () => {
    for (let n = 0; n < 5; n += 1) useToasts.getState().show({ kind: 'restored', count: n });
    expect(useToasts.getState().toasts.map((toast) => toast.body)).toEqual([
      { kind: 'restored', count: 2 },
      { kind: 'restored', count: 3 },
      { kind: 'restored', count: 4 },
    ]);
  });
});

describe('confirm', () => {
  it('resolves with the answer, and a newer question answers the older one with no', async () => {
    const first = useConfirm.getState().ask({ kind: 'purge', count: 1 });
    const second = useConfirm.getState().ask({ kind: 'deleteAlbum', name: 'Cats' });
    expect(useConfirm.getState().pending).toEqual({ kind: 'deleteAlbum', name: 'Cats' });
    useConfirm.getState().answer(true);
    await expect(first).resolves.toBe(false);
    await expect(second).resolves.toBe(true);
    expect(useConfirm.getState().pending).toBeNull();
  });
});

describe('bulk requests', () => {
  it('chunk splits ids into the contract-sized requests', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
