// The planner-in-the-loop result as one plain JSON object (contract: /work/contracts/planner-report.md). All keys
// snake_case; times in seconds of simulated time unless a key says `_ms`. The HTML report is a pure function of
// this object, so it can be rendered again from a saved JSON file.

import type { LoadReason, ThroughputReason } from "../planner/types.js";
import type { StageName } from "../signals/stages.js";

export interface PlannerReplayResultJson {
  /** The flat replay report (mocker §6.1 keys), wall-time keys included. */
  readonly report: Readonly<Record<string, number>>;
  readonly planner: PlannerSection;
  /** `--compare-hindsight`: the same trace, cluster and SLA under hindsight and the cheapest static cluster. */
  readonly comparison?: ComparisonJson;
}

/** One yardstick's figures beside the planner's. */
export interface YardstickJson {
  readonly gpu_hours: number;
  readonly ttft_fraction: number;
  readonly itl_fraction: number;
  /** The planner's GPU-hours / this yardstick's. */
  readonly planner_ratio: number;
}

export interface ComparisonJson {
  readonly attainment_target: number;
  readonly hindsight: YardstickJson & {
    readonly chosen: "schedule" | "static";
    readonly trials: number;
    /** Provisioned replicas over time per component: [time_s, count] steps from t = 0. */
    readonly replica_steps: Readonly<Record<string, readonly [number, number][]>>;
  };
  readonly cheapest_static: YardstickJson & {
    readonly prefill: number | null;
    readonly decode: number;
    readonly gpus: number;
  };
}

export interface ScalingEventJson {
  readonly at_s: number;
  readonly component: StageName;
  readonly from_count: number;
  readonly to_count: number;
  readonly reason: "scale_up" | "scale_down";
}

export interface ReplicaStatsJson {
  readonly peak: number;
  readonly time_weighted_mean: number;
  readonly initial: number;
  readonly final: number;
}

export interface SlaAttainmentJson {
  readonly ttft_sla_ms: number;
  readonly itl_sla_ms: number;
  readonly ttft_fraction: number;
  readonly itl_fraction: number;
  readonly ttft_requests: number;
  readonly itl_requests: number;
}

export interface PerEngineFpmJson {
  readonly worker_id: string;
  readonly dp_rank: number;
  readonly queued_prefill_tokens: number;
  readonly queued_decode_kv_tokens: number;
  readonly inflight_decode_kv_tokens: number;
}

/** One DiagnosticsRecorder TickSnapshot in snake_case, plus kvsim's effective_isl and sticky_kv_hit_rate. */
export interface TickSnapshotJson {
  readonly timestamp_s: number;
  readonly num_prefill_replicas: number | null;
  readonly num_decode_replicas: number | null;
  readonly observed_ttft_ms: number | null;
  readonly observed_itl_ms: number | null;
  readonly observed_requests_per_second: number | null;
  readonly observed_request_duration_seconds: number | null;
  readonly observed_input_sequence_tokens: number | null;
  readonly observed_output_sequence_tokens: number | null;
  readonly observed_kv_hit_rate: number | null;
  readonly estimated_ttft_ms: number | null;
  readonly estimated_itl_ms: number | null;
  readonly predicted_requests_per_second: number | null;
  readonly predicted_input_sequence_tokens: number | null;
  readonly predicted_output_sequence_tokens: number | null;
  readonly predicted_kv_hit_rate: number | null;
  readonly engine_rps_prefill: number | null;
  readonly engine_rps_decode: number | null;
  readonly load_decision_reason: LoadReason | HindsightReason | null;
  readonly throughput_decision_reason: ThroughputReason | null;
  readonly load_decision_reason_prefill: LoadReason | HindsightReason | null;
  readonly load_decision_reason_decode: LoadReason | HindsightReason | null;
  readonly throughput_decision_reason_prefill: ThroughputReason | null;
  readonly throughput_decision_reason_decode: ThroughputReason | null;
  readonly prefill_engines: readonly PerEngineFpmJson[];
  readonly decode_engines: readonly PerEngineFpmJson[];
  readonly throughput_lower_bound_prefill: number;
  readonly throughput_lower_bound_decode: number;
  readonly scale_to_prefill: number | null;
  readonly scale_to_decode: number | null;
  /** Tick-sampled cumulative GPU-hours at this tick. */
  readonly gpu_hours: number;
  /** Observed ISL × (1 − clamp(sticky hit rate)); null while no window has completed requests. */
  readonly effective_isl: number | null;
  /** The hit rate the planner discounts prefill by after this tick (unclamped; null = never observed). */
  readonly sticky_kv_hit_rate: number | null;
}

export interface KvUtilisationJson {
  readonly at_s: number;
  readonly component: StageName;
  readonly worker_id: number;
  readonly active_blocks: number;
  readonly inactive_blocks: number;
  readonly capacity_blocks: number;
}

/**
 * Reasons of a hindsight schedule's window (one diagnostics entry per window): sizes chosen by the search that meet
 * the target, the largest sizes tried when none within the budget does, or the cheapest static cluster when it
 * beat the searched schedule.
 */
export type HindsightReason = "hindsight" | "hindsight_unreachable" | "hindsight_static";

/** Which scaling policy produced a planner section, and whose design it is. Absent for `dynamo` (unchanged output). */
export interface PolicyJson {
  readonly name: "kvsim" | "hindsight";
  /** "dynamo": reproduces NVIDIA Dynamo's planner; "kvsim": kvsim's own design, not in Dynamo. */
  readonly origin: "dynamo" | "kvsim";
  readonly summary: string;
}

export interface HindsightWindowJson {
  readonly start_s: number;
  /** Prefill replicas (null in agg). */
  readonly prefill: number | null;
  /** Decode (agg: aggregated) replicas. */
  readonly decode: number;
  readonly reason: HindsightReason;
  /** Trial simulations the search ran for this window. */
  readonly trials: number;
}

/** A static cluster's figures (the cheapest one meeting the target). */
export interface StaticClusterJson {
  readonly prefill: number | null;
  readonly decode: number;
  readonly gpus: number;
  readonly gpu_hours: number;
  readonly ttft_fraction: number;
  readonly itl_fraction: number;
}

/** How the hindsight schedule was found. */
export interface HindsightJson {
  readonly window_s: number;
  readonly attainment_target: number;
  /** "schedule": the searched schedule; "static": the cheapest static cluster was cheaper (or the only one meeting it). */
  readonly chosen: "schedule" | "static";
  /** Trial simulations of the window search (each from a restored snapshot, until its verdict was known). */
  readonly trials: number;
  /** Full replays of the cheapest-static search. */
  readonly static_replays: number;
  /** The searched schedule's exact GPU-hours (whether chosen or not). */
  readonly schedule_gpu_hours: number;
  readonly schedule_meets_target: boolean;
  readonly static: StaticClusterJson;
  readonly windows: readonly HindsightWindowJson[];
}

export interface PlannerSection {
  readonly mode: "agg" | "disagg";
  /** Trace file name, or "synthetic". */
  readonly trace_name: string;
  /** The planner config as used: every field in snake_case, defaults included. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly ticks: number;
  readonly scaling_events: readonly ScalingEventJson[];
  /** Exact GPU-hours (agg: all under decode). */
  readonly gpu_hours: { readonly prefill: number; readonly decode: number; readonly total: number };
  readonly gpu_hours_tick_sampled: number;
  /** "prefill" and "decode" in disagg, "agg" in agg. */
  readonly replicas: Readonly<Record<string, ReplicaStatsJson>>;
  readonly replica_transitions: number;
  readonly sla_attainment: SlaAttainmentJson;
  readonly diagnostics: readonly TickSnapshotJson[];
  readonly kv_utilisation: readonly KvUtilisationJson[];
  readonly distributions: {
    readonly ttft_ms_cdf: readonly [number, number][];
    readonly itl_ms_cdf: readonly [number, number][];
    readonly mean_itl_ms_cdf: readonly [number, number][];
  };
  readonly max_kv_tokens: number | null;
  /** Present for policies beyond Dynamo's (`kvsim`, `hindsight`); absent keeps `dynamo` results unchanged. */
  readonly policy?: PolicyJson;
  /** The hindsight search's record (policy `hindsight` only). */
  readonly hindsight?: HindsightJson;
}

/** Per-tick additions of kvsim to a TickSnapshot. */
export interface TickExtras {
  readonly effectiveIsl: number | null;
  readonly stickyKvHitRate: number | null;
}

/** One applied scaling decision of the planner loop. */
export interface ScalingEvent {
  /** Simulated time of the tick that decided it, seconds. */
  readonly atS: number;
  readonly component: StageName;
  /** Active workers when the decision was applied. */
  readonly fromCount: number;
  readonly toCount: number;
  readonly reason: "scale_up" | "scale_down";
}
