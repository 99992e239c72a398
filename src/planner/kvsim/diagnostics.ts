// What the kvsim policy reports per load tick, beside the reference's TickDiagnostics: the signals it read,
// what each pool needs and why, and the scale-down brake's verdict (docs/planner.md#kvsim-policy).

import type { GateReason } from "./scale-down-gate.js";

/** Why a pool's target is what it is. */
export type KvsimPoolReason =
  | GateReason
  | "insufficient_data"
  | "scaling_in_progress"
  | "capped_by_budget"
  | "backlog_absorbed";

export interface KvsimPoolDiagnostics {
  /** Replicas the pool had (as ordered) before this tick. */
  readonly current: number;
  /** Replicas the sizing asked for (after min_endpoint and the budget). */
  readonly required: number;
  /** Replicas ordered after the scale-down brake. */
  readonly target: number;
  /** The sizing term that set `required` (demand, backlog, itl, batch, …). */
  readonly bindingTerm: string;
  readonly reason: KvsimPoolReason;
}

export interface KvsimTickDiagnostics {
  readonly arrivalRatePerS: number;
  readonly predictedArrivalRatePerS: number;
  readonly isl: number;
  readonly osl: number;
  readonly arrivalScv: number;
  /** Reuse the engines realised and the router predicted, and the one prefill sizing applied. */
  readonly engineKvHitRate: number | null;
  readonly routerKvHitRate: number | null;
  readonly appliedKvHitRate: number;
  /** Uncached prompt tokens waiting for prefill (router queue and engines), and their requests. */
  readonly prefillBacklogTokens: number;
  readonly prefillBacklogRequests: number;
  /** Requests decoding or waiting to decode. */
  readonly decodeActiveRequests: number;
  /** First tokens within the TTFT SLA so far (the frontend histogram), and the misses still affordable. */
  readonly observedTtftAttainment: number;
  readonly slackRequests: number;
  /** Requests the backlog would make miss the TTFT SLA if the pool stayed as it is (null: every arrival would). */
  readonly backlogExpectedMisses: number | null;
  /** Estimated TTFT / ITL of a request arriving now on the ready pools, ms. */
  readonly estimatedTtftMs: number | null;
  readonly estimatedItlMs: number | null;
  /** Null in agg. */
  readonly prefill: KvsimPoolDiagnostics | null;
  /** The decode pool, or the aggregated pool. */
  readonly decode: KvsimPoolDiagnostics;
}
