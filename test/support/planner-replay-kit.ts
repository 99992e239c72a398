import type { PlannerReplayOptions } from "../../src/replay/planner-replay.js";
import { type ReplayRun, runReplay } from "../../src/replay/run-replay.js";
import type { PlannerSection } from "../../src/report/planner-result.js";
import type { ClusterOptions } from "../../src/sim/cluster/cluster-options.js";
import type { TraceColumns } from "../../src/trace/columns.js";

/** A replay with the planner in the loop, its planner section guaranteed present. */
export function runPlannerReplay(
  trace: TraceColumns,
  options: ClusterOptions,
  planner: PlannerReplayOptions,
): ReplayRun & { readonly planner: PlannerSection } {
  const run = runReplay(trace, options, { planner });
  if (run.planner === null) throw new Error("runPlannerReplay: the replay returned no planner section");
  return { ...run, planner: run.planner };
}
