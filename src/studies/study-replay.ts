// What every study point does: build its cluster (one engine-args object for every pool, the KV router, seed 0),
// replay its trace with its planner config in the loop, and hand back the planner section with the two pools the
// figures read. The studies differ only in the settings they pass and the figures they keep.

import { parsePlannerConfig } from "../planner/config.js";
import { type ReplayRun, runReplay } from "../replay/run-replay.js";
import type { PlannerSection, ReplicaStatsJson } from "../report/planner-result.js";
import type { ClusterOptions } from "../sim/cluster/cluster-options.js";
import { resolveClusterOptions } from "../sim/cluster/resolve-options.js";
import type { TraceColumns } from "../trace/columns.js";

export interface StudyPointHooks {
  readonly onProgress?: (completedRequests: number) => void;
  readonly progressEvery?: number;
}

export interface StudyCluster {
  readonly mode: "agg" | "disagg";
  /** snake_case engine args of every pool (as `--engine-args`). */
  readonly engineArgs: unknown;
  /** snake_case KV router settings; absent = the router's defaults. */
  readonly routerConfig?: unknown;
  /** Initial workers; absent = one per pool. */
  readonly workers?: { readonly agg: number; readonly prefill: number; readonly decode: number };
}

/** A study's cluster: its topology and engines behind the KV router, seed 0 (errors name "study …"). */
export function studyClusterOptions(cluster: StudyCluster, traceBlockSize: number): ClusterOptions {
  const w = cluster.workers;
  return resolveClusterOptions(
    {
      mode: cluster.mode,
      ...(w === undefined
        ? {}
        : { numWorkers: w.agg, numPrefillWorkers: w.prefill, numDecodeWorkers: w.decode }),
      routerMode: "kv",
      ...(cluster.routerConfig === undefined ? {} : { routerConfig: cluster.routerConfig }),
      engineArgs: cluster.engineArgs,
      prefillEngineArgs: cluster.engineArgs,
      decodeEngineArgs: cluster.engineArgs,
      seed: 0,
    },
    traceBlockSize,
    {
      routerConfig: "study router config",
      engineArgs: "study engine args",
      prefillEngineArgs: "study engine args",
      decodeEngineArgs: "study engine args",
    },
  );
}

export interface StudyPointRun {
  readonly run: ReplayRun;
  readonly planner: PlannerSection;
  /** The prefill pool's replica stats; null in agg. */
  readonly prefill: ReplicaStatsJson | null;
  /** The decode pool's (disagg) or the aggregated workers' (agg). */
  readonly decode: ReplicaStatsJson;
}

/** Replays `trace` on `options` with the point's planner config in the loop. */
export function replayStudyPoint(
  trace: TraceColumns,
  point: { readonly id: string; readonly workload: string; readonly mode: "agg" | "disagg" },
  plannerFile: unknown,
  options: ClusterOptions,
  hooks: StudyPointHooks,
): StudyPointRun {
  const config = parsePlannerConfig(plannerFile, { source: `study point ${point.id}` });
  const run = runReplay(trace, options, { planner: { config, traceName: point.workload }, hooks });
  const planner = run.planner;
  if (planner === null) throw new Error(`study point ${point.id}: the replay ran without its planner`);
  const decode = planner.replicas[point.mode === "agg" ? "agg" : "decode"];
  if (decode === undefined)
    throw new Error(`study point ${point.id}: the replay reported no ${point.mode} pool`);
  return { run, planner, prefill: planner.replicas.prefill ?? null, decode };
}
