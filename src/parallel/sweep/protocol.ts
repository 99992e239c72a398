import type { PlannerConfig } from "../../planner/config.js";
import type { WarmupWindow } from "../../planner/state-machine.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { SharedTrace } from "./shared-trace.js";

/**
 * Messages of the sweep pool (src/parallel/sweep/pool.ts ↔ worker.ts), tagged with small integers.
 *
 * One task = one whole grid point (a full replay, ≥ tens of ms; a round trip costs ~0.1–0.2 ms). Traces and
 * the progress counters never travel with a task: they are SharedArrayBuffers in the pool's workerData. A
 * point's numbers come back as fixed-layout Float64Arrays (ROW_METRIC_KEYS / PLANNER_ROW_KEYS / KV_TIER_ROW_KEYS
 * order) whose buffers are transferred, not cloned.
 */

export const SweepTaskTag = { RunPoint: 1, Ping: 2 } as const;
export const SweepReplyTag = { PointDone: 1, PointFailed: 2, Pong: 3 } as const;

/** Test-only fault injection: make a point's task throw, or kill its thread. */
export interface TestFault {
  readonly kind: "throw" | "exit";
}

export interface RunPointTask {
  readonly tag: typeof SweepTaskTag.RunPoint;
  readonly pointIndex: number;
  /** This point's slot in the shared progress counters. */
  readonly progressSlot: number;
  /** Index into workerData.traces. */
  readonly traceSlot: number;
  /** Validated on the main thread (resolveClusterOptions); plain data, cloned with the task. */
  readonly options: ClusterOptions;
  /** The planner in the loop (effectivePlannerConfig), or null for a plain replay. */
  readonly plannerConfig: PlannerConfig | null;
  /** Predictor warm-up windows (SLA planners with a warm-up trace), read once on the main thread. */
  readonly plannerWarmup: readonly WarmupWindow[] | null;
  /** Points per axis of an SLA planner's regression bootstrap. */
  readonly benchmarkGranularity: number;
  /** The trace's label, for the planner section's trace_name. */
  readonly traceName: string;
  readonly fault: TestFault | null;
}

/** An empty task: measures the pool's round-trip overhead (bench) and checks a thread is alive. */
export interface PingTask {
  readonly tag: typeof SweepTaskTag.Ping;
}

export type SweepTask = RunPointTask | PingTask;

export interface PointDoneReply {
  readonly tag: typeof SweepReplyTag.PointDone;
  readonly pointIndex: number;
  /** ROW_METRIC_KEYS order. */
  readonly metrics: Float64Array;
  /** PLANNER_ROW_KEYS order; null without a planner. */
  readonly plannerMetrics: Float64Array | null;
  /** KV_TIER_ROW_KEYS order (the report's kv_tiers section); null when the point has no host or disk tier. */
  readonly kvTierMetrics: Float64Array | null;
  /** GPU-hours the planner accounted (null without a planner: the main thread derives it from the duration). */
  readonly plannerGpuHours: number | null;
  /** Host time of the replay itself. */
  readonly wallTimeMs: number;
  /** Host time of the whole task inside the worker (replay, report, metrics): what the pool's overhead is not. */
  readonly taskMs: number;
}

export interface PointFailedReply {
  readonly tag: typeof SweepReplyTag.PointFailed;
  readonly pointIndex: number;
  readonly errorName: string;
  readonly message: string;
  /** True for a user-fixable error (InputError) found at run time, e.g. a missing perf table file. */
  readonly inputError: boolean;
  readonly stack: string;
}

export interface PongReply {
  readonly tag: typeof SweepReplyTag.Pong;
  readonly threadId: number;
}

export type SweepReply = PointDoneReply | PointFailedReply | PongReply;

/** The pool's workerData: shared once per thread at start. */
export interface SweepWorkerData {
  readonly traces: readonly SharedTrace[];
  /** Requests completed per point (slot = position in this run's point list), bumped with Atomics.store. */
  readonly progress: Int32Array;
}
