/**
 * The read side of the engine's KvEventLog (src/sim/engine/kv-event-log.ts; docs/design.md#prefix-index) that
 * the router consumes. KvEventLog satisfies it structurally; tests and the reference router can feed any
 * batch of this shape.
 *
 *   event e:  kind[e] ∈ KvEventKind (Stored 1, Removed 2)
 *             hashes[hashStart[e] .. hashStart[e] + hashCount[e])   block (sequence) hashes, in order
 *             parentHash[e]                                          Stored only; NaN = first block at the root
 *             tier[e] (optional; absent = every event is GPU)         KvTier: 1 GPU, 2 host, 3 disk — the prefix
 *                                                                    index holds GPU blocks only
 */
export interface KvEventBatch {
  readonly count: number;
  readonly kind: Uint8Array;
  readonly parentHash: Float64Array;
  readonly hashStart: Uint32Array;
  readonly hashCount: Uint32Array;
  readonly hashes: Float64Array;
  readonly tier?: Uint8Array;
}

/** True when event e of the batch is about a tier below the GPU (the prefix index skips it). */
export function isLowerTierEvent(events: KvEventBatch, e: number): boolean {
  return events.tier !== undefined && events.tier[e] !== 1;
}
