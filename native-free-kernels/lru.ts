/**
 * LRU order over node ids 0 .. capacity−1: a circular doubly linked list in two Int32Arrays with a sentinel.
 *
 *   index   0    1    2   ...  capacity−1 | capacity (= S, the sentinel)
 *   prev  | p0 | p1 | p2 | ... |          | most recent node (S when empty)
 *   next  | n0 | n1 | n2 | ... |          | least recent node (S when empty)
 *
 *   S → next → least recent → ... → most recent → next → S      (prev links run the other way)
 *
 * Invariants: a node is in the list iff prev[node] ≠ −1 (outside the list prev = next = −1); following next from S
 * visits every listed node exactly once, least recent first, and returns to S; size = number of listed nodes.
 * Every operation is O(1) and allocation-free.
 */

const NONE = -1;

export class LruList {
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private readonly sentinel: number;
  private count: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > 0x7ffffffe) {
      throw new RangeError(`LRU capacity must be an integer in [0, 2^31 − 2], got ${capacity}`);
    }
    this.prev = new Int32Array(capacity + 1).fill(NONE);
    this.next = new Int32Array(capacity + 1).fill(NONE);
    this.sentinel = capacity;
    this.count = 0;
    this.prev[capacity] = capacity;
    this.next[capacity] = capacity;
  }

  get size(): number {
    return this.count;
  }

  /** Number of node ids the list can hold (ids 0 .. capacity−1). */
  get capacity(): number {
    return this.sentinel;
  }

  has(node: number): boolean {
    return node >>> 0 === node && node < this.sentinel && this.prev[node] !== NONE;
  }

  /** Appends `node` as the most recently used. The node must not be in the list. */
  pushMostRecent(node: number): void {
    this.checkId(node);
    if (this.prev[node] !== NONE) throw new RangeError(`LRU node ${node} is already in the list`);
    const s = this.sentinel;
    const last = this.prev[s] as number;
    this.prev[node] = last;
    this.next[node] = s;
    this.next[last] = node;
    this.prev[s] = node;
    this.count++;
  }

  /** Unlinks `node`. The node must be in the list. */
  remove(node: number): void {
    this.checkId(node);
    const p = this.prev[node] as number;
    if (p === NONE) throw new RangeError(`LRU node ${node} is not in the list`);
    const n = this.next[node] as number;
    this.next[p] = n;
    this.prev[n] = p;
    this.prev[node] = NONE;
    this.next[node] = NONE;
    this.count--;
  }

  /** Moves a listed node to the most recent end (a cache hit). */
  touch(node: number): void {
    this.remove(node);
    this.pushMostRecent(node);
  }

  /** The least recently used node, −1 when empty. */
  leastRecent(): number {
    const n = this.next[this.sentinel] as number;
    return n === this.sentinel ? NONE : n;
  }

  /** The most recently used node, −1 when empty. */
  mostRecent(): number {
    const p = this.prev[this.sentinel] as number;
    return p === this.sentinel ? NONE : p;
  }

  /** The node used just after `node` (one step toward the most recent end), −1 at the end. */
  moreRecentThan(node: number): number {
    this.checkId(node);
    const n = this.next[node] as number;
    if (this.prev[node] === NONE) throw new RangeError(`LRU node ${node} is not in the list`);
    return n === this.sentinel ? NONE : n;
  }

  /** Removes and returns the least recently used node, −1 when empty. */
  popLeastRecent(): number {
    const n = this.next[this.sentinel] as number;
    if (n === this.sentinel) return NONE;
    this.remove(n);
    return n;
  }

  /** Empties the list (O(capacity)). */
  clear(): void {
    this.prev.fill(NONE);
    this.next.fill(NONE);
    this.prev[this.sentinel] = this.sentinel;
    this.next[this.sentinel] = this.sentinel;
    this.count = 0;
  }

  private checkId(node: number): void {
    if (node >>> 0 !== node || node >= this.sentinel) {
      throw new RangeError(`LRU node id ${node} is outside 0 .. ${this.sentinel - 1}`);
    }
  }
}
