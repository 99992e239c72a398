import type { KvPool } from "../engine/kv-pool.js";
import type { AdmissionList } from "./admission-list.js";
import type { KvEventBatch } from "./kv-event-batch.js";

/**
 * What the cluster loop sees of a router (KvRouter, RoundRobinRouter, RandomRouter, ReferenceRouter).
 * The router never dispatches: every call may append rows to `admissions`, which the caller reads, dispatches
 * to the engines and clears. Request ids are trace rows; worker ids are integers ≥ 0, never reused.
 */
export interface Router {
  /** Appended by every call below; the caller reads then clears. */
  readonly admissions: AdmissionList;
  /** Requests held in the router (busy-threshold queue, or parked while no worker is routable). */
  readonly pendingCount: number;
  /** Joins the routing set (may admit queued requests). Adding an id the router has seen before is an error. */
  addWorker(workerId: number, nowMs: number): void;
  /** Leaves the routing set; its state is kept so in-flight requests still free and KV events still apply. */
  removeWorker(workerId: number, nowMs: number): void;
  onRequestArrival(requestId: number, nowMs: number): void;
  onPrefillCompleted(requestId: number, nowMs: number): void;
  onRequestCompleted(requestId: number, nowMs: number): void;
  /** Applies one pass's KV events of `workerId` to the prefix index (no-op for the baselines). */
  applyKvEvents(workerId: number, events: KvEventBatch): void;
  /** Debug (allocates): the block hashes the prefix index attributes to `workerId`; empty without an index. */
  indexedBlocks(workerId: number): number[];
  /**
   * Optional (KvRouter): worker `workerId`'s engine pool, offered before its first pass, for reading the prefix
   * index from the pools instead of replaying events (src/sim/router/pool-mirror.ts); null = not mirrorable.
   */
  mirrorPool?(workerId: number, pool: KvPool | null): void;
  /**
   * Optional (KvRouter; debug, allocates): the blocks the router believes worker `workerId` holds in lower tier
   * `tier` (KvTier.Host or KvTier.Disk), ascending.
   */
  lowerTierBlocks?(workerId: number, tier: number): number[];
  /** Optional (KvRouter): the cluster discarded a pass of `workerId` with these events, unapplied. */
  onDroppedKvEvents?(workerId: number, events: KvEventBatch): void;
}
