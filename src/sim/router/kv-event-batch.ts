/**
 * The read side of the engine's KvEventLog (src/sim/engine/kv-event-log.ts; docs/design.md#prefix-index) that
 * the router consumes. KvEventLog satisfies it structurally; tests and the reference router can feed any
 * batch of this shape.
 *
 *   event e:  kind[e] ∈ KvEventKind (Stored 1, Removed 2)
 *             hashes[hashStart[e] .. hashStart[e] + hashCount[e])   block (sequence) hashes, in order
 *             parentHash[e]                                          Stored only; NaN = first block at the root
 */
export interface KvEventBatch {
  readonly count: number;
  readonly kind: Uint8Array;
  readonly parentHash: Float64Array;
  readonly hashStart: Uint32Array;
  readonly hashCount: Uint32Array;
  readonly hashes: Float64Array;
}
