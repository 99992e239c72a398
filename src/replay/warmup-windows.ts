import type { PlannerConfig } from "../planner/config.js";
import type { WarmupWindow } from "../planner/state-machine.js";
import { extractWarmupObservations } from "../planner/warmup.js";
import { readTrace } from "../trace/read-trace.js";

/**
 * Predictor warm-up windows from the config's `load_predictor_warmup_trace`, or null when there is none or the
 * target is not SLA (easy targets run no predictors). A trace that cannot be read throws its one-line error:
 * a replay must not silently run cold when the user asked for a warm start.
 */
export function readPlannerWarmupWindows(config: PlannerConfig): WarmupWindow[] | null {
  const path = config.loadPredictorWarmupTrace;
  if (path === null || config.optimizationTarget !== "sla") return null;
  const { columns } = readTrace(path, { displayName: path });
  return extractWarmupObservations(columns, config.throughputAdjustmentIntervalS).map((w) => ({
    requestCount: w.requestCount,
    avgIsl: w.avgIsl,
    avgOsl: w.avgOsl,
  }));
}
