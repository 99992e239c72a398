// The planner section (report/planner-result.ts) of a replayed schedule — hindsight's, or a static cluster's — so
// a hindsight run reads like any planner run: scaling events, exact GPU-hours, replicas, transitions, SLA
// attainment, distributions, and one diagnostics entry per window (its sizes and reason; the planner's estimates
// and observations do not exist here and are null).

import type { PlannerConfig } from "../../planner/config.js";
import { tieredBytesPerToken } from "../../report/kv-tiers.js";
import type {
  HindsightJson,
  HindsightReason,
  PlannerSection,
  PolicyJson,
  ScalingEvent,
  TickSnapshotJson,
} from "../../report/planner-result.js";
import type { ClusterSimulation } from "../../sim/cluster/cluster-simulation.js";
import {
  cdfOfHistogram,
  cdfOfValues,
  meanItlValuesMs,
  tierDistributions,
  ttftValuesMs,
} from "../distributions.js";
import { exactGpuHours, type GpusPerReplica } from "../gpu-hours.js";
import {
  gpuHoursJson,
  plannerConfigJson,
  replicaStatsJson,
  scalingEventJson,
  slaAttainmentJson,
} from "../planner-result-json.js";
import type { StageLayout } from "../planner-simulation.js";
import { ReplicaTimeline } from "../replica-stats.js";
import { slaAttainment } from "../sla-attainment.js";
import type { AppliedChange, PoolSizes } from "./schedule.js";

export const HINDSIGHT_POLICY: PolicyJson = {
  name: "hindsight",
  origin: "kvsim",
  summary:
    "clairvoyant yardstick, not in Dynamo: the cheapest per-window pool sizes (or static cluster) that meet the " +
    "SLA attainment target, found by simulating the whole trace ahead (snapshot, try sizes, restore)",
};

export interface ScheduleRecord {
  readonly simulation: ClusterSimulation;
  readonly endMs: number;
  readonly windowMs: number;
  readonly windows: readonly { readonly sizes: PoolSizes; readonly reason: HindsightReason }[];
  readonly changes: readonly AppliedChange[];
}

/** The scaling events of the applied changes (from = active workers when applied, to = the new target). */
export function scheduleEvents(record: ScheduleRecord, layout: StageLayout): ScalingEvent[] {
  const events: ScalingEvent[] = [];
  for (const c of record.changes) {
    const pools: ["prefill" | "decode", "prefill" | "decode" | "agg"][] =
      layout.prefillStage === null
        ? [["decode", "agg"]]
        : [
            ["prefill", "prefill"],
            ["decode", "decode"],
          ];
    for (const [pool, component] of pools) {
      if (c.after[pool] === c.before[pool]) continue;
      events.push({
        atS: c.atMs / 1000,
        component,
        fromCount: c.active[pool],
        toCount: c.after[pool],
        reason: c.after[pool] > c.before[pool] ? "scale_up" : "scale_down",
      });
    }
  }
  return events;
}

function windowEntry(
  record: ScheduleRecord,
  w: number,
  disagg: boolean,
  gpuHoursSoFar: number,
): TickSnapshotJson {
  const { sizes, reason } = record.windows[w] as (typeof record.windows)[number];
  return {
    timestamp_s: (w * record.windowMs) / 1000,
    num_prefill_replicas: disagg ? sizes.prefill : null,
    num_decode_replicas: sizes.decode,
    observed_ttft_ms: null,
    observed_itl_ms: null,
    observed_requests_per_second: null,
    observed_request_duration_seconds: null,
    observed_input_sequence_tokens: null,
    observed_output_sequence_tokens: null,
    observed_kv_hit_rate: null,
    estimated_ttft_ms: null,
    estimated_itl_ms: null,
    predicted_requests_per_second: null,
    predicted_input_sequence_tokens: null,
    predicted_output_sequence_tokens: null,
    predicted_kv_hit_rate: null,
    engine_rps_prefill: null,
    engine_rps_decode: null,
    load_decision_reason: reason,
    throughput_decision_reason: null,
    load_decision_reason_prefill: disagg ? reason : null,
    load_decision_reason_decode: disagg ? reason : null,
    throughput_decision_reason_prefill: null,
    throughput_decision_reason_decode: null,
    prefill_engines: [],
    decode_engines: [],
    throughput_lower_bound_prefill: 0,
    throughput_lower_bound_decode: 0,
    scale_to_prefill: disagg ? sizes.prefill : null,
    scale_to_decode: sizes.decode,
    gpu_hours: gpuHoursSoFar,
    effective_isl: null,
    sticky_kv_hit_rate: null,
  };
}

/** The planner section of a replayed schedule. */
export function scheduleSection(
  record: ScheduleRecord,
  layout: StageLayout,
  config: PlannerConfig,
  gpus: GpusPerReplica,
  traceName: string,
  maxKvTokens: number | null,
  hindsight: HindsightJson,
): PlannerSection {
  const disagg = layout.prefillStage !== null;
  const sim = record.simulation;
  const endS = record.endMs / 1000;
  const first = (record.windows[0] as (typeof record.windows)[number]).sizes;
  const prefillReplicas = new ReplicaTimeline(first.prefill);
  const decodeReplicas = new ReplicaTimeline(first.decode);
  for (const c of record.changes) {
    prefillReplicas.observe(c.atMs / 1000, c.after.prefill);
    decodeReplicas.observe(c.atMs / 1000, c.after.decode);
  }
  const replicas: PlannerSection["replicas"] = disagg
    ? {
        prefill: replicaStatsJson(prefillReplicas.stats(endS)),
        decode: replicaStatsJson(decodeReplicas.stats(endS)),
      }
    : { agg: replicaStatsJson(decodeReplicas.stats(endS)) };
  // Scheduled GPU-hours (in place of tick-sampled ones): each window's sizes × its time within the run.
  const diagnostics: TickSnapshotJson[] = [];
  let scheduled = 0;
  let transitions = 0;
  const L = record.windowMs;
  record.windows.forEach((win, w) => {
    diagnostics.push(windowEntry(record, w, disagg, scheduled));
    // The last window's sizes hold to the end of the run.
    const untilMs = w === record.windows.length - 1 ? record.endMs : Math.min(record.endMs, (w + 1) * L);
    const heldMs = Math.max(0, untilMs - w * L);
    scheduled += ((win.sizes.prefill * gpus.prefill + win.sizes.decode * gpus.decode) * heldMs) / 3_600_000;
    if (w > 0) {
      const prev = (record.windows[w - 1] as (typeof record.windows)[number]).sizes;
      if (disagg && prev.prefill !== win.sizes.prefill) transitions++;
      if (prev.decode !== win.sizes.decode) transitions++;
    }
  });
  const collector = sim.collector;
  return {
    mode: layout.mode,
    trace_name: traceName,
    config: plannerConfigJson(config),
    ticks: record.windows.length,
    scaling_events: scheduleEvents(record, layout).map(scalingEventJson),
    gpu_hours: gpuHoursJson(exactGpuHours(sim, layout, gpus, record.endMs)),
    gpu_hours_tick_sampled: scheduled,
    replicas,
    replica_transitions: transitions,
    sla_attainment: slaAttainmentJson(slaAttainment(collector, config.ttftMs, config.itlMs)),
    diagnostics,
    kv_utilisation: [],
    distributions: {
      ttft_ms_cdf: cdfOfValues(ttftValuesMs(collector)),
      itl_ms_cdf: cdfOfHistogram(collector.itlHistogram),
      mean_itl_ms_cdf: cdfOfValues(meanItlValuesMs(collector)),
      ...tierDistributions(collector, tieredBytesPerToken(sim.options) !== null),
    },
    max_kv_tokens: maxKvTokens,
    policy: HINDSIGHT_POLICY,
    hindsight,
  };
}
