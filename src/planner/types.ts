// Boundary types of the planner core (docs/planner.md#tick-input-and-effects). Times: ticks in seconds; SLAs
// and latency estimates reported to users in ms; perf-model estimates in seconds.

import type { StageBacklog } from "../signals/backlog.js";
import type { FpmMap } from "../signals/forward-pass-metrics.js";
import type { KvsimTickDiagnostics } from "./kvsim/diagnostics.js";

export type {
  ForwardPassMetrics,
  FpmMap,
  QueuedRequestMetrics,
  ScheduledRequestMetrics,
} from "../signals/forward-pass-metrics.js";
export { fpmKey } from "../signals/forward-pass-metrics.js";

/** What the state machine asks its driver to do at the next tick. */
export interface ScheduledTick {
  readonly atS: number;
  readonly runLoadScaling: boolean;
  readonly runThroughputScaling: boolean;
  readonly needTrafficMetrics: boolean;
  /** Window the traffic observation should span, seconds (0 when no traffic is needed). */
  readonly trafficMetricsDurationS: number;
  readonly needWorkerStates: boolean;
  readonly needWorkerFpm: boolean;
}

/** One window of router/frontend traffic. `kvHitRate` is the mean of per-request overlap/isl block ratios. */
export interface TrafficObservation {
  readonly durationS: number;
  readonly numReq: number;
  /** Average input sequence length, tokens. */
  readonly isl: number;
  /** Average output sequence length, tokens. */
  readonly osl: number;
  readonly kvHitRate: number | null;
  /** kvsim: requests counted at arrival in the window (a frontend's request counter); absent from the reference. */
  readonly arrivals?: ArrivalObservation | null;
  /** kvsim: prompt tokens the engines found cached / looked up at admission (vLLM prefix-cache counters). */
  readonly engineReusedTokens?: number;
  readonly engineQueriedTokens?: number;
  /** kvsim: the router's mean predicted overlap share, null when it admitted nothing (unlike `kvHitRate`). */
  readonly routerKvHitRate?: number | null;
  /** kvsim: first tokens of the window per TTFT bucket (signals/latency-buckets.ts; a frontend TTFT histogram). */
  readonly ttftBucketCounts?: readonly number[];
  /** kvsim: finished requests per mean-ITL bucket (signals/latency-buckets.ts). */
  readonly itlBucketCounts?: readonly number[];
}

/** Token-weighted mean pass time of the decode tokens of a window (what an engine's ITL histogram measures). */
export interface ObservedItl {
  readonly meanS: number;
  readonly tokens: number;
}

/** Arrivals of one traffic window. */
export interface ArrivalObservation {
  readonly numReq: number;
  /** Mean prompt / requested output length, tokens. */
  readonly isl: number;
  readonly osl: number;
}

/** kvsim: each pool's backlog at the tick (agg: in the decode slot, like its FPMs). */
export interface BacklogObservations {
  readonly prefill: StageBacklog | null;
  readonly decode: StageBacklog | null;
}

export interface WorkerCounts {
  readonly readyNumPrefill: number | null;
  readonly readyNumDecode: number | null;
  readonly expectedNumPrefill: number | null;
  readonly expectedNumDecode: number | null;
}

export interface FpmObservations {
  readonly prefill: FpmMap | null;
  readonly decode: FpmMap | null;
}

export interface TickInput {
  readonly nowS: number;
  readonly traffic?: TrafficObservation | null;
  readonly workerCounts?: WorkerCounts | null;
  readonly fpmObservations?: FpmObservations | null;
  /** kvsim: requests waiting in the routers and engines (read by the kvsim policy only). */
  readonly backlog?: BacklogObservations | null;
  /**
   * kvsim: the inter-token latency the decode slot's engines (agg: the aggregated ones) delivered since the last
   * tick — each pass's wall time weighted by the decode tokens it produced; null without decode passes.
   */
  readonly observedItl?: ObservedItl | null;
}

/** Absolute replica targets; null = no opinion on that component. */
export interface ScalingDecision {
  readonly numPrefill: number | null;
  readonly numDecode: number | null;
}

/** Load-scaling reasons, in the reference's enum order (the Prometheus enum adds "unset"). */
export const LOAD_REASONS = [
  "disabled",
  "no_fpm_data",
  "scaling_in_progress",
  "worker_count_mismatch",
  "insufficient_data",
  "no_change",
  "scale_up",
  "scale_down",
  "scale_down_capped_by_throughput",
] as const;

export type LoadReason = (typeof LOAD_REASONS)[number];

/** Throughput-scaling reasons; `partner_not_ready` appears only in per-component diagnostics. */
export const THROUGHPUT_REASONS = [
  "disabled",
  "no_traffic_data",
  "predict_failed",
  "model_not_ready",
  "partner_not_ready",
  "set_lower_bound",
  "scale",
] as const;

export type ThroughputReason = (typeof THROUGHPUT_REASONS)[number];

/** Per-tick scratch values, all reset to null at the start of every tick. */
export interface TickDiagnostics {
  estimatedTtftMs: number | null;
  estimatedItlMs: number | null;
  predictedNumReq: number | null;
  predictedIsl: number | null;
  predictedOsl: number | null;
  predictedKvHitRate: number | null;
  engineRpsPrefill: number | null;
  engineRpsDecode: number | null;
  throughputLowerBoundPrefill: number;
  throughputLowerBoundDecode: number;
  loadDecisionReason: LoadReason | null;
  throughputDecisionReason: ThroughputReason | null;
  loadDecisionReasonPrefill: LoadReason | null;
  loadDecisionReasonDecode: LoadReason | null;
  throughputDecisionReasonPrefill: ThroughputReason | null;
  throughputDecisionReasonDecode: ThroughputReason | null;
}

export interface PlannerEffects {
  readonly scaleTo: ScalingDecision | null;
  readonly nextTick: ScheduledTick;
  readonly diagnostics: TickDiagnostics;
  /** The kvsim policy's own diagnostics (absent under the dynamo policy). */
  readonly kvsim?: KvsimTickDiagnostics | null;
}

export interface EngineCapabilities {
  readonly numGpu?: number | null;
  readonly maxNumBatchedTokens?: number | null;
  readonly maxNumSeqs?: number | null;
  readonly contextLength?: number | null;
  readonly maxKvTokens?: number | null;
  /** kvsim: seconds a new worker takes before it serves (known from the deployment; absent upstream). */
  readonly startupTimeS?: number | null;
}

/** Agg deployments use only `decode`. */
export interface WorkerCapabilities {
  readonly prefill?: EngineCapabilities | null;
  readonly decode?: EngineCapabilities | null;
}
