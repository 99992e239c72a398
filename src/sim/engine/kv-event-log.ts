/**
 * KV cache events of one engine pass (docs/design.md#kv-block-pool), for the router's prefix index.
 *
 *   event e     kind[e]   parentHash[e]         hashStart[e] hashCount[e]   tier[e]
 *   Stored      1         parent, NaN at root   ─┐                            1 GPU (G1), 2 host (G2),
 *   Removed     2         NaN                  ─┼─► hashes[hashStart .. ...)  3 disk (G3)
 *
 *   hashes: Float64Array, flat block (sequence) hashes in event order, hashTotal used.
 *   removedParent: Float64Array beside hashes: for a removed block, the parent it was stored under (NaN = root or
 *   unknown); unused for stored blocks. Lets a router that reads the pool undo a batch it must not see.
 *
 * Invariants: count ≤ kind.length; events are in the order the pool produced them; hashStart[e+1] =
 * hashStart[e] + hashCount[e]; every event holds ≥ 1 hash. Consecutive removals merge into one event.
 * Capacity doubles as needed; reset() keeps the arrays.
 */
export const KvEventKind = { Stored: 1, Removed: 2 } as const;
/** The memory tier an event is about (docs/design.md#kv-tiers); engines without lower tiers publish only Gpu. */
export const KvTier = { Gpu: 1, Host: 2, Disk: 3 } as const;
export type KvTierValue = (typeof KvTier)[keyof typeof KvTier];
export type KvEventKindValue = (typeof KvEventKind)[keyof typeof KvEventKind];

export class KvEventLog {
  count: number;
  kind: Uint8Array;
  parentHash: Float64Array;
  hashStart: Uint32Array;
  hashCount: Uint32Array;
  tier: Uint8Array;
  hashes: Float64Array;
  removedParent: Float64Array;
  hashTotal: number;

  constructor(eventCapacity = 16, hashCapacity = 64) {
    this.count = 0;
    this.kind = new Uint8Array(Math.max(1, eventCapacity));
    this.parentHash = new Float64Array(Math.max(1, eventCapacity));
    this.hashStart = new Uint32Array(Math.max(1, eventCapacity));
    this.hashCount = new Uint32Array(Math.max(1, eventCapacity));
    this.tier = new Uint8Array(Math.max(1, eventCapacity));
    this.hashes = new Float64Array(Math.max(1, hashCapacity));
    this.removedParent = new Float64Array(Math.max(1, hashCapacity));
    this.hashTotal = 0;
  }

  reset(): void {
    this.count = 0;
    this.hashTotal = 0;
  }

  /** One Stored event: blocks blockHashes[from .. to) (to > from) chained under `parentHash` (NaN = root). */
  pushStored(
    parentHash: number,
    blockHashes: ArrayLike<number>,
    from: number,
    to: number,
    tier: KvTierValue = KvTier.Gpu,
  ): void {
    const n = to - from;
    if (n <= 0) return;
    const e = this.beginEvent(KvEventKind.Stored, parentHash, tier);
    this.reserveHashes(n);
    const hashes = this.hashes;
    let at = this.hashTotal;
    for (let j = from; j < to; j++) hashes[at++] = blockHashes[j] as number;
    this.hashTotal = at;
    this.hashCount[e] = n;
  }

  /** Removal of one full block; appended to the previous event when that is a removal from the same tier. */
  pushRemoved(blockHash: number, tier: KvTierValue = KvTier.Gpu): void {
    const e = this.removalEvent(tier);
    this.reserveHashes(1);
    this.removedParent[this.hashTotal] = Number.NaN;
    this.hashes[this.hashTotal++] = blockHash;
    this.hashCount[e] = (this.hashCount[e] as number) + 1;
  }

  /**
   * pushRemoved(hashes[at]), recording parents[parentAt] as the block's parent: the hash read out of an array,
   * so the hot path never boxes it into a call.
   */
  pushRemovedAt(
    hashes: Float64Array,
    at: number,
    parents: Float64Array,
    parentAt: number,
    tier: KvTierValue = KvTier.Gpu,
  ): void {
    const e = this.removalEvent(tier);
    this.reserveHashes(1);
    this.removedParent[this.hashTotal] = parents[parentAt] as number;
    this.hashes[this.hashTotal++] = hashes[at] as number;
    this.hashCount[e] = (this.hashCount[e] as number) + 1;
  }

  /** The hashes of event `e` as a fresh array (tests and diagnostics; not for hot paths). */
  eventHashes(e: number): number[] {
    const start = this.hashStart[e] as number;
    return Array.from(this.hashes.subarray(start, start + (this.hashCount[e] as number)));
  }

  /** The last event when it is a removal from `tier`, else a new removal event. */
  private removalEvent(tier: KvTierValue): number {
    const last = this.count - 1;
    if (last >= 0 && this.kind[last] === KvEventKind.Removed && this.tier[last] === tier) return last;
    return this.beginEvent(KvEventKind.Removed, Number.NaN, tier);
  }

  private beginEvent(kind: KvEventKindValue, parentHash: number, tier: KvTierValue): number {
    if (this.count === this.kind.length) this.growEvents();
    const e = this.count++;
    this.kind[e] = kind;
    this.tier[e] = tier;
    this.parentHash[e] = parentHash;
    this.hashStart[e] = this.hashTotal;
    this.hashCount[e] = 0;
    return e;
  }

  private growEvents(): void {
    const cap = this.kind.length * 2;
    const kind = new Uint8Array(cap);
    kind.set(this.kind);
    this.kind = kind;
    const parent = new Float64Array(cap);
    parent.set(this.parentHash);
    this.parentHash = parent;
    const start = new Uint32Array(cap);
    start.set(this.hashStart);
    this.hashStart = start;
    const count = new Uint32Array(cap);
    count.set(this.hashCount);
    this.hashCount = count;
    const tier = new Uint8Array(cap);
    tier.set(this.tier);
    this.tier = tier;
  }

  private reserveHashes(extra: number): void {
    const need = this.hashTotal + extra;
    if (need <= this.hashes.length) return;
    let cap = this.hashes.length * 2;
    while (cap < need) cap *= 2;
    const grown = new Float64Array(cap);
    grown.set(this.hashes.subarray(0, this.hashTotal));
    this.hashes = grown;
    const parents = new Float64Array(cap);
    parents.set(this.removedParent.subarray(0, this.hashTotal));
    this.removedParent = parents;
  }
}
