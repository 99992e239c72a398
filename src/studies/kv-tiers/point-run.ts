// One point of the KV-tiers study: a replay of one workload on one deployment with one tier configuration — a
// static cluster (runReplay, as `kvsim replay`) or the planner in the loop (as `kvsim replay --planner-config`) —
// reduced to the figures the study compares. Runs the same on the main thread and in a pool thread, so no figure
// depends on where a point ran.

import { runReplay } from "../../replay/run-replay.js";
import { sampled } from "../../report/summary.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { TraceColumns } from "../../trace/columns.js";
import { replayStudyPoint, type StudyPointHooks, studyClusterOptions } from "../study-replay.js";
import { INITIAL_WORKERS, type KvTiersPoint, STATIC_WORKERS } from "./design.js";

const MS_PER_HOUR = 3_600_000;

/** The deterministic figures of one point (no host time). */
export interface KvTiersPointFigures {
  /** Shares of all prompt tokens served from the GPU cache, the host tier and the disk tier (sum = reuse). */
  readonly reuseG1: number;
  readonly reuseG2: number;
  readonly reuseG3: number;
  /** prefix_cache_reused_ratio: reused / input tokens, all tiers. */
  readonly reuse: number;
  readonly ttftP50Ms: number;
  readonly ttftP99Ms: number;
  /** Requests that onboarded any block from host or disk (0 without tiers). */
  readonly onboardedRequests: number;
  /** Over those requests (link wait + transfer); null when none onboarded. */
  readonly onboardingP50Ms: number | null;
  readonly onboardingP99Ms: number | null;
  /** Bytes the tier links moved. */
  readonly onboardedBytes: number;
  /** Static: workers × simulated time; planner: every provisioned worker × 1 GPU over simulated time. */
  readonly gpuHours: number;
  /** Time-weighted mean size of the prefill pool (disagg); null otherwise. */
  readonly meanPrefillReplicas: number | null;
  /** Of the aggregated workers (agg) or the decode pool (disagg); a static cluster's size. */
  readonly meanDecodeReplicas: number;
  /** Simulated time of the last token, s. */
  readonly simulatedS: number;
}

export interface KvTiersPointResult {
  readonly point: KvTiersPoint;
  readonly figures: KvTiersPointFigures;
  /** Host time, ms (console only: never in the study files). */
  readonly wallTimeMs: number;
}

/** The cluster a point runs on: its deployment's topology and starting size, its tier config, the KV router. */
export function kvTiersClusterOptions(point: KvTiersPoint, traceBlockSize: number): ClusterOptions {
  const isStatic = point.deployment === "static-agg";
  return studyClusterOptions(
    {
      mode: point.deployment === "planner-disagg" ? "disagg" : "agg",
      engineArgs: point.engineArgs,
      workers: isStatic ? { ...INITIAL_WORKERS, agg: STATIC_WORKERS[point.workload] } : INITIAL_WORKERS,
    },
    traceBlockSize,
  );
}

/** Runs one point (see the header). */
export function runKvTiersPoint(
  trace: TraceColumns,
  point: KvTiersPoint,
  hooks: StudyPointHooks = {},
): KvTiersPointResult {
  const options = kvTiersClusterOptions(point, trace.traceBlockSize);
  let run: ReturnType<typeof runReplay>;
  let gpuHours: number;
  let meanPrefillReplicas: number | null = null;
  let meanDecodeReplicas: number;
  if (point.plannerFile === null) {
    run = runReplay(trace, options, { hooks });
    meanDecodeReplicas = options.numWorkers;
    gpuHours = (options.numWorkers * run.report.duration_ms) / MS_PER_HOUR;
  } else {
    const mode = point.deployment === "planner-disagg" ? "disagg" : "agg";
    const r = replayStudyPoint(trace, { ...point, mode }, point.plannerFile, options, hooks);
    run = r.run;
    gpuHours = r.planner.gpu_hours.total;
    meanPrefillReplicas = r.prefill === null ? null : r.prefill.time_weighted_mean;
    meanDecodeReplicas = r.decode.time_weighted_mean;
  }
  const report = run.report;
  const tiers = run.kvTiers;
  const figures: KvTiersPointFigures = {
    // Without a tier the report has no kv_tiers section: every reused token came from the GPU cache.
    reuseG1: tiers === null ? report.prefix_cache_reused_ratio : tiers.reused_ratio_g1,
    reuseG2: tiers === null ? 0 : tiers.reused_ratio_g2,
    reuseG3: tiers === null ? 0 : tiers.reused_ratio_g3,
    reuse: report.prefix_cache_reused_ratio,
    ttftP50Ms: sampled(report.median_ttft_ms, "median_ttft_ms"),
    ttftP99Ms: sampled(report.p99_ttft_ms, "p99_ttft_ms"),
    onboardedRequests: tiers === null ? 0 : tiers.onboarding.requests,
    onboardingP50Ms: tiers === null ? null : tiers.onboarding.p50_ms,
    onboardingP99Ms: tiers === null ? null : tiers.onboarding.p99_ms,
    onboardedBytes: tiers === null ? 0 : tiers.onboarding.bytes,
    gpuHours,
    meanPrefillReplicas,
    meanDecodeReplicas,
    simulatedS: report.duration_ms / 1000,
  };
  return { point, figures, wallTimeMs: run.wallTimeMs };
}
