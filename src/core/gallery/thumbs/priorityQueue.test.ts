import { describe, expect, it } from 'vitest';
import { PriorityQueue } from './priorityQueue';

describe('PriorityQueue', () => {
  it('serves the high lane first, each lane in arrival order', () => {
    const queue = new PriorityQueue<string>();
    queue.push('low-1', 'low');
    queue.push('high-1', 'high');
    queue.push('low-2', 'low');
    queue.push('high-2', 'high');

    expect(queue.size).toBe(4);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([
      'high-1',
      'high-2',
      'low-1',
      'low-2',
      undefined,
    ]);
  });

  it('promotes a waiting low item behind the high ones already waiting', () => {
    const queue = new PriorityQueue<string>();
    queue.push('a', 'low');
    queue.push('b', 'low');
    queue.push('h', 'high');

    expect(queue.promote('b')).toBe(true);
    expect(queue.promote('h')).toBe(false);
    expect(queue.promote('missing')).toBe(false);
    expect(queue.drain()).toEqual(['h', 'b', 'a']);
    expect(queue.size).toBe(0);
  });

  it('removes an item from whichever lane holds it', () => {
    const queue = new PriorityQueue<string>();
    queue.push('a', 'low');
    queue.push('b', 'high');

    expect(queue.remove('a')).toBe(true);
    expect(queue.remove('a')).toBe(false);
    expect(queue.remove('b', 'low')).toBe(false);
    expect(queue.drain()).toEqual(['b']);
  });
});
