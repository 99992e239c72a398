/**
 * KV cache events of one engine pass (docs/design.md#kv-block-pool), for the router's prefix index.
 *
 *   event e     kind[e]   parentHash[e]         hashStart[e] hashCount[e]
 *   Stored      1         parent, NaN at root   ─┐
 *   Removed     2         NaN                  ─┼─► hashes[hashStart .. hashStart+hashCount)
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
export type KvEventKindValue = (typeof KvEventKind)[keyof typeof KvEventKind];

export class KvEventLog {
  count: number;
  kind: Uint8Array;
  parentHash: Float64Array;
  hashStart: Uint32Array;
  hashCount: Uint32Array;
  hashes: Float64Array;
  removedParent: Float64Array;
  hashTotal: number;

  constructor(eventCapacity = 16, hashCapacity = 64) {
    this.count = 0;
    this.kind = new Uint8Array(Math.max(1, eventCapacity));
    this.parentHash = new Float64Array(Math.max(1, eventCapacity));
    this.hashStart = new Uint32Array(Math.max(1, eventCapacity));
    this.hashCount = new Uint32Array(Math.max(1, eventCapacity));
    this.hashes = new Float64Array(Math.max(1, hashCapacity));
    this.removedParent = new Float64Array(Math.max(1, hashCapacity));
    this.hashTotal = 0;
  }

  reset(): void {
    this.count = 0;
    this.hashTotal = 0;
  }

  /** One Stored event: blocks blockHashes[from .. to) (to > from) chained under `parentHash` (NaN = root). */
  pushStored(parentHash: number, blockHashes: ArrayLike<number>, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    const e = this.beginEvent(KvEventKind.Stored, parentHash);
    this.reserveHashes(n);
    const hashes = this.hashes;
    let at = this.hashTotal;
    for (let j = from; j < to; j++) hashes[at++] = blockHashes[j] as number;
    this.hashTotal = at;
    this.hashCount[e] = n;
  }

  /** Removal of one full block; appended to the previous event when that is a removal too. */
  pushRemoved(blockHash: number): void {
    const last = this.count - 1;
    let e: number;
    if (last >= 0 && this.kind[last] === KvEventKind.Removed) e = last;
    else e = this.beginEvent(KvEventKind.Removed, Number.NaN);
    this.reserveHashes(1);
    this.removedParent[this.hashTotal] = Number.NaN;
    this.hashes[this.hashTotal++] = blockHash;
    this.hashCount[e] = (this.hashCount[e] as number) + 1;
  }

  /**
   * pushRemoved(hashes[at]), recording parents[parentAt] as the block's parent: the hash read out of an array,
   * so the hot path never boxes it into a call.
   */
  pushRemovedAt(hashes: Float64Array, at: number, parents: Float64Array, parentAt: number): void {
    const last = this.count - 1;
    let e: number;
    if (last >= 0 && this.kind[last] === KvEventKind.Removed) e = last;
    else e = this.beginEvent(KvEventKind.Removed, Number.NaN);
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

  private beginEvent(kind: KvEventKindValue, parentHash: number): number {
    if (this.count === this.kind.length) this.growEvents();
    const e = this.count++;
    this.kind[e] = kind;
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
