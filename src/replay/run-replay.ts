import { buildReport, type ReplayReport } from "../report/summary.js";
import type { ClusterOptions } from "../sim/cluster/cluster-options.js";
import { ClusterSimulation } from "../sim/cluster/cluster-simulation.js";
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

/** Replays a whole trace through one simulated cluster and builds its report (the library form of `kvsim replay`). */
export function runReplay(trace: TraceColumns, options: ClusterOptions, hooks: ReplayHooks = {}): ReplayRun {
  const started = performance.now();
  const simulation = new ClusterSimulation(trace, options);
  if (hooks.onProgress !== undefined) simulation.onProgress(hooks.progressEvery ?? 256, hooks.onProgress);
  simulation.run();
  const wallTimeMs = performance.now() - started;
  return { report: buildReport(simulation.collector, trace, wallTimeMs), simulation, wallTimeMs };
}
