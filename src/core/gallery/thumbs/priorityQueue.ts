export type ThumbPriority = 'high' | 'low';

/**
 * Two FIFO lanes: everything waiting in `high` (thumbnails the UI shows right now) goes before
 * anything in `low` (import and reconcile work). Items are compared by identity.
 */
export class PriorityQueue<T> {
  private readonly lanes: Record<ThumbPriority, T[]> = { high: [], low: [] };

  get size(): number {
    return this.lanes.high.length + this.lanes.low.length;
  }

  push(item: T, priority: ThumbPriority): void {
    this.lanes[priority].push(item);
  }

  shift(): T | undefined {
    return this.lanes.high.shift() ?? this.lanes.low.shift();
  }

  /** Moves a waiting low-priority item to the back of the high lane; false if it was not waiting there. */
  promote(item: T): boolean {
    if (!this.remove(item, 'low')) return false;
    this.lanes.high.push(item);
    return true;
  }

  /** Takes an item out wherever it waits; false if it was not waiting. */
  remove(item: T, only?: ThumbPriority): boolean {
    for (const priority of only ? [only] : (['high', 'low'] as const)) {
      const lane = this.lanes[priority];
      const index = lane.indexOf(item);
      if (index >= 0) {
        lane.splice(index, 1);
        return true;
      }
    }
    return false;
  }

  /** Empties the queue, returning what was waiting (high first). */
  drain(): T[] {
    return [...this.lanes.high.splice(0), ...this.lanes.low.splice(0)];
  }
}
