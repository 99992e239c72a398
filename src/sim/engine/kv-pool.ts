import { NOT_FOUND, NumberIntTable } from "../../../native-free-kernels/table.js";
import type { KvEventLog } from "./kv-event-log.js";
import type { KvTierChain } from "./kv-tiers.js";

/**
 * The vLLM-style KV block pool of one engine (docs/design.md#kv-block-pool): active blocks with reference
 * counts, plus an LRU of inactive (refcount 0) blocks kept for prefix reuse. Capacity counts both.
 *
 *   slot s (0 .. capacity−1), one 32-byte record (one cache line holds everything a block operation touches):
 *     rec[8s + REF]                    Int32    holders (0 = inactive or free)
 *     rec[8s + PREV], rec[8s + NEXT]   Int32    LRU links (−1 = not in the LRU)
 *     cell[4s + KEY]                   Float64  block identity (the same bytes as rec[8s + 4 .. 8s + 6))
 *     cell[4s + PARENT]                Float64  the block it was published under (full blocks; NaN = root)
 *     rec[8s + GPOS]                   Int32    its place in its run group: g·runLength + offset
 *   runs:  a prompt block (key ≥ 0, at index j of a sequence's keys, laid out from the prompt's first block) belongs
 *          to the run of runLength engine blocks (one trace block) starting at j − j mod runLength, keyed by that
 *          block's hash; every other key (generated, partial, uncached) is a run of its own. Hashes are chained,
 *          so a run key and an offset name one block (the slot's key is checked on every lookup).
 *   groups: run key → group g (one table entry per resident run, not per block); gSlot[g·runLength + offset] =
 *          the slot holding that block (−1: not resident), gLive[g] = its resident blocks, gKey[g] = run key
 *   LRU:   inactive slots, least recently freed first, a circular list through slot `capacity` (the sentinel);
 *          holders and links share one 16-byte record, so touching a block costs one cache line, not three
 *   free:  stack of unused slots (freeCount of them)
 *
 *   Block keys:  prompt block hash            [0, 2^53)
 *                generated full block         −1, −2, … (per-engine counter)
 *                partial block (no hash yet)  ≤ PARTIAL_KEY_BASE = −2^52 (engine-internal, never published)
 *
 * Invariants: activeCount = #{s : REF > 0}; inactive = slots in the LRU; activeCount + inactive + freeCount =
 * capacity; groups.size = #{g : gLive[g] > 0}; every resident slot s has gSlot[GPOS] = s; fullResident = resident full blocks. Events go to `events`
 * (null = publishing off).
 *
 * While publishing, the resident full blocks are exactly what a router's prefix index holds for this engine
 * after the events, and each has its published parent — so a router may read the pool instead of replaying the
 * events into an index of its own (src/sim/router/pool-mirror.ts).
 */
export const PARTIAL_KEY_BASE = -4503599627370496; // −2^52

/** True for a partial block's key (no hash; never matched, never published). */
export function isPartialKey(key: number): boolean {
  return key <= PARTIAL_KEY_BASE;
}

const REC = 8;
/** Float64 lanes per record, and the key's and parent's lanes in it (cell is a Float64 view of rec). */
const CELL = 4;
const KEY = 2;
const PARENT = 3;
const REF = 0;
const PREV = 1;
const NEXT = 2;
const GPOS = 3;
const NONE = -1;

export class KvPool {
  readonly capacity: number;
  private readonly rec: Int32Array;
  private readonly cell: Float64Array;
  private readonly sentinel: number;
  private inactive: number;
  /** Engine blocks per run (trace block); 1 = every block is a run of its own. */
  readonly runLength: number;
  private readonly table: NumberIntTable;
  private readonly gSlot: Int32Array;
  private readonly gLive: Int32Array;
  private readonly gKey: Float64Array;
  private readonly gFree: Int32Array;
  private gFreeCount: number;
  /** The group of the last lookup (−1: none): consecutive blocks of a run reuse it without a table probe. */
  private lastGroup: number;
  private readonly scratch: Float64Array;
  private readonly free: Int32Array;
  private freeSlots: number;
  private active: number;
  private stored: Float64Array;
  private storedSlot: Int32Array;
  private fullResident: number;
  /**
   * True while nobody replays this pool's events: a router reads the pool itself (pool-mirror.ts), or the
   * stage's router takes no events (disagg decode). The engine then publishes only on a pass the cluster may
   * discard, which such a router must be able to undo.
   */
  eventsUnread: boolean;
  /** Where events go; null when prefix caching (and so KV publishing) is off. */
  events: KvEventLog | null;
  /** Counts every state change (allocation, reactivation, deref, promotion, destruction). */
  mutations: number;
  /**
   * The tiers below the GPU (null = none, today's single tier): an evicted full block goes down to them, and a
   * block allocated afresh drops its lower copy (kv-tiers.ts).
   */
  lowerTiers: KvTierChain | null;

  constructor(capacity: number, runLength = 1) {
    if (!(runLength >= 1) || (runLength | 0) !== runLength)
      throw new RangeError(`run length must be an integer ≥ 1, got ${runLength}`);
    this.capacity = capacity;
    this.runLength = runLength;
    this.rec = new Int32Array((capacity + 1) * REC);
    this.cell = new Float64Array(this.rec.buffer);
    for (let s = 0; s < capacity; s++) {
      this.rec[s * REC + PREV] = NONE;
      this.rec[s * REC + NEXT] = NONE;
    }
    this.sentinel = capacity;
    this.rec[capacity * REC + PREV] = capacity;
    this.rec[capacity * REC + NEXT] = capacity;
    this.inactive = 0;
    this.table = new NumberIntTable(capacity);
    this.gSlot = new Int32Array(capacity * runLength).fill(NONE);
    this.gLive = new Int32Array(capacity);
    this.gKey = new Float64Array(capacity);
    this.gFree = new Int32Array(capacity);
    for (let g = 0; g < capacity; g++) this.gFree[g] = capacity - 1 - g;
    this.gFreeCount = capacity;
    this.lastGroup = NONE;
    this.scratch = new Float64Array(1);
    this.free = new Int32Array(capacity);
    for (let s = 0; s < capacity; s++) this.free[s] = capacity - 1 - s; // pop order 0, 1, 2, …
    this.freeSlots = capacity;
    this.active = 0;
    this.stored = new Float64Array(64);
    this.storedSlot = new Int32Array(64);
    this.fullResident = 0;
    this.eventsUnread = false;
    this.events = null;
    this.mutations = 0;
    this.lowerTiers = null;
  }

  /** Unused slots (neither active nor inactive). */
  get freeCount(): number {
    return this.freeSlots;
  }

  get activeCount(): number {
    return this.active;
  }

  get inactiveCount(): number {
    return this.inactive;
  }

  /** Resident (active or inactive) full blocks: prompt hashes and generated ids, not partial blocks. */
  get residentFullCount(): number {
    return this.fullResident;
  }

  /**
   * The resident full blocks with the parents they were published under (NaN = root), in slot order (O(capacity);
   * for rebuilding a prefix index from the pool).
   */
  residentFullImage(): { keys: Float64Array; parents: Float64Array } {
    const keys = new Float64Array(this.fullResident);
    const parents = new Float64Array(this.fullResident);
    let n = 0;
    for (let s = 0; s < this.capacity; s++) {
      const resident = (this.rec[s * REC + REF] as number) > 0 || this.inLru(s);
      if (resident && (this.cell[s * CELL + KEY] as number) > PARTIAL_KEY_BASE) {
        keys[n] = this.cell[s * CELL + KEY] as number;
        parents[n++] = this.cell[s * CELL + PARENT] as number;
      }
    }
    return { keys, parents };
  }

  /** True if the block is resident (active or inactive): a prefix-cache hit. */
  contains(key: number): boolean {
    return this.slotOfValue(key) !== NONE;
  }

  /** contains(keys[at]) (block keys travel as (array, index) in hot paths: a double argument is boxed). */
  containsIn(keys: Float64Array, at: number): boolean {
    return this.slotIn(keys, at) !== NONE;
  }

  /** Holders of the block in slot s (0 = inactive or free). */
  refCountOfSlot(s: number): number {
    return this.rec[s * REC + REF] as number;
  }

  /** Holders of keys[at] (0 = inactive); −1 when not resident. */
  refCountIn(keys: Float64Array, at: number): number {
    const s = this.slotIn(keys, at);
    return s === NONE ? -1 : (this.rec[s * REC + REF] as number);
  }

  /** Holders of a resident block (0 = inactive); −1 when not resident. */
  refCount(key: number): number {
    const s = this.slotOfValue(key);
    return s === NONE ? -1 : (this.rec[s * REC + REF] as number);
  }

  /**
   * Use: takes a reference on keys[from .. to) in order and returns how many were obtained (a prefix). A missing
   * block needs a slot: a free one, else the least recently freed inactive block is evicted (Removed if full);
   * with neither, allocation stops. New full blocks are published in one Stored event whose parent is the last
   * full block hit in this call, else `parentKey` (NaN = root), by default keys[from − 1] (the root at from 0):
   * the engine always passes it that way, so no block hash is passed as a double argument (V8 boxes those).
   * `slotsOut[j]` (if given) receives the slot of each obtained block j, for derefSlots.
   */
  use(keys: Float64Array, from: number, to: number, parentKey?: number, slotsOut?: Int32Array): number {
    const rec = this.rec;
    let stored = 0;
    let lastHit = parentKey ?? (from > 0 ? (keys[from - 1] as number) : Number.NaN);
    let j = from;
    for (; j < to; j++) {
      const k = keys[j] as number;
      let s = this.slotIn(keys, j);
      if (s !== NONE) {
        if ((rec[s * REC + REF] as number) > 0) {
          rec[s * REC + REF] = (rec[s * REC + REF] as number) + 1;
        } else {
          this.lruRemove(s);
          rec[s * REC + REF] = 1;
          this.active++;
        }
        if (k > PARTIAL_KEY_BASE) lastHit = k; // a partial block has no hash to chain under
        if (slotsOut !== undefined) slotsOut[j] = s;
        continue;
      }
      // A free slot, else evict the least recently freed block.
      if (this.freeSlots === 0 && !this.evictOne()) break;
      s = this.free[--this.freeSlots] as number;
      this.cell[s * CELL + KEY] = k;
      rec[s * REC + REF] = 1;
      this.addToGroup(keys, j, s);
      if (this.lowerTiers !== null && k > PARTIAL_KEY_BASE) this.lowerTiers.discardIn(keys, j);
      if (slotsOut !== undefined) slotsOut[j] = s;
      this.active++;
      if (k > PARTIAL_KEY_BASE) {
        if (stored === this.stored.length) this.growStored();
        this.storedSlot[stored] = s;
        this.stored[stored++] = k;
      }
    }
    const obtained = j - from;
    this.mutations += obtained;
    if (stored > 0) {
      // The new full blocks form one chain under the last hit, as the Stored event publishes them.
      this.fullResident += stored;
      const cell = this.cell;
      cell[(this.storedSlot[0] as number) * CELL + PARENT] = lastHit;
      for (let i = 1; i < stored; i++)
        cell[(this.storedSlot[i] as number) * CELL + PARENT] = this.stored[i - 1] as number;
      if (this.events !== null) this.events.pushStored(lastHit, this.stored, 0, stored);
    }
    return obtained;
  }

  /** Deref: drops one reference on each of keys[from .. to), tail first; a block reaching 0 becomes the most
   * recent inactive entry (no event: the router keeps believing it is cached until evicted). */
  deref(keys: Float64Array, from: number, to: number): void {
    const rec = this.rec;
    for (let j = to - 1; j >= from; j--) {
      const s = this.slotIn(keys, j);
      if (s === NONE) throw new Error(`KvPool.deref: block ${keys[j]} is not resident`);
      const r = (rec[s * REC + REF] as number) - 1;
      if (r < 0) throw new Error(`KvPool.deref: block ${keys[j]} is not active`);
      rec[s * REC + REF] = r;
      if (r === 0) {
        this.lruPush(s);
        this.active--;
      }
    }
    this.mutations += to - from;
  }

  /**
   * Deref by slot: drops one reference on each of slots[from .. to) (the slots use() reported for the blocks),
   * tail first — the same as deref(keys, …) without a hash lookup per block.
   */
  derefSlots(slots: Int32Array, from: number, to: number): void {
    const rec = this.rec;
    for (let j = to - 1; j >= from; j--) {
      const s = slots[j] as number;
      const r = (rec[s * REC + REF] as number) - 1;
      if (r < 0 || s >= this.capacity) throw new Error(`KvPool.derefSlots: slot ${s} is not active`);
      rec[s * REC + REF] = r;
      if (r === 0) {
        this.lruPush(s);
        this.active--;
      }
    }
    this.mutations += to - from;
  }

  /** The slot of a resident block (debug: checks a sequence's cached slots), −1 when not resident. */
  slotOfKey(key: number): number {
    return this.slotOfValue(key);
  }

  /** slotOfKey(keys[at]) for a sequence's keys laid out from its first block (no scan). */
  slotOfKeyIn(keys: Float64Array, at: number): number {
    return this.slotIn(keys, at);
  }

  /**
   * Promote: the full block `fullKey` replaces the partial block `partialKey` (held once, by its sequence).
   * An already resident full block gains the reference; otherwise the partial's slot takes the new identity and
   * a one-block Stored event is published under `parentKey`. Returns the slot now holding the block.
   */
  promote(partialKey: number, fullKey: number, parentKey: number): number {
    const s = this.slotOf(partialKey, "promote");
    if (this.rec[s * REC + REF] !== 1)
      throw new Error(`KvPool.promote: partial block must be held once (ref ${this.rec[s * REC + REF]})`);
    this.removeFromGroup(s);
    const t = this.slotOfValue(fullKey);
    if (t !== NONE) {
      if ((this.rec[t * REC + REF] as number) > 0) {
        this.rec[t * REC + REF] = (this.rec[t * REC + REF] as number) + 1;
      } else {
        this.lruRemove(t);
        this.rec[t * REC + REF] = 1;
        this.active++;
      }
      this.rec[s * REC + REF] = 0;
      this.free[this.freeSlots++] = s;
      this.active--;
      this.mutations++;
      return t;
    }
    this.cell[s * CELL + KEY] = fullKey;
    this.scratch[0] = fullKey;
    this.addToGroup(this.scratch, 0, s);
    this.cell[s * CELL + PARENT] = parentKey;
    this.fullResident++;
    if (this.events !== null) {
      this.stored[0] = fullKey;
      this.events.pushStored(parentKey, this.stored, 0, 1);
    }
    this.mutations++;
    return s;
  }

  /** Destroy: removes active blocks keys[from .. to) outright, whatever their holders (Removed for full ones). */
  destroy(keys: Float64Array, from: number, to: number): void {
    for (let j = from; j < to; j++) {
      const k = keys[j] as number;
      const s = this.slotIn(keys, j);
      if (s === NONE) throw new Error(`KvPool.destroy: block ${k} is not resident`);
      if ((this.rec[s * REC + REF] as number) <= 0)
        throw new Error(`KvPool.destroy: block ${k} is not active`);
      this.removeFromGroup(s);
      this.rec[s * REC + REF] = 0;
      this.free[this.freeSlots++] = s;
      this.active--;
      if (k > PARTIAL_KEY_BASE) {
        this.fullResident--;
        if (this.events !== null)
          this.events.pushRemovedAt(this.cell, s * CELL + KEY, this.cell, s * CELL + PARENT);
      }
    }
    this.mutations += to - from;
  }

  /** Checks the structural invariants; returns a description of the first violation, or null. */
  checkInvariants(): string | null {
    let active = 0;
    let inactive = 0;
    for (let s = 0; s < this.capacity; s++) {
      const r = this.rec[s * REC + REF] as number;
      if (r < 0) return `slot ${s} has refcount ${r} < 0`;
      if (r > 0) active++;
      const inLru = this.inLru(s);
      if (inLru) inactive++;
      if (inLru && r > 0) return `slot ${s} is both active and inactive`;
      const resident = r > 0 || inLru;
      if (resident) {
        const gpos = this.rec[s * REC + GPOS] as number;
        const g = (gpos / this.runLength) | 0;
        if (this.gSlot[gpos] !== s || this.table.getIn(this.gKey, g) !== g)
          return `slot ${s} is not indexed by its key`;
      }
    }
    if (active !== this.active) return `active count ${this.active} != ${active} active slots`;
    if (inactive !== this.inactive) return `LRU size ${this.inactive} != ${inactive} inactive slots`;
    if (active + inactive > this.capacity)
      return `active ${active} + inactive ${inactive} > capacity ${this.capacity}`;
    if (active + inactive + this.freeSlots !== this.capacity) return "free slots do not add up to capacity";
    let groups = 0;
    for (let g = 0; g < this.capacity; g++) if ((this.gLive[g] as number) > 0) groups++;
    if (this.table.size !== groups) return `table holds ${this.table.size} keys, pool ${groups} runs`;
    const full = this.residentFullBlocks();
    if (full !== this.fullResident) return `resident full count ${this.fullResident} != ${full} full blocks`;
    return null;
  }

  /** Resident (active or inactive) full blocks, i.e. those with a hash or a generated id (debug; O(capacity)). */
  residentFullBlocks(): number {
    let n = 0;
    for (let s = 0; s < this.capacity; s++) {
      const resident = (this.rec[s * REC + REF] as number) > 0 || this.inLru(s);
      if (resident && (this.cell[s * CELL + KEY] as number) > PARTIAL_KEY_BASE) n++;
    }
    return n;
  }

  /** Σ refcounts over active blocks (for the engine's "every reference has a holder" invariant). */
  totalReferences(): number {
    let sum = 0;
    for (let s = 0; s < this.capacity; s++) sum += this.rec[s * REC + REF] as number;
    return sum;
  }

  /** Appends inactive slot s as the most recently freed. */
  private lruPush(s: number): void {
    const rec = this.rec;
    const sentinel = this.sentinel;
    if (rec[s * REC + PREV] !== NONE) throw new Error(`KvPool: slot ${s} is already inactive`);
    const last = rec[sentinel * REC + PREV] as number;
    rec[s * REC + PREV] = last;
    rec[s * REC + NEXT] = sentinel;
    rec[last * REC + NEXT] = s;
    rec[sentinel * REC + PREV] = s;
    this.inactive++;
  }

  /** Unlinks inactive slot s (a cache hit reactivates it, or it is evicted). */
  private lruRemove(s: number): void {
    const rec = this.rec;
    const prev = rec[s * REC + PREV] as number;
    if (prev === NONE) throw new Error(`KvPool: slot ${s} is not inactive`);
    const next = rec[s * REC + NEXT] as number;
    rec[prev * REC + NEXT] = next;
    rec[next * REC + PREV] = prev;
    rec[s * REC + PREV] = NONE;
    rec[s * REC + NEXT] = NONE;
    this.inactive--;
  }

  /** Removes and returns the least recently freed slot, −1 when none is inactive. */
  private lruPop(): number {
    const s = this.rec[this.sentinel * REC + NEXT] as number;
    if (s === this.sentinel) return NONE;
    this.lruRemove(s);
    return s;
  }

  private inLru(s: number): boolean {
    return this.rec[s * REC + PREV] !== NONE;
  }

  private evictOne(): boolean {
    const s = this.lruPop();
    if (s < 0) return false;
    this.removeFromGroup(s);
    this.free[this.freeSlots++] = s;
    if ((this.cell[s * CELL + KEY] as number) > PARTIAL_KEY_BASE) {
      this.fullResident--;
      if (this.events !== null)
        this.events.pushRemovedAt(this.cell, s * CELL + KEY, this.cell, s * CELL + PARENT);
      if (this.lowerTiers !== null) this.lowerTiers.offloadAt(this.cell, s * CELL + KEY, s * CELL + PARENT);
    }
    return true;
  }

  private slotOf(key: number, op: string): number {
    const s = this.slotOfValue(key);
    if (s === NONE) throw new Error(`KvPool.${op}: block ${key} is not resident`);
    return s;
  }

  /** Index in `keys` of the first block of keys[j]'s run (j itself for a run of its own). */
  private runStart(keys: Float64Array, j: number): number {
    const L = this.runLength;
    return L > 1 && (keys[j] as number) >= 0 ? j - (j % L) : j;
  }

  /** The group of the run keyed keys[r], −1 when none of its blocks is resident. */
  private findGroup(keys: Float64Array, r: number): number {
    const g = this.lastGroup;
    if (g >= 0 && this.gKey[g] === keys[r] && (this.gLive[g] as number) > 0) return g;
    const found = this.table.getIn(keys, r);
    if (found !== NOT_FOUND) this.lastGroup = found;
    return found;
  }

  /** The slot holding block keys[j] (a sequence's keys, laid out from its first block), −1 when not resident. */
  private slotIn(keys: Float64Array, j: number): number {
    const r = this.runStart(keys, j);
    const g = this.findGroup(keys, r);
    if (g === NOT_FOUND) return NONE;
    const s = this.gSlot[g * this.runLength + j - r] as number;
    if (s !== NONE && this.cell[s * CELL + KEY] !== keys[j])
      throw new Error(
        `KvPool: blocks ${keys[j]} and ${this.cell[s * CELL + KEY]} share a run key and offset`,
      );
    return s;
  }

  /** The slot of a block given by value, −1 when not resident (a prompt block off its run start: a scan). */
  private slotOfValue(key: number): number {
    if (this.runLength === 1 || key < 0) {
      this.scratch[0] = key;
      return this.slotIn(this.scratch, 0);
    }
    for (let s = 0; s < this.capacity; s++) {
      const resident = (this.rec[s * REC + REF] as number) > 0 || this.inLru(s);
      if (resident && this.cell[s * CELL + KEY] === key) return s;
    }
    return NONE;
  }

  /** Files slot s, now holding keys[j], under its run's group (created when the run had no resident block). */
  private addToGroup(keys: Float64Array, j: number, s: number): void {
    const r = this.runStart(keys, j);
    let g = this.findGroup(keys, r);
    if (g === NOT_FOUND) {
      g = this.gFree[--this.gFreeCount] as number;
      this.gKey[g] = keys[r] as number;
      this.table.setIn(keys, r, g);
      this.lastGroup = g;
    }
    const gpos = g * this.runLength + j - r;
    this.gSlot[gpos] = s;
    this.gLive[g] = (this.gLive[g] as number) + 1;
    this.rec[s * REC + GPOS] = gpos;
  }

  /** Takes slot s out of its run's group (the group leaves the table with its last block). */
  private removeFromGroup(s: number): void {
    const gpos = this.rec[s * REC + GPOS] as number;
    const g = (gpos / this.runLength) | 0;
    this.gSlot[gpos] = NONE;
    const live = (this.gLive[g] as number) - 1;
    this.gLive[g] = live;
    if (live > 0) return;
    this.table.deleteIn(this.gKey, g);
    this.gFree[this.gFreeCount++] = g;
    if (this.lastGroup === g) this.lastGroup = NONE;
  }

  private growStored(): void {
    const grown = new Float64Array(this.stored.length * 2);
    grown.set(this.stored);
    this.stored = grown;
    const slots = new Int32Array(this.storedSlot.length * 2);
    slots.set(this.storedSlot);
    this.storedSlot = slots;
  }
}
