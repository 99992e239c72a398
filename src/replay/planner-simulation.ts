// What the planner-in-the-loop adapter needs from a simulation (docs/design.md#planner-simulation). A single
// ClusterSimulation satisfies it structurally; a group of sharded cells can implement the same surface and run
// under the same adapter.

import type { ForwardPassMetrics } from "../planner/types.js";
import type { StageBacklog } from "../signals/backlog.js";
import type { TrafficStats } from "../signals/traffic-accumulator.js";
import type { ClusterMode } from "../sim/cluster/cluster-options.js";
import type { AdvanceResult, StageCounts, WorkerKvUsage } from "../sim/cluster/cluster-simulation.js";
import type { RequestCollector } from "../sim/collector.js";

export interface PlannerSimulation {
  /** The simulated clock, ms (after advanceTo it is at least the target). */
  readonly now: number;
  /** Time of the next simulated event, ms; +Infinity when none is left (a stalled run, unless it is done). */
  readonly nextEventMs: number;
  /** Per-request accounting for the end-of-run report (SLA attainment, distributions). */
  readonly collector: RequestCollector;
  /** Runs every event at or before `untilMs`, then moves the clock to `untilMs`. */
  advanceTo(untilMs: number): AdvanceResult;
  /** The traffic window since the last drain (requests counted at completion, hit rate at admission). */
  drainTraffic(): TrafficStats;
  /** Scales the pools to absolute targets (agg: the decode target sizes the aggregated pool). */
  applyScaling(targetPrefill: number, targetDecode: number): void;
  counts(stageIndex: number): StageCounts;
  /** Requests a stage's router holds and requests waiting for their first token on its engines. */
  backlog(stageIndex: number): StageBacklog;
  /** Forward-pass snapshots of a stage since the last call, in pass order. */
  takeFpmSnapshots(stageIndex: number): ForwardPassMetrics[];
  /** Worker-hours of every provisioned worker of a stage up to the clock. */
  workerHours(stageIndex: number): number;
  /** KV blocks of every live worker of a stage. */
  kvUsage(stageIndex: number): WorkerKvUsage[];
}

/** Planner component ↔ simulation stage. Agg: one stage in the planner's decode slot. */
export interface StageLayout {
  readonly mode: ClusterMode;
  /** Stage of the prefill pool; null in agg. */
  readonly prefillStage: number | null;
  /** Stage of the decode pool (the aggregated pool in agg). */
  readonly decodeStage: number;
  /** Name of the decode-slot component in reports and scaling events. */
  readonly decodeComponent: "decode" | "agg";
}

export function stageLayout(mode: ClusterMode): StageLayout {
  return mode === "agg"
    ? { mode, prefillStage: null, decodeStage: 0, decodeComponent: "agg" }
    : { mode, prefillStage: 0, decodeStage: 1, decodeComponent: "decode" };
}
