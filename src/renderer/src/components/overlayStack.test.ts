import { describe, expect, it } from 'vitest';
import { createOverlayStack, globalKeyAllowed, trappedTabTarget, type OverlayKind } from './overlayStack';

interface Entry {
  readonly kind: OverlayKind;
  readonly name: string;
}

const entry = (name: string, kind: OverlayKind = 'dialog'): Entry => ({ name, kind });
const names = (entries: readonly Entry[]): string[] => entries.map((item) => item.name);

describe('overlay stack', () => {
  it('the last overlay opened is the top; closing it uncovers the one below', () => {
    const stack = createOverlayStack<Entry>();
    expect(stack.top()).toBeUndefined();
    const closeViewer = stack.push(entry('viewer'));
    const closeSheet = stack.push(entry('sheet'));
    expect(stack.top()?.name).toBe('sheet');
    closeSheet();
    expect(stack.top()?.name).toBe('viewer');
    closeViewer();
    expect(stack.top()).toBeUndefined();
    expect(stack.entries()).toEqual([]);
  });

  it('an overlay removed from under another leaves the top alone', () => {
    const stack = createOverlayStack<Entry>();
    const closeSettings = stack.push(entry('settings'));
    stack.push(entry('logs'));
    closeSettings();
    expect(names(stack.entries())).toEqual(['logs']);
    expect(stack.top()?.name).toBe('logs');
  });

  it('removing twice, or pushing the same name again, keeps each entry separate', () => {
    const stack = createOverlayStack<Entry>();
    const first = stack.push(entry('confirm', 'alertdialog'));
    first();
    first();
    const again = stack.push(entry('confirm', 'alertdialog'));
    expect(names(stack.entries())).toEqual(['confirm']);
    again();
    expect(stack.entries()).toEqual([]);
  });

  it('the topmost modal is found under popovers, with the popovers above it', () => {
    const stack = createOverlayStack<Entry>();
    expect(stack.topModal()).toBeUndefined();
    stack.push(entry('album picker', 'popover'));
    expect(stack.topModal()).toBeUndefined();
    stack.push(entry('settings'));
    stack.push(entry('tag picker', 'popover'));
    const trap = stack.topModal();
    expect(trap?.modal.name).toBe('settings');
    expect(names(trap?.above ?? [])).toEqual(['tag picker']);
    stack.push(entry('confirm', 'alertdialog'));
    expect(stack.topModal()?.modal.name).toBe('confirm');
    expect(stack.topModal()?.above).toEqual([]);
  });
});

describe('app-wide keys under overlays', () => {
  it('page keys (generate, search, paste) only act when no modal covers the page', () => {
    expect(globalKeyAllowed([], 'page')).toBe(true);
    expect(globalKeyAllowed(['popover'], 'page')).toBe(true);
    expect(globalKeyAllowed(['dialog'], 'page')).toBe(false);
    expect(globalKeyAllowed(['alertdialog'], 'page')).toBe(false);
    expect(globalKeyAllowed(['dialog', 'popover'], 'page')).toBe(false);
  });

  it('"?" opens the help over the page, the viewer, a dialog or a popover, but not over a question', () => {
    expect(globalKeyAllowed([], 'help')).toBe(true);
    expect(globalKeyAllowed(['dialog'], 'help')).toBe(true);
    expect(globalKeyAllowed(['popover'], 'help')).toBe(true);
    expect(globalKeyAllowed(['alertdialog'], 'help')).toBe(false);
    expect(globalKeyAllowed(['dialog', 'alertdialog'], 'help')).toBe(false);
    // A question answered and gone: the dialog under it is on top again.
    expect(globalKeyAllowed(['alertdialog', 'dialog'], 'help')).toBe(true);
  });
});

describe('Tab inside a modal', () => {
  it('wraps from the last control to the first, and back with Shift', () => {
    expect(trappedTabTarget(3, 2, false)).toBe(0);
    expect(trappedTabTarget(3, 0, true)).toBe(2);
  });

  it('leaves the moves between controls to the browser', () => {
    expect(trappedTabTarget(3, 0, false)).toBeNull();
    expect(trappedTabTarget(3, 1, false)).toBeNull();
    expect(trappedTabTarget(3, 2, true)).toBeNull();
  });

  it('brings a focus that is outside the controls back to the first (or with Shift the last)', () => {
    expect(trappedTabTarget(4, -1, false)).toBe(0);
    expect(trappedTabTarget(4, -1, true)).toBe(3);
  });

  it('a single control keeps the focus either way', () => {
    expect(trappedTabTarget(1, 0, false)).toBe(0);
    expect(trappedTabTarget(1, 0, true)).toBe(0);
  });

  it('with nothing to focus there is no target (the caller keeps the focus on the modal itself)', () => {
    expect(trappedTabTarget(0, -1, false)).toBeNull();
  });
});
