import { NOT_FOUND, NumberIntTable } from "../../../native-free-kernels/table.js";

/**
 * One tier of KV memory below the GPU (host memory G2 or local disk G3; docs/design.md#kv-tiers): a bounded LRU
 * set of full blocks, each with the parent it was published under. Blocks arrive as the most recent entry; when
 * the tier is full the least recent entry is pushed out first (insert reports it so the caller can pass it down).
 *
 *   entry e:   key[e], parent[e] (Float64; NaN parent = root), prev[e], next[e] (Int32 LRU links, −1 = none)
 *   table:     key → entry
 *   LRU:       head = least recent, tail = most recent
 *   arrays grow ×2 up to `capacity`, so a huge tier costs memory only as it fills (~40 bytes per block held).
 *
 * Invariants: size = entries linked in the LRU = table.size ≤ capacity; keys are unique.
 */
const NONE = -1;
const INITIAL_ENTRIES = 256;

export class KvTierStore {
  readonly capacity: number;
  private key: Float64Array;
  private parent: Float64Array;
  private prev: Int32Array;
  private next: Int32Array;
  private readonly table: NumberIntTable;
  private head: number;
  private tail: number;
  private used: number;
  private freeList: number;
  size: number;
  /** After insert(): whether an entry was pushed out, and which (key, parent). */
  pushedOut: boolean;
  pushedKey: number;
  pushedParent: number;
  /** Scratch for passing a key by value to the table without boxing. */
  private readonly scratch: Float64Array;

  constructor(capacity: number) {
    if (!(capacity >= 1) || (capacity | 0) !== capacity)
      throw new RangeError(`tier capacity must be an integer ≥ 1, got ${capacity}`);
    this.capacity = capacity;
    const n = Math.min(capacity, INITIAL_ENTRIES);
    this.key = new Float64Array(n);
    this.parent = new Float64Array(n);
    this.prev = new Int32Array(n);
    this.next = new Int32Array(n);
    this.table = new NumberIntTable(n);
    this.head = NONE;
    this.tail = NONE;
    this.used = 0;
    this.freeList = NONE;
    this.size = 0;
    this.pushedOut = false;
    this.pushedKey = 0;
    this.pushedParent = Number.NaN;
    this.scratch = new Float64Array(1);
  }

  /** The entry holding keys[at], −1 when absent. */
  entryIn(keys: Float64Array, at: number): number {
    return this.table.getIn(keys, at);
  }

  has(key: number): boolean {
    this.scratch[0] = key;
    return this.table.getIn(this.scratch, 0) !== NOT_FOUND;
  }

  keyOf(e: number): number {
    return this.key[e] as number;
  }

  parentOf(e: number): number {
    return this.parent[e] as number;
  }

  /**
   * Adds keys[at] (absent) as the most recent entry; a full tier first pushes out its least recent entry
   * (pushedOut / pushedKey / pushedParent say which).
   */
  insertIn(keys: Float64Array, at: number, parentKey: number): void {
    this.pushedOut = false;
    if (this.size === this.capacity) {
      const e = this.head;
      this.pushedOut = true;
      this.pushedKey = this.key[e] as number;
      this.pushedParent = this.parent[e] as number;
      this.removeEntry(e);
    }
    const e = this.takeEntry();
    this.key[e] = keys[at] as number;
    this.parent[e] = parentKey;
    this.table.setIn(keys, at, e);
    this.prev[e] = this.tail;
    this.next[e] = NONE;
    if (this.tail !== NONE) this.next[this.tail] = e;
    else this.head = e;
    this.tail = e;
    this.size++;
  }

  /** Removes entry e (onboarded into the GPU, or dropped because the GPU now holds the block). */
  removeEntry(e: number): void {
    this.scratch[0] = this.key[e] as number;
    this.table.deleteIn(this.scratch, 0);
    const p = this.prev[e] as number;
    const n = this.next[e] as number;
    if (p !== NONE) this.next[p] = n;
    else this.head = n;
    if (n !== NONE) this.prev[n] = p;
    else this.tail = p;
    this.next[e] = this.freeList;
    this.prev[e] = NONE;
    this.freeList = e;
    this.size--;
  }

  /** The keys from least to most recent (tests and diagnostics). */
  keysInLruOrder(): number[] {
    const out: number[] = [];
    for (let e = this.head; e !== NONE; e = this.next[e] as number) out.push(this.key[e] as number);
    return out;
  }

  /** Checks the structure; returns a description of the first violation, or null. */
  checkInvariants(): string | null {
    if (this.size > this.capacity) return `holds ${this.size} blocks > capacity ${this.capacity}`;
    if (this.table.size !== this.size) return `table holds ${this.table.size} keys, LRU ${this.size}`;
    let n = 0;
    let last = NONE;
    for (let e = this.head; e !== NONE; e = this.next[e] as number) {
      if (this.prev[e] !== last) return `entry ${e} has a broken back link`;
      if (this.entryIn(this.key, e) !== e) return `entry ${e} is not indexed by its key`;
      last = e;
      if (++n > this.size) return "LRU list is longer than the size";
    }
    if (last !== this.tail) return "LRU tail is not the last entry";
    if (n !== this.size) return `LRU list holds ${n} entries, size ${this.size}`;
    return null;
  }

  private takeEntry(): number {
    if (this.freeList !== NONE) {
      const e = this.freeList;
      this.freeList = this.next[e] as number;
      return e;
    }
    if (this.used === this.key.length) this.grow();
    return this.used++;
  }

  private grow(): void {
    const cap = Math.min(this.capacity, this.key.length * 2);
    const key = new Float64Array(cap);
    key.set(this.key);
    this.key = key;
    const parent = new Float64Array(cap);
    parent.set(this.parent);
    this.parent = parent;
    const prev = new Int32Array(cap);
    prev.set(this.prev);
    this.prev = prev;
    const next = new Int32Array(cap);
    next.set(this.next);
    this.next = next;
  }
}
