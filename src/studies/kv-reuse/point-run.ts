// One point of the study: a planner-in-the-loop replay of one workload (runReplay with a planner, the library form of
// `kvsim replay --planner-config`), reduced to the figures the study compares. Runs the same on the main thread
// (--threads 1) and in a pool thread, so the numbers never depend on where a point ran.

import { clampKvHitRate } from "../../planner/kv-hit-rate.js";
import type { PlannerSection } from "../../report/planner-result.js";
import { sampled } from "../../report/summary.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { TraceColumns } from "../../trace/columns.js";
import {
  studyClusterOptions as clusterOptionsOf,
  replayStudyPoint,
  type StudyPointHooks,
} from "../study-replay.js";
import { KV_REUSE_ENGINE_ARGS, KV_REUSE_ROUTER_CONFIG, type StudyPoint } from "./design.js";

/**
 * What the planner's sticky KV hit rate looked like over a run's ticks (docs/planner.md#sticky-kv-hit-rate).
 */
export interface StickyHitRateSummary {
  readonly ticks: number;
  /** Ticks after which the sticky value was null (never observed: no discount). */
  readonly nullTicks: number;
  readonly zeroTicks: number;
  readonly positiveTicks: number;
  /** Mean over ticks of the discount the planner applies, clamp(sticky) (null → 0, capped at 0.95). */
  readonly meanApplied: number;
  /** Largest sticky value seen (0 when never positive). */
  readonly max: number;
}

/** The deterministic figures of one point (no host time). */
export interface StudyPointFigures {
  /** Exact GPU-hours: every provisioned worker × 1 GPU over simulated time (agg: all under decode). */
  readonly gpuHours: number;
  readonly gpuHoursPrefill: number;
  readonly gpuHoursDecode: number;
  /** Peak scaled-to size of the prefill pool; null in agg (no prefill pool). */
  readonly peakPrefillReplicas: number | null;
  /** Peak of the decode pool (disagg) or of the aggregated workers (agg). */
  readonly peakDecodeReplicas: number;
  readonly meanPrefillReplicas: number | null;
  readonly meanDecodeReplicas: number;
  /** Fraction of requests with TTFT ≤ the TTFT SLA (docs/design.md#sla-attainment). */
  readonly ttftAttainment: number;
  /** Fraction of requests with ≥ 2 tokens whose mean ITL ≤ the ITL SLA. */
  readonly itlAttainment: number;
  readonly ttftRequests: number;
  readonly replicaTransitions: number;
  readonly scalingEvents: number;
  readonly ticks: number;
  readonly sticky: StickyHitRateSummary;
  /** Σ reused / Σ input tokens the engines actually served from their prefix caches. */
  readonly realisedTokenReuse: number;
  readonly p90TtftMs: number;
  /** Simulated time of the last token, s. */
  readonly simulatedS: number;
}

export interface StudyPointResult {
  readonly point: StudyPoint;
  readonly figures: StudyPointFigures;
  /** Host time of the replay, ms (reported on the console only: never in the study files). */
  readonly wallTimeMs: number;
}

/** The cluster a point replays on: its topology, the study's engine args and router config, one worker per pool. */
export function studyClusterOptions(point: StudyPoint, traceBlockSize: number): ClusterOptions {
  return clusterOptionsOf(
    { mode: point.mode, engineArgs: KV_REUSE_ENGINE_ARGS, routerConfig: KV_REUSE_ROUTER_CONFIG },
    traceBlockSize,
  );
}

export function summarizeStickyHitRate(planner: PlannerSection): StickyHitRateSummary {
  let nullTicks = 0;
  let zeroTicks = 0;
  let positiveTicks = 0;
  let appliedSum = 0;
  let max = 0;
  for (const tick of planner.diagnostics) {
    const sticky = tick.sticky_kv_hit_rate;
    if (sticky === null) nullTicks++;
    else if (sticky > 0) positiveTicks++;
    else zeroTicks++;
    if (sticky !== null && sticky > max) max = sticky;
    appliedSum += clampKvHitRate(sticky);
  }
  const ticks = planner.diagnostics.length;
  return {
    ticks,
    nullTicks,
    zeroTicks,
    positiveTicks,
    meanApplied: ticks === 0 ? 0 : appliedSum / ticks,
    max,
  };
}

/** Runs one point's replay with the planner in the loop. */
export function runStudyPoint(
  trace: TraceColumns,
  point: StudyPoint,
  hooks: StudyPointHooks = {},
): StudyPointResult {
  const options = studyClusterOptions(point, trace.traceBlockSize);
  const { run, planner, prefill, decode } = replayStudyPoint(trace, point, point.plannerFile, options, hooks);
  const report = run.report;
  const figures: StudyPointFigures = {
    gpuHours: planner.gpu_hours.total,
    gpuHoursPrefill: planner.gpu_hours.prefill,
    gpuHoursDecode: planner.gpu_hours.decode,
    peakPrefillReplicas: prefill === null ? null : prefill.peak,
    peakDecodeReplicas: decode.peak,
    meanPrefillReplicas: prefill === null ? null : prefill.time_weighted_mean,
    meanDecodeReplicas: decode.time_weighted_mean,
    ttftAttainment: planner.sla_attainment.ttft_fraction,
    itlAttainment: planner.sla_attainment.itl_fraction,
    ttftRequests: planner.sla_attainment.ttft_requests,
    replicaTransitions: planner.replica_transitions,
    scalingEvents: planner.scaling_events.length,
    ticks: planner.ticks,
    sticky: summarizeStickyHitRate(planner),
    realisedTokenReuse: report.prefix_cache_reused_ratio,
    p90TtftMs: sampled(report.p90_ttft_ms, "p90_ttft_ms"),
    simulatedS: report.duration_ms / 1000,
  };
  return { point, figures, wallTimeMs: run.wallTimeMs };
}
