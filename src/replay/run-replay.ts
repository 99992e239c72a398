// The one library entry of a replay: a trace through one simulated cluster, with or without the planner in the
// loop. `kvsim replay`, sweep points, study points and tests all run through here.

import { type KvTiersSection, kvTiersSectionFor } from "../report/kv-tiers.js";
import type { PlannerSection, ScalingEvent } from "../report/planner-result.js";
import { buildReport, type ReplayReport } from "../report/summary.js";
import { ClusterSimulation } from "../sim/cluster/cluster-simulation.js";
import { type ClusterOptionsInput, completeClusterOptions } from "../sim/cluster/resolve-options.js";
import type { TraceColumns } from "../trace/columns.js";
import { runHindsight } from "./hindsight/hindsight.js";
import {
  PlannerReplay,
  type PlannerReplayOptions,
  plannerConfigOf,
  plannerReplaySetup,
} from "./planner-replay.js";

/** What a caller can watch while a replay runs. */
export interface ReplayHooks {
  /** Called with the number of completed requests every `progressEvery` completions (default 256). */
  readonly onProgress?: (completedRequests: number) => void;
  readonly progressEvery?: number;
}

export interface ReplayRunOptions {
  /** The planner in the loop; null or absent for a static cluster. */
  readonly planner?: PlannerReplayOptions | null;
  readonly hooks?: ReplayHooks;
}

export interface ReplayRun {
  readonly report: ReplayReport;
  /** The report's kv_tiers section; null when the workers have no host or disk tier. */
  readonly kvTiers: KvTiersSection | null;
  readonly simulation: ClusterSimulation;
  /** The planner's section of the result; null without a planner. */
  readonly planner: PlannerSection | null;
  readonly scalingEvents: readonly ScalingEvent[];
  /** Host time of the simulation (report building excluded), ms. */
  readonly wallTimeMs: number;
}

/**
 * Replays a whole trace through one simulated cluster and builds its report (the library form of `kvsim replay`).
 * `options`: resolveClusterOptions' output, or any subset of its fields (the rest take their defaults).
 */
export function runReplay(
  trace: TraceColumns,
  input: ClusterOptionsInput,
  run: ReplayRunOptions = {},
): ReplayRun {
  const started = performance.now();
  const options = completeClusterOptions(input, trace.traceBlockSize);
  const plannerOptions = run.planner ?? null;
  const plannerConfig = plannerOptions === null ? null : plannerConfigOf(plannerOptions);
  if (plannerOptions !== null && plannerConfig !== null && plannerConfig.scalingPolicy === "hindsight") {
    // The clairvoyant yardstick: a searched schedule, not a planner in the loop (replay/hindsight/).
    const h = runHindsight(trace, options, plannerConfig, plannerOptions.traceName ?? "synthetic");
    const wallTimeMs = performance.now() - started;
    const report = buildReport(h.simulation.collector, trace, wallTimeMs);
    return {
      report,
      kvTiers: kvTiersSectionFor(h.simulation.collector, trace, options),
      simulation: h.simulation,
      planner: h.planner,
      scalingEvents: h.scalingEvents,
      wallTimeMs,
    };
  }
  const setup = plannerOptions === null ? null : plannerReplaySetup(options, plannerOptions);
  const simulation = new ClusterSimulation(
    trace,
    setup === null ? options : { ...options, collectFpm: true },
  );
  const hooks = run.hooks ?? {};
  if (hooks.onProgress !== undefined) simulation.onProgress(hooks.progressEvery ?? 256, hooks.onProgress);
  let planner: PlannerSection | null = null;
  let scalingEvents: readonly ScalingEvent[] = [];
  if (setup === null) simulation.run();
  else {
    const replay = new PlannerReplay(simulation, setup);
    planner = replay.run();
    scalingEvents = replay.scalingEvents;
  }
  const wallTimeMs = performance.now() - started;
  const report = buildReport(simulation.collector, trace, wallTimeMs);
  const kvTiers = kvTiersSectionFor(simulation.collector, trace, options);
  return { report, kvTiers, simulation, planner, scalingEvents, wallTimeMs };
}
