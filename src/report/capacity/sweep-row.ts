import type { RouterMode } from "../../sim/router/router-policies.js";

/** One sweep row per grid point (built by parallel/sweep/row.ts; read by the capacity answer and the sweep page). */
export interface SweepRow {
  readonly index: number;
  readonly id: string;
  readonly trace: string;
  readonly mode: "agg" | "disagg";
  readonly numWorkers: number | null;
  readonly numPrefillWorkers: number | null;
  readonly numDecodeWorkers: number | null;
  readonly routerMode: RouterMode;
  readonly routerConfig: string;
  readonly engineArgs: string;
  readonly prefillEngineArgs: string | null;
  readonly decodeEngineArgs: string | null;
  readonly plannerConfig: string | null;
  readonly arrivalSpeedupRatio: number;
  readonly concurrency: number | null;
  readonly seed: number;
  /** GPUs held: workers × gpus_per_worker (a planner point: its peak). */
  readonly gpuCount: number;
  /** GPU-hours over the simulated duration (a planner point: the planner's exact figure). */
  readonly gpuHours: number;
  /** Null when no question was asked. */
  readonly slaPass: boolean | null;
  /** ROW_METRIC_KEYS order. */
  readonly metrics: Float64Array;
  /** PLANNER_ROW_KEYS order; null without a planner. */
  readonly plannerMetrics: Float64Array | null;
  /** KV_TIER_ROW_KEYS order (NaN = null); null when the point's workers have no host or disk tier. */
  readonly kvTierMetrics: Float64Array | null;
  readonly wallTimeMs: number;
  /** The point's full configuration (pointConfigJson). */
  readonly config: Readonly<Record<string, unknown>>;
}
