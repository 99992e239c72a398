/**
 * Open-addressing hash table from an exact integer key in (−2^53, 2^53) to an int32 value ≥ 0.
 *
 *   slot      0                1                ...   capacity−1        capacity = 2^k, mask = capacity − 1
 *   cells  | lo hi ~v · | lo hi ~v · | ... |            |            Int32Array, 4 int32 (16 bytes) per slot
 *
 *   A key is held as its two 32-bit lanes: lo = key mod 2^32 (unsigned bits), hi = floor(key / 2^32), so
 *   key = hi·2^32 + lo exactly. A value v is stored as ~v (< 0), so 0 marks an empty slot and a new zero-filled
 *   array is an empty table. Key lanes and value share one 16-byte cell, so a probe touches one cache line, not
 *   one in a key array and another in a value array.
 *   home(key) = mix(lo, hi) & mask (MurmurHash3 finaliser over lo ^ imul(hi, odd constant)).
 *
 * Linear probing; deletion by backward shift (no tombstones): after emptying slot i, later entries of the same
 * probe run move back into the hole whenever their home is not cyclically inside (i, j]. Lookups therefore stay
 * as short as they were before any deletion, however many deletions happen.
 *
 * Invariants: every stored entry sits in the probe run that starts at its home slot with no empty slot between
 * home and entry; size ≤ capacity · MAX_LOAD (grows ×2 beyond); values ≥ 0; keys are unique.
 */

export const NOT_FOUND = -1;

/** A cell holds ~value (−1 − value, always < 0), so 0 marks an empty cell and fresh arrays start empty. */
const EMPTY = 0;
const TWO_POW_32 = 4294967296;
/** Grow when more than this fraction of slots is used: linear probing stays at ≈ 2.5 probes per miss. */
const MAX_LOAD = 0.5;
const MIN_CAPACITY = 8;
const MAX_SAFE_KEY = 9007199254740991; // 2^53 − 1

function mixLanes(lo: number, hi: number): number {
  let h = lo ^ Math.imul(hi, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Passes a key given by value to the (array, index) code path without boxing it again. */
const KEY_SCRATCH = new Float64Array(1);

function capacityFor(entries: number): number {
  let cap = MIN_CAPACITY;
  while (cap * MAX_LOAD < entries) cap *= 2;
  return cap;
}

export class NumberIntTable {
  private cells: Int32Array;
  private mask: number;
  private count: number;
  private growAt: number;

  /** `initialCapacity` is the number of entries to hold before the first growth (default 16). */
  constructor(initialCapacity = 16) {
    if (!(initialCapacity >= 0) || !Number.isFinite(initialCapacity)) {
      throw new RangeError(`initial capacity must be a finite number ≥ 0, got ${initialCapacity}`);
    }
    const cap = capacityFor(Math.ceil(initialCapacity));
    this.cells = emptyCells(cap);
    this.mask = cap - 1;
    this.count = 0;
    this.growAt = Math.floor(cap * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  /** Number of slots (a power of two). */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Makes room for `entries` entries without growing again (one rehash now instead of several later). */
  reserve(entries: number): void {
    const cap = capacityFor(Math.ceil(entries));
    if (cap > this.mask + 1) this.rehash(cap);
  }

  /** The value stored under `key`, or NOT_FOUND. */
  get(key: number): number {
    const slot = this.findSlot(key);
    return slot >= 0 ? ~(this.cells[(slot << 2) + 2] as number) : NOT_FOUND;
  }

  /**
   * get(keys[at]). The *In variants take the key as (array, index): a key is a double that is rarely a small
   * integer, and V8 boxes such a double into a fresh heap number whenever it is passed to a call it does not
   * inline — in the simulator's hot loops that was millions of allocations. An array and an index never box.
   */
  getIn(keys: Float64Array, at: number): number {
    const slot = this.findSlotIn(keys, at);
    return slot >= 0 ? ~(this.cells[(slot << 2) + 2] as number) : NOT_FOUND;
  }

  /** findSlot(keys[at]) (see getIn). */
  findSlotIn(keys: Float64Array, at: number): number {
    const key = keys[at] as number;
    const lo = key >>> 0;
    const hi = Math.floor(key / TWO_POW_32) | 0;
    const cells = this.cells;
    const mask = this.mask;
    let i = mixLanes(lo, hi) & mask;
    for (;;) {
      const c = i << 2;
      if (cells[c + 2] === EMPTY) return ~i;
      if (cells[c] === (lo | 0) && cells[c + 1] === hi) return i;
      i = (i + 1) & mask;
    }
  }

  /** set(keys[at], value) (see getIn). */
  setIn(keys: Float64Array, at: number, value: number): void {
    const slot = this.findSlotIn(keys, at);
    if (slot >= 0) this.setValueAt(slot, value);
    else this.insertAtFrom(slot, keys, at, value);
  }

  /** delete(keys[at]) (see getIn); true if it was present. */
  deleteIn(keys: Float64Array, at: number): boolean {
    const slot = this.findSlotIn(keys, at);
    if (slot < 0) return false;
    this.shiftOut(slot);
    return true;
  }

  has(key: number): boolean {
    return this.get(key) !== NOT_FOUND;
  }

  /** Inserts or overwrites. `key` must be an exact integer in (−2^53, 2^53), `value` an int32 ≥ 0. */
  set(key: number, value: number): void {
    // Checked before probing: an invalid key (NaN, a fraction) would otherwise alias a stored one's lanes.
    if (!Number.isSafeInteger(key))
      throw new RangeError(`table key must be an integer in (−2^53, 2^53): ${key}`);
    if ((value | 0) !== value || value < 0)
      throw new RangeError(`table value must be an int32 ≥ 0: ${value}`);
    const slot = this.findSlot(key);
    if (slot >= 0) {
      this.cells[(slot << 2) + 2] = ~value;
      return;
    }
    const at = ~slot << 2;
    const cells = this.cells;
    cells[at] = key >>> 0;
    cells[at + 1] = Math.floor(key / TWO_POW_32) | 0;
    cells[at + 2] = ~value;
    if (++this.count > this.growAt) this.rehash((this.mask + 1) * 2);
  }

  /**
   * One probe for a read-modify-write: the slot holding `key` (≥ 0), or ~slot (< 0) of the empty slot where it
   * would be inserted. The answer stays valid only until the table is next modified; use it at once with
   * valueAt / setValueAt / insertAt / deleteAt.
   */
  findSlot(key: number): number {
    const lo = key >>> 0;
    const hi = Math.floor(key / TWO_POW_32) | 0;
    const cells = this.cells;
    const mask = this.mask;
    let i = mixLanes(lo, hi) & mask;
    for (;;) {
      const at = i << 2;
      if (cells[at + 2] === EMPTY) return ~i;
      if (cells[at] === (lo | 0) && cells[at + 1] === hi) return i;
      i = (i + 1) & mask;
    }
  }

  /** The value in an occupied slot found by findSlot. */
  valueAt(slot: number): number {
    return ~(this.cells[(slot << 2) + 2] as number);
  }

  /** Overwrites the value in an occupied slot found by findSlot (`value` an int32 ≥ 0). */
  setValueAt(slot: number, value: number): void {
    if ((value | 0) !== value || value < 0)
      throw new RangeError(`table value must be an int32 ≥ 0: ${value}`);
    this.cells[(slot << 2) + 2] = ~value;
  }

  /** Inserts `key` (absent: findSlot returned `missing` = ~slot for it just before) with `value`. */
  insertAt(missing: number, key: number, value: number): void {
    KEY_SCRATCH[0] = key;
    this.insertAtFrom(missing, KEY_SCRATCH, 0, value);
  }

  /** insertAt(missing, keys[at], value) (see getIn). */
  insertAtFrom(missing: number, keys: Float64Array, at: number, value: number): void {
    const key = keys[at] as number;
    // Written out rather than Number.isSafeInteger(key): a double handed to a builtin call is boxed.
    if (!(Math.floor(key) === key && Math.abs(key) <= MAX_SAFE_KEY))
      throw new RangeError(`table key must be an integer in (−2^53, 2^53): ${key}`);
    if ((value | 0) !== value || value < 0)
      throw new RangeError(`table value must be an int32 ≥ 0: ${value}`);
    const c = ~missing << 2;
    const cells = this.cells;
    if (cells[c + 2] !== EMPTY) throw new RangeError("insertAt: the slot is not empty (stale findSlot?)");
    cells[c] = key >>> 0;
    cells[c + 1] = Math.floor(key / TWO_POW_32) | 0;
    cells[c + 2] = ~value;
    if (++this.count > this.growAt) this.rehash((this.mask + 1) * 2);
  }

  /** Removes `key`; true if it was present. */
  delete(key: number): boolean {
    const slot = this.findSlot(key);
    if (slot < 0) return false;
    this.shiftOut(slot);
    return true;
  }

  /** Removes the entry in an occupied slot found by findSlot. */
  deleteAt(slot: number): void {
    if (this.cells[(slot << 2) + 2] === EMPTY)
      throw new RangeError("deleteAt: the slot is empty (stale findSlot?)");
    this.shiftOut(slot);
  }

  /** Empties occupied slot i, keeping every probe run intact. */
  private shiftOut(i: number): void {
    const cells = this.cells;
    const mask = this.mask;
    // Backward shift: walk the rest of the probe run and pull back every entry whose home lies cyclically
    // outside (hole, j], i.e. an entry that probing would no longer reach once the hole is left empty.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const at = j << 2;
      const v = cells[at + 2] as number;
      if (v === EMPTY) break;
      const klo = cells[at] as number;
      const khi = cells[at + 1] as number;
      const home = mixLanes(klo, khi) & mask;
      const reachable = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!reachable) {
        const to = hole << 2;
        cells[to] = klo;
        cells[to + 1] = khi;
        cells[to + 2] = v;
        hole = j;
      }
    }
    cells[(hole << 2) + 2] = EMPTY;
    this.count--;
  }

  /** Empties the table, keeping its capacity. */
  clear(): void {
    this.cells.fill(0);
    this.count = 0;
  }

  /**
   * Calls `visit(key, value)` for every entry, in slot order (deterministic for a given history of operations).
   * The table must not be modified during the walk. Not for hot paths.
   */
  forEach(visit: (key: number, value: number) => void): void {
    const cells = this.cells;
    for (let at = 0; at < cells.length; at += 4) {
      const v = cells[at + 2] as number;
      if (v !== EMPTY) visit((cells[at + 1] as number) * TWO_POW_32 + ((cells[at] as number) >>> 0), ~v);
    }
  }

  private rehash(newCapacity: number): void {
    const old = this.cells;
    const cells = emptyCells(newCapacity);
    const mask = newCapacity - 1;
    for (let from = 0; from < old.length; from += 4) {
      const v = old[from + 2] as number;
      if (v === EMPTY) continue;
      const lo = old[from] as number;
      const hi = old[from + 1] as number;
      let i = mixLanes(lo, hi) & mask;
      while (cells[(i << 2) + 2] !== EMPTY) i = (i + 1) & mask;
      const at = i << 2;
      cells[at] = lo;
      cells[at + 1] = hi;
      cells[at + 2] = v;
    }
    this.cells = cells;
    this.mask = mask;
    this.growAt = Math.floor(newCapacity * MAX_LOAD);
  }
}

function emptyCells(capacity: number): Int32Array {
  return new Int32Array(capacity * 4); // all EMPTY (0)
}
