import { LruList } from "../../../native-free-kernels/lru.js";
import { NOT_FOUND, NumberIntTable } from "../../../native-free-kernels/table.js";
import type { KvEventLog } from "./kv-event-log.js";

/**
 * The vLLM-style KV block pool of one engine (mocker §4.2): active blocks with reference counts, plus an LRU of
 * inactive (refcount 0) blocks kept for prefix reuse. Capacity counts both.
 *
 *   slot s (0 .. capacity−1)   key[s]  Float64  block identity        ref[s]  Int32  holders (0 = inactive/free)
 *   table: key → slot for every resident block (active ∪ inactive)
 *   lru:   inactive slots, least recently freed first
 *   free:  stack of unused slots (freeCount of them)
 *
 *   Block keys:  prompt block hash            [0, 2^53)
 *                generated full block         −1, −2, … (per-engine counter)
 *                partial block (no hash yet)  ≤ PARTIAL_KEY_BASE = −2^52 (engine-internal, never published)
 *
 * Invariants: activeCount = #{s : ref[s] > 0}; lru.size = #inactive; activeCount + lru.size + freeCount =
 * capacity; table.size = activeCount + lru.size. Events go to `events` (null = publishing off).
 */
export const PARTIAL_KEY_BASE = -4503599627370496; // −2^52

/** True for a partial block's key (no hash; never matched, never published). */
export function isPartialKey(key: number): boolean {
  return key <= PARTIAL_KEY_BASE;
}

export class KvPool {
  readonly capacity: number;
  private readonly key: Float64Array;
  private readonly ref: Int32Array;
  private readonly table: NumberIntTable;
  private readonly lru: LruList;
  private readonly free: Int32Array;
  private freeCount: number;
  private active: number;
  private stored: Float64Array;
  /** Where events go; null when prefix caching (and so KV publishing) is off. */
  events: KvEventLog | null;
  /** Counts every state change (allocation, reactivation, deref, promotion, destruction). */
  mutations: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.key = new Float64Array(capacity);
    this.ref = new Int32Array(capacity);
    this.table = new NumberIntTable(capacity);
    this.lru = new LruList(capacity);
    this.free = new Int32Array(capacity);
    for (let s = 0; s < capacity; s++) this.free[s] = capacity - 1 - s; // pop order 0, 1, 2, …
    this.freeCount = capacity;
    this.active = 0;
    this.stored = new Float64Array(64);
    this.events = null;
    this.mutations = 0;
  }

  get activeCount(): number {
    return this.active;
  }

  get inactiveCount(): number {
    return this.lru.size;
  }

  /** True if the block is resident (active or inactive): a prefix-cache hit. */
  contains(key: number): boolean {
    return this.table.get(key) !== NOT_FOUND;
  }

  /** Holders of a resident block (0 = inactive); −1 when not resident. */
  refCount(key: number): number {
    const s = this.table.get(key);
    return s === NOT_FOUND ? -1 : (this.ref[s] as number);
  }

  /**
   * Use: takes a reference on keys[from .. to) in order and returns how many were obtained (a prefix). A missing
   * block needs a slot: a free one, else the least recently freed inactive block is evicted (Removed if full);
   * with neither, allocation stops. New full blocks are published in one Stored event whose parent is the last
   * full block hit in this call, else `parentKey` (NaN = root).
   */
  use(keys: Float64Array, from: number, to: number, parentKey: number): number {
    const table = this.table;
    const ref = this.ref;
    let stored = 0;
    let lastHit = parentKey;
    let j = from;
    for (; j < to; j++) {
      const k = keys[j] as number;
      let s = table.get(k);
      if (s !== NOT_FOUND) {
        if ((ref[s] as number) > 0) {
          ref[s] = (ref[s] as number) + 1;
        } else {
          this.lru.remove(s);
          ref[s] = 1;
          this.active++;
        }
        if (k > PARTIAL_KEY_BASE) lastHit = k; // a partial block has no hash to chain under
        continue;
      }
      if (this.freeCount === 0 && !this.evictOne()) break;
      s = this.free[--this.freeCount] as number;
      this.key[s] = k;
      ref[s] = 1;
      table.set(k, s);
      this.active++;
      if (k > PARTIAL_KEY_BASE) {
        if (stored === this.stored.length) this.growStored();
        this.stored[stored++] = k;
      }
    }
    const obtained = j - from;
    this.mutations += obtained;
    if (stored > 0 && this.events !== null) this.events.pushStored(lastHit, this.stored, 0, stored);
    return obtained;
  }

  /** Deref: drops one reference on each of keys[from .. to), tail first; a block reaching 0 becomes the most
   * recent inactive entry (no event: the router keeps believing it is cached until evicted). */
  deref(keys: Float64Array, from: number, to: number): void {
    const ref = this.ref;
    for (let j = to - 1; j >= from; j--) {
      const s = this.slotOf(keys[j] as number, "deref");
      const r = (ref[s] as number) - 1;
      if (r < 0) throw new Error(`KvPool.deref: block ${keys[j]} is not active`);
      ref[s] = r;
      if (r === 0) {
        this.lru.pushMostRecent(s);
        this.active--;
      }
    }
    this.mutations += to - from;
  }

  /**
   * Promote: the full block `fullKey` replaces the partial block `partialKey` (held once, by its sequence).
   * An already resident full block gains the reference; otherwise the partial's slot takes the new identity and
   * a one-block Stored event is published under `parentKey`.
   */
  promote(partialKey: number, fullKey: number, parentKey: number): void {
    const s = this.slotOf(partialKey, "promote");
    if (this.ref[s] !== 1)
      throw new Error(`KvPool.promote: partial block must be held once (ref ${this.ref[s]})`);
    this.table.delete(partialKey);
    const t = this.table.get(fullKey);
    if (t !== NOT_FOUND) {
      if ((this.ref[t] as number) > 0) {
        this.ref[t] = (this.ref[t] as number) + 1;
      } else {
        this.lru.remove(t);
        this.ref[t] = 1;
        this.active++;
      }
      this.ref[s] = 0;
      this.free[this.freeCount++] = s;
      this.active--;
    } else {
      this.key[s] = fullKey;
      this.table.set(fullKey, s);
      if (this.events !== null) {
        this.stored[0] = fullKey;
        this.events.pushStored(parentKey, this.stored, 0, 1);
      }
    }
    this.mutations++;
  }

  /** Destroy: removes active blocks keys[from .. to) outright, whatever their holders (Removed for full ones). */
  destroy(keys: Float64Array, from: number, to: number): void {
    for (let j = from; j < to; j++) {
      const k = keys[j] as number;
      const s = this.slotOf(k, "destroy");
      if ((this.ref[s] as number) <= 0) throw new Error(`KvPool.destroy: block ${k} is not active`);
      this.table.delete(k);
      this.ref[s] = 0;
      this.free[this.freeCount++] = s;
      this.active--;
      if (k > PARTIAL_KEY_BASE && this.events !== null) this.events.pushRemoved(k);
    }
    this.mutations += to - from;
  }

  /** Checks the structural invariants; returns a description of the first violation, or null. */
  checkInvariants(): string | null {
    let active = 0;
    let inactive = 0;
    for (let s = 0; s < this.capacity; s++) {
      const r = this.ref[s] as number;
      if (r < 0) return `slot ${s} has refcount ${r} < 0`;
      if (r > 0) active++;
      const inLru = this.lru.has(s);
      if (inLru) inactive++;
      if (inLru && r > 0) return `slot ${s} is both active and inactive`;
      const resident = r > 0 || inLru;
      if (resident && this.table.get(this.key[s] as number) !== s)
        return `slot ${s} is not indexed by its key`;
    }
    if (active !== this.active) return `active count ${this.active} != ${active} active slots`;
    if (inactive !== this.lru.size) return `LRU size ${this.lru.size} != ${inactive} inactive slots`;
    if (active + inactive > this.capacity)
      return `active ${active} + inactive ${inactive} > capacity ${this.capacity}`;
    if (active + inactive + this.freeCount !== this.capacity) return "free slots do not add up to capacity";
    if (this.table.size !== active + inactive)
      return `table holds ${this.table.size} keys, pool ${active + inactive}`;
    return null;
  }

  /** Σ refcounts over active blocks (for the engine's "every reference has a holder" invariant). */
  totalReferences(): number {
    let sum = 0;
    for (let s = 0; s < this.capacity; s++) sum += this.ref[s] as number;
    return sum;
  }

  private evictOne(): boolean {
    const s = this.lru.popLeastRecent();
    if (s < 0) return false;
    const k = this.key[s] as number;
    this.table.delete(k);
    this.free[this.freeCount++] = s;
    if (k > PARTIAL_KEY_BASE && this.events !== null) this.events.pushRemoved(k);
    return true;
  }

  private slotOf(key: number, op: string): number {
    const s = this.table.get(key);
    if (s === NOT_FOUND) throw new Error(`KvPool.${op}: block ${key} is not resident`);
    return s;
  }

  private growStored(): void {
    const grown = new Float64Array(this.stored.length * 2);
    grown.set(this.stored);
    this.stored = grown;
  }
}
