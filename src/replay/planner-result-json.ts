// Builders of the planner-in-the-loop result JSON (schema: report/planner-result.ts) from the replay's objects.

import type { PlannerConfig } from "../planner/config.js";
import { PLANNER_CONFIG_FIELDS } from "../planner/config-fields.js";
import type { TickSnapshot } from "../planner/diagnostics-recorder.js";
import type {
  PlannerSection,
  ReplicaStatsJson,
  ScalingEvent,
  ScalingEventJson,
  SlaAttainmentJson,
  TickExtras,
  TickSnapshotJson,
} from "../report/planner-result.js";
import { snakeCasedKeys } from "../util/snake-case.js";
import type { GpuHours } from "./gpu-hours.js";
import type { ReplicaStats } from "./replica-stats.js";
import type { SlaAttainment } from "./sla-attainment.js";

/** A tick snapshot and kvsim's extras as one result-JSON diagnostics entry (snake_case keys, snapshot order). */
export function tickSnapshotJson(s: TickSnapshot, extras: TickExtras): TickSnapshotJson {
  return snakeCasedKeys({ ...s, ...extras });
}

/**
 * Every config field under its file key (snake_case), in the README table's order; kvsim's keys only where they
 * apply (beyond-reference ones off `dynamo`, tier ones with tiers), so results without them read as before.
 */
export function plannerConfigJson(config: PlannerConfig, kvTiers = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const beyondReference = config.scalingPolicy !== "dynamo";
  for (const field of PLANNER_CONFIG_FIELDS) {
    if (field.beyondReference === true && !beyondReference) continue;
    if (field.withKvTiersOnly === true && !kvTiers) continue;
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
