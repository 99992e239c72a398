// One point of the planner study: a replay of one workload under one planner (runReplay with a planner config:
// `dynamo` and `kvsim` in the loop, `hindsight` as the searched schedule), reduced to the figures the study
// compares. A hindsight point also carries the cheapest static cluster its search verified. Runs the same on the
// main thread and in a pool thread, so no figure depends on where a point ran.

import type { PlannerSection } from "../../report/planner-result.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { TraceColumns } from "../../trace/columns.js";
import { replayStudyPoint, type StudyPointHooks, studyClusterOptions } from "../study-replay.js";
import { INITIAL_WORKERS, PLANNER_STUDY_ENGINE_ARGS, type PlannerStudyPoint } from "./design.js";

/** The cheapest static cluster meeting the point's SLA target (hindsight points only). */
export interface StaticFigures {
  readonly prefill: number | null;
  readonly decode: number;
  readonly gpuHours: number;
  readonly ttftAttainment: number;
  readonly itlAttainment: number;
}

/** The deterministic figures of one point (no host time). */
export interface PlannerPointFigures {
  readonly gpuHours: number;
  readonly peakPrefillReplicas: number | null;
  /** Peak of the decode pool (disagg) or of the aggregated workers (agg). */
  readonly peakDecodeReplicas: number;
  readonly ttftAttainment: number;
  readonly itlAttainment: number;
  /** Ticks (or windows) at which a pool's replica count changed, summed over pools. */
  readonly replicaTransitions: number;
  /** replicaTransitions per pool per 5 simulated minutes (the flapping yardstick: ≤ 1). */
  readonly transitionsPer5MinPerPool: number;
  readonly realisedTokenReuse: number;
  /** Simulated time of the last token, s. */
  readonly simulatedS: number;
  /** Hindsight only: whether the searched schedule or the static cluster was cheaper, and that cluster. */
  readonly hindsightChosen: "schedule" | "static" | null;
  readonly staticCluster: StaticFigures | null;
}

export interface PlannerPointResult {
  readonly point: PlannerStudyPoint;
  readonly figures: PlannerPointFigures;
  /** Host time, ms (console only: never in the study files). */
  readonly wallTimeMs: number;
}

/** The cluster a point starts from: its topology and workload's engines, the KV router, 2 workers per pool. */
export function plannerStudyClusterOptions(point: PlannerStudyPoint, traceBlockSize: number): ClusterOptions {
  return studyClusterOptions(
    { mode: point.mode, engineArgs: PLANNER_STUDY_ENGINE_ARGS[point.workload], workers: INITIAL_WORKERS },
    traceBlockSize,
  );
}

function staticFigures(planner: PlannerSection): StaticFigures | null {
  const s = planner.hindsight?.static;
  if (s === undefined) return null;
  return {
    prefill: s.prefill,
    decode: s.decode,
    gpuHours: s.gpu_hours,
    ttftAttainment: s.ttft_fraction,
    itlAttainment: s.itl_fraction,
  };
}

/** Transitions per pool per 5 simulated minutes (a run shorter than a second counts as one second). */
export function transitionsPer5MinPerPool(transitions: number, pools: number, simulatedS: number): number {
  return transitions / pools / (Math.max(simulatedS, 1) / 300);
}

/** Runs one point (see the header). */
export function runPlannerPoint(
  trace: TraceColumns,
  point: PlannerStudyPoint,
  hooks: StudyPointHooks = {},
): PlannerPointResult {
  const options = plannerStudyClusterOptions(point, trace.traceBlockSize);
  const { run, planner, prefill, decode } = replayStudyPoint(trace, point, point.plannerFile, options, hooks);
  const simulatedS = run.report.duration_ms / 1000;
  const figures: PlannerPointFigures = {
    gpuHours: planner.gpu_hours.total,
    peakPrefillReplicas: prefill === null ? null : prefill.peak,
    peakDecodeReplicas: decode.peak,
    ttftAttainment: planner.sla_attainment.ttft_fraction,
    itlAttainment: planner.sla_attainment.itl_fraction,
    replicaTransitions: planner.replica_transitions,
    transitionsPer5MinPerPool: transitionsPer5MinPerPool(
      planner.replica_transitions,
      point.mode === "agg" ? 1 : 2,
      simulatedS,
    ),
    realisedTokenReuse: run.report.prefix_cache_reused_ratio,
    simulatedS,
    hindsightChosen: planner.hindsight?.chosen ?? null,
    staticCluster: staticFigures(planner),
  };
  return { point, figures, wallTimeMs: run.wallTimeMs };
}
