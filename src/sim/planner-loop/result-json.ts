// The planner-in-the-loop result as one plain JSON object (contract: /work/contracts/planner-report.md). All keys
// snake_case; times in seconds of simulated time unless a key says `_ms`. The HTML report is a pure function of
// this object, so it can be rendered again from a saved JSON file.

import type { PlannerConfig } from "../../planner/config.js";
import { PLANNER_CONFIG_FIELDS } from "../../planner/config-fields.js";
import type { PerEngineFpm, TickSnapshot } from "../../planner/diagnostics-recorder.js";
import type { LoadReason, ThroughputReason } from "../../planner/types.js";
import type { GpuHours } from "./gpu-hours.js";
import type { ReplicaStats } from "./replica-stats.js";
import type { ScalingComponent, ScalingEvent } from "./scaling-log.js";
import type { SlaAttainment } from "./sla-attainment.js";

export interface PlannerReplayResultJson {
  /** The flat replay report (mocker §6.1 keys), wall-time keys included. */
  readonly report: Readonly<Record<string, number>>;
  readonly planner: PlannerSection;
}

export interface ScalingEventJson {
  readonly at_s: number;
  readonly component: ScalingComponent;
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
}

export interface KvUtilisationJson {
  readonly at_s: number;
  readonly component: ScalingComponent;
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
}

function perEngineJson(engines: readonly PerEngineFpm[]): PerEngineFpmJson[] {
  return engines.map((e) => ({
    worker_id: e.workerId,
    dp_rank: e.dpRank,
    queued_prefill_tokens: e.queuedPrefillTokens,
    queued_decode_kv_tokens: e.queuedDecodeKvTokens,
    inflight_decode_kv_tokens: e.inflightDecodeKvTokens,
  }));
}

export function tickSnapshotJson(s: TickSnapshot, extras: TickExtras): TickSnapshotJson {
  return {
    timestamp_s: s.timestampS,
    num_prefill_replicas: s.numPrefillReplicas,
    num_decode_replicas: s.numDecodeReplicas,
    observed_ttft_ms: s.observedTtftMs,
    observed_itl_ms: s.observedItlMs,
    observed_requests_per_second: s.observedRequestsPerSecond,
    observed_request_duration_seconds: s.observedRequestDurationSeconds,
    observed_input_sequence_tokens: s.observedInputSequenceTokens,
    observed_output_sequence_tokens: s.observedOutputSequenceTokens,
    observed_kv_hit_rate: s.observedKvHitRate,
    estimated_ttft_ms: s.estimatedTtftMs,
    estimated_itl_ms: s.estimatedItlMs,
    predicted_requests_per_second: s.predictedRequestsPerSecond,
    predicted_input_sequence_tokens: s.predictedInputSequenceTokens,
    predicted_output_sequence_tokens: s.predictedOutputSequenceTokens,
    predicted_kv_hit_rate: s.predictedKvHitRate,
    engine_rps_prefill: s.engineRpsPrefill,
    engine_rps_decode: s.engineRpsDecode,
    load_decision_reason: s.loadDecisionReason,
    throughput_decision_reason: s.throughputDecisionReason,
    load_decision_reason_prefill: s.loadDecisionReasonPrefill,
    load_decision_reason_decode: s.loadDecisionReasonDecode,
    throughput_decision_reason_prefill: s.throughputDecisionReasonPrefill,
    throughput_decision_reason_decode: s.throughputDecisionReasonDecode,
    prefill_engines: perEngineJson(s.prefillEngines),
    decode_engines: perEngineJson(s.decodeEngines),
    throughput_lower_bound_prefill: s.throughputLowerBoundPrefill,
    throughput_lower_bound_decode: s.throughputLowerBoundDecode,
    scale_to_prefill: s.scaleToPrefill,
    scale_to_decode: s.scaleToDecode,
    gpu_hours: s.gpuHours,
    effective_isl: extras.effectiveIsl,
    sticky_kv_hit_rate: extras.stickyKvHitRate,
  };
}

/** Every config field under its file key (snake_case), in the README table's order. */
export function plannerConfigJson(config: PlannerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of PLANNER_CONFIG_FIELDS) out[field.key] = config[field.name];
  return out;
}

export function scalingEventJson(e: ScalingEvent): ScalingEventJson {
  return {
    at_s: e.atS,
    component: e.component,
    from_count: e.fromCount,
    to_count: e.toCount,
    reason: e.reason,
  };
}

export function replicaStatsJson(s: ReplicaStats): ReplicaStatsJson {
  return { peak: s.peak, time_weighted_mean: s.timeWeightedMean, initial: s.initial, final: s.final };
}

export function slaAttainmentJson(s: SlaAttainment): SlaAttainmentJson {
  return {
    ttft_sla_ms: s.ttftSlaMs,
    itl_sla_ms: s.itlSlaMs,
    ttft_fraction: s.ttftFraction,
    itl_fraction: s.itlFraction,
    ttft_requests: s.ttftRequests,
    itl_requests: s.itlRequests,
  };
}

export function gpuHoursJson(h: GpuHours): PlannerSection["gpu_hours"] {
  return { prefill: h.prefill, decode: h.decode, total: h.total };
}
