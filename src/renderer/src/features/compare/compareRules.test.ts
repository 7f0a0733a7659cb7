import { describe, expect, it } from 'vitest';
import { canCompare, compareLayout, splitAt, splitForKey } from './compareRules';

describe('compare rules', () => {
  it('gives two pictures the chosen layout and three or four a board', () => {
    expect(compareLayout(2, 'slider')).toBe('slider');
    expect(compareLayout(2, 'sideBySide')).toBe('sideBySide');
    expect(compareLayout(3, 'slider')).toBe('board');
    expect(compareLayout(4, 'sideBySide')).toBe('board');
  });

  it('moves the divider with the arrows, finer with Shift, and never past the edges', () => {
    expect(splitForKey(50, 'ArrowLeft', false)).toBe(45);
    expect(splitForKey(50, 'ArrowRight', true)).toBe(51);
    expect(splitForKey(2, 'ArrowLeft', false)).toBe(0);
    expect(splitForKey(99, 'ArrowRight', false)).toBe(100);
    expect(splitForKey(40, 'Home', false)).toBe(0);
    expect(splitForKey(40, 'End', false)).toBe(100);
    expect(splitForKey(40, 'ArrowUp', false)).toBeNull();
  });

  it('puts the divider under the pointer', () => {
    expect(splitAt(150, { left: 100, width: 200 })).toBe(25);
    expect(splitAt(50, { left: 100, width: 200 })).toBe(0);
    expect(splitAt(400, { left: 100, width: 200 })).toBe(100);
    expect(splitAt(10, { left: 0, width: 0 })).toBe(50);
  });

  it('compares two to four pictures', () => {
    expect([0, 1, 2, 3, 4, 5].map(canCompare)).toEqual([false, false, true, true, true, false]);
  });
});
