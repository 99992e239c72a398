// The planner configuration object (camelCase names with their unit). Fields, file keys, defaults and units:
// config-fields.ts; parsing and validation: config.ts.

import type { PredictorName } from "./predictors/factory.js";

/** The scaling policies: the reference planner, kvsim's own, and the clairvoyant yardstick. */
export const SCALING_POLICIES = ["dynamo", "kvsim", "hindsight"] as const;
export type ScalingPolicy = (typeof SCALING_POLICIES)[number];

export type PlannerMode = "disagg" | "prefill" | "decode" | "agg";
export type OptimizationTarget = "throughput" | "latency" | "sla";
/** Load predictor implementations; "prophet" in a config file is an alias for "holt" (see README). */
export type LoadPredictorName = PredictorName;

export interface PlannerConfig {
  readonly preDeploymentSweepingMode: "none" | "rapid" | "thorough";
  readonly environment: "kubernetes" | "virtual" | "global-planner";
  readonly namespace: string;
  readonly backend: "vllm" | "sglang" | "trtllm" | "mocker";
  readonly mode: PlannerMode;
  readonly optimizationTarget: OptimizationTarget;
  readonly logDir: string | null;
  readonly throughputAdjustmentIntervalS: number;
  /** GPUs; negative disables the budget. */
  readonly maxGpuBudget: number;
  /** Minimum replicas per component. */
  readonly minEndpoint: number;
  readonly decodeEngineNumGpu: number | null;
  readonly prefillEngineNumGpu: number | null;
  readonly profileResultsDir: string;
  readonly ttftMs: number;
  readonly itlMs: number;
  readonly loadPredictor: LoadPredictorName;
  readonly loadPredictorLog1p: boolean;
  /** Window (points) of the seasonal predictor ("prophet_window_size"). */
  readonly prophetWindowSize: number;
  readonly loadPredictorWarmupTrace: string | null;
  readonly kalmanQLevel: number;
  readonly kalmanQTrend: number;
  readonly kalmanR: number;
  readonly kalmanMinPoints: number;
  readonly metricPullingPrometheusEndpoint: string;
  readonly metricReportingPrometheusPort: number;
  readonly throughputMetricsSource: "frontend" | "router";
  readonly modelName: string | null;
  readonly globalPlannerNamespace: string | null;
  readonly enableThroughputScaling: boolean;
  readonly enableLoadScaling: boolean;
  readonly loadAdjustmentIntervalS: number;
  readonly maxNumFpmSamples: number;
  readonly fpmSampleBucketSize: number;
  /** Percent: the scale-down threshold is SLA × value / 100. */
  readonly loadScalingDownSensitivityPct: number;
  readonly loadMetricSamples: number;
  readonly loadMinObservations: number;
  readonly advisory: boolean;
  readonly reportIntervalHours: number | null;
  readonly reportOutputDir: string;
  readonly reportFilename: string | null;
  readonly liveDashboardPort: number;
  /**
   * kvsim: when false, drivers feed null KV hit rates so no discount applies anywhere
   * (docs/planner.md#sticky-kv-hit-rate).
   */
  readonly kvHitRateAwareness: boolean;
  /**
   * kvsim, with host/disk KV tiers only: true applies the tier discount (docs/planner.md#kv-tier-discount); false
   * feeds the hit rates as without it — the router's GPU overlap (dynamo), the engines' all-tier reuse (kvsim).
   */
  readonly kvTierDiscount: boolean;
  /** Who decides: `dynamo` (the reference planner), `kvsim` (backlog- and startup-aware), `hindsight` (clairvoyant). */
  readonly scalingPolicy: ScalingPolicy;
  /** Share of requests that must meet both SLAs (hindsight's target; kvsim's yardstick). */
  readonly slaAttainmentTarget: number;
  /** Hindsight schedule window, seconds; null = the load interval. */
  readonly hindsightWindowS: number | null;
  /** kvsim: seconds a lower target must persist (and since the last scale-up) before a scale-down. */
  readonly scaleDownCooldownS: number;
  /** kvsim: plans for latencies at most this share of each SLA. */
  readonly slaHeadroom: number;
}
