import { buildReport, type ReplayReport } from "../report/summary.js";
import { ClusterSimulation } from "../sim/cluster/cluster-simulation.js";
import type { ClusterOptionsInput } from "../sim/cluster/resolve-options.js";
import type { TraceColumns } from "../trace/columns.js";

export interface ReplayHooks {
  /** Called with the number of completed requests every `progressEvery` completions. */
  readonly onProgress?: (completedRequests: number) => void;
  readonly progressEvery?: number;
}

export interface ReplayRun {
  readonly report: ReplayReport;
  readonly simulation: ClusterSimulation;
  readonly wallTimeMs: number;
}

/**
 * Replays a whole trace through one simulated cluster and builds its report (the library form of `kvsim replay`).
 * `options`: resolveClusterOptions' output, or any subset of its fields (the rest take their defaults).
 */
export function runReplay(
  trace: TraceColumns,
  options: ClusterOptionsInput,
  hooks: ReplayHooks = {},
): ReplayRun {
  const started = performance.now();
  const simulation = new ClusterSimulation(trace, options);
  if (hooks.onProgress !== undefined) simulation.onProgress(hooks.progressEvery ?? 256, hooks.onProgress);
  simulation.run();
  const wallTimeMs = performance.now() - started;
  return { report: buildReport(simulation.collector, trace, wallTimeMs), simulation, wallTimeMs };
}
