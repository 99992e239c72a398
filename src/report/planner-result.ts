// The planner-in-the-loop result as one plain JSON object (docs/planner-in-the-loop.md#the-result-json). All
// keys snake_case; times in seconds of simulated time unless a key says `_ms`. The HTML report is a pure
// function of this object, so it can be rendered again from a saved JSON file.

import type { LoadReason, ThroughputReason } from "../planner/types.js";
import type { StageName } from "../signals/stages.js";

export interface PlannerReplayResultJson {
  /** The flat replay report (docs/replay.md#the-report keys), wall-time keys included; null = no sample. */
  readonly report: Readonly<Record<string, number | null>>;
  readonly planner: PlannerSection;
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
  readonly load_decision_reason: LoadReason | null;
  readonly throughput_decision_reason: ThroughputReason | null;
  readonly load_decision_reason_prefill: LoadReason | null;
  readonly load_decision_reason_decode: LoadReason | null;
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
  /** The kvsim policy's own record of the tick (present only under `scaling_policy: kvsim`). */
  readonly kvsim?: KvsimTickJson | null;
}

export interface KvsimPoolJson {
  readonly current: number;
  readonly required: number;
  readonly target: number;
  readonly binding_term: string;
  readonly reason: string;
}

/** docs/planner.md#kvsim-policy: the signals the kvsim policy read and what each pool needed. */
export interface KvsimTickJson {
  readonly arrival_rate_per_s: number;
  readonly predicted_arrival_rate_per_s: number;
  readonly isl: number;
  readonly osl: number;
  readonly arrival_scv: number;
  readonly engine_kv_hit_rate: number | null;
  readonly router_kv_hit_rate: number | null;
  readonly applied_kv_hit_rate: number;
  readonly prefill_backlog_tokens: number;
  readonly prefill_backlog_requests: number;
  readonly decode_active_requests: number;
  readonly observed_ttft_attainment: number;
  readonly slack_requests: number;
  /** Null when the pool cannot keep up (every arrival would miss). */
  readonly backlog_expected_misses: number | null;
  readonly estimated_ttft_ms: number | null;
  readonly estimated_itl_ms: number | null;
  readonly prefill: KvsimPoolJson | null;
  readonly decode: KvsimPoolJson;
}

export interface KvUtilisationJson {
  readonly at_s: number;
  readonly component: StageName;
  readonly worker_id: number;
  readonly active_blocks: number;
  readonly inactive_blocks: number;
  readonly capacity_blocks: number;
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
}

/** Per-tick additions of kvsim to a TickSnapshot. */
export interface TickExtras {
  readonly effectiveIsl: number | null;
  readonly stickyKvHitRate: number | null;
  /** Under the kvsim policy: its record of the tick, already in JSON form. */
  readonly kvsim?: KvsimTickJson | null;
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
