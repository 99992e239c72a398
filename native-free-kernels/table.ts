/**
 * Open-addressing hash table from an exact integer key in (−2^53, 2^53) to an int32 value ≥ 0.
 *
 *   slot      0      1      2     ...   capacity−1        capacity = 2^k, mask = capacity − 1
 *   keys   | k0   | k1   | k2   | ... |          |       Float64Array (the key itself, exact in a double)
 *   values | v0   | −1   | v2   | ... |          |       Int32Array   (−1 marks an empty slot)
 *
 *   home(key) = mix(lo32(key), hi32(key)) & mask, lanes of the key's 64-bit two's complement form, mixed with
 *   Math.imul (MurmurHash3 finaliser over lo ^ imul(hi, odd constant)).
 *
 * Linear probing; deletion by backward shift (no tombstones): after emptying slot i, later entries of the same
 * probe run move back into the hole whenever their home is not cyclically inside (i, j]. Lookups therefore stay
 * as short as they were before any deletion, however many deletions happen.
 *
 * Invariants: every stored entry sits in the probe run that starts at its home slot with no empty slot between
 * home and entry; size ≤ capacity · MAX_LOAD (grows ×2 beyond); values ≥ 0; keys are unique.
 */

export const NOT_FOUND = -1;

const EMPTY = -1;
const TWO_POW_32 = 4294967296;
/** Grow when more than this fraction of slots is used: linear probing stays at ≈ 2.5 probes per miss. */
const MAX_LOAD = 0.5;
const MIN_CAPACITY = 8;

function homeHash(key: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / TWO_POW_32) | 0;
  let h = lo ^ Math.imul(hi, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

function capacityFor(entries: number): number {
  let cap = MIN_CAPACITY;
  while (cap * MAX_LOAD < entries) cap *= 2;
  return cap;
}

export class NumberIntTable {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  private count: number;
  private growAt: number;

  /** `initialCapacity` is the number of entries to hold before the first growth (default 16). */
  constructor(initialCapacity = 16) {
    if (!(initialCapacity >= 0) || !Number.isFinite(initialCapacity)) {
      throw new RangeError(`initial capacity must be a finite number ≥ 0, got ${initialCapacity}`);
    }
    const cap = capacityFor(Math.ceil(initialCapacity));
    this.keys = new Float64Array(cap);
    this.values = new Int32Array(cap).fill(EMPTY);
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

  /** The value stored under `key`, or NOT_FOUND. */
  get(key: number): number {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let i = homeHash(key) & mask;
    for (;;) {
      const v = values[i] as number;
      if (v === EMPTY) return NOT_FOUND;
      if (keys[i] === key) return v;
      i = (i + 1) & mask;
    }
  }

  has(key: number): boolean {
    return this.get(key) !== NOT_FOUND;
  }

  /** Inserts or overwrites. `key` must be an exact integer in (−2^53, 2^53), `value` an int32 ≥ 0. */
  set(key: number, value: number): void {
    if (!Number.isSafeInteger(key))
      throw new RangeError(`table key must be an integer in (−2^53, 2^53): ${key}`);
    if ((value | 0) !== value || value < 0)
      throw new RangeError(`table value must be an int32 ≥ 0: ${value}`);
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let i = homeHash(key) & mask;
    for (;;) {
      const v = values[i] as number;
      if (v === EMPTY) break;
      if (keys[i] === key) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key === 0 ? 0 : key; // store −0 as 0 so that exported keys are canonical
    values[i] = value;
    if (++this.count > this.growAt) this.rehash((mask + 1) * 2);
  }

  /** Removes `key`; true if it was present. */
  delete(key: number): boolean {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let i = homeHash(key) & mask;
    for (;;) {
      const v = values[i] as number;
      if (v === EMPTY) return false;
      if (keys[i] === key) break;
      i = (i + 1) & mask;
    }
    // Backward shift: walk the rest of the probe run and pull back every entry whose home lies cyclically
    // outside (hole, j], i.e. an entry that probing would no longer reach once the hole is left empty.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const v = values[j] as number;
      if (v === EMPTY) break;
      const k = keys[j] as number;
      const home = homeHash(k) & mask;
      const reachable = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!reachable) {
        keys[hole] = k;
        values[hole] = v;
        hole = j;
      }
    }
    values[hole] = EMPTY;
    this.count--;
    return true;
  }

  /** Empties the table, keeping its capacity. */
  clear(): void {
    this.values.fill(EMPTY);
    this.count = 0;
  }

  /**
   * Calls `visit(key, value)` for every entry, in slot order (deterministic for a given history of operations).
   * The table must not be modified during the walk. Not for hot paths.
   */
  forEach(visit: (key: number, value: number) => void): void {
    const keys = this.keys;
    const values = this.values;
    for (let i = 0; i <= this.mask; i++) {
      const v = values[i] as number;
      if (v !== EMPTY) visit(keys[i] as number, v);
    }
  }

  private rehash(newCapacity: number): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const keys = new Float64Array(newCapacity);
    const values = new Int32Array(newCapacity).fill(EMPTY);
    const mask = newCapacity - 1;
    for (let s = 0; s < oldValues.length; s++) {
      const v = oldValues[s] as number;
      if (v === EMPTY) continue;
      const k = oldKeys[s] as number;
      let i = homeHash(k) & mask;
      while (values[i] !== EMPTY) i = (i + 1) & mask;
      keys[i] = k;
      values[i] = v;
    }
    this.keys = keys;
    this.values = values;
    this.mask = mask;
    this.growAt = Math.floor(newCapacity * MAX_LOAD);
  }
}
