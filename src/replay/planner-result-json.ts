// Builders of the planner-in-the-loop result JSON (schema: report/planner-result.ts) from the replay's objects.

import type { PlannerConfig } from "../planner/config.js";
import { PLANNER_CONFIG_FIELDS } from "../planner/config-fields.js";
import type { PerEngineFpm, TickSnapshot } from "../planner/diagnostics-recorder.js";
import type { KvsimPoolDiagnostics, KvsimTickDiagnostics } from "../planner/kvsim/diagnostics.js";
import type {
  KvsimPoolJson,
  KvsimTickJson,
  PerEngineFpmJson,
  PlannerSection,
  ReplicaStatsJson,
  ScalingEvent,
  ScalingEventJson,
  SlaAttainmentJson,
  TickExtras,
  TickSnapshotJson,
} from "../report/planner-result.js";
import type { GpuHours } from "./gpu-hours.js";
import type { ReplicaStats } from "./replica-stats.js";
import type { SlaAttainment } from "./sla-attainment.js";

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
    ...(extras.kvsim === undefined ? {} : { kvsim: extras.kvsim }),
  };
}

function kvsimPoolJson(p: KvsimPoolDiagnostics): KvsimPoolJson {
  return {
    current: p.current,
    required: p.required,
    target: p.target,
    binding_term: p.bindingTerm,
    reason: p.reason,
  };
}

/** The kvsim policy's tick record in snake_case (null when it had no data to decide on). */
export function kvsimTickJson(k: KvsimTickDiagnostics | null): KvsimTickJson | null {
  if (k === null) return null;
  return {
    arrival_rate_per_s: k.arrivalRatePerS,
    predicted_arrival_rate_per_s: k.predictedArrivalRatePerS,
    isl: k.isl,
    osl: k.osl,
    arrival_scv: k.arrivalScv,
    engine_kv_hit_rate: k.engineKvHitRate,
    router_kv_hit_rate: k.routerKvHitRate,
    applied_kv_hit_rate: k.appliedKvHitRate,
    prefill_backlog_tokens: k.prefillBacklogTokens,
    prefill_backlog_requests: k.prefillBacklogRequests,
    decode_active_requests: k.decodeActiveRequests,
    observed_ttft_attainment: k.observedTtftAttainment,
    slack_requests: k.slackRequests,
    backlog_expected_misses: Number.isFinite(k.backlogExpectedMisses) ? k.backlogExpectedMisses : null,
    estimated_ttft_ms: k.estimatedTtftMs,
    estimated_itl_ms: k.estimatedItlMs,
    prefill: k.prefill === null ? null : kvsimPoolJson(k.prefill),
    decode: kvsimPoolJson(k.decode),
  };
}

/** Every config field under its file key (snake_case), in the README table's order. */
export function plannerConfigJson(config: PlannerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const beyondReference = config.scalingPolicy !== "dynamo";
  for (const field of PLANNER_CONFIG_FIELDS) {
    if (field.beyondReference === true && !beyondReference) continue;
    out[field.key] = config[field.name];
  }
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
