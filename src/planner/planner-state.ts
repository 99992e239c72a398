// The state the planner's scaling flows share (the reference keeps it on one object built from two mixins):
// configuration, capabilities, regression models and predictors (SLA mode only), worker inventory, throughput
// floors, the sticky KV hit rate and the per-tick diagnostics scratch.

import type { BudgetLimits } from "./budget.js";
import type { LoadPredictorName, PlannerConfig } from "./config.js";
import { WorkerInventory } from "./inventory.js";
import { AggRegressionModel } from "./perf-model/agg.js";
import { DecodeRegressionModel } from "./perf-model/decode.js";
import { PrefillRegressionModel } from "./perf-model/prefill.js";
import type { LoadPredictor, PredictorOptions } from "./predictors/base.js";
import type { TickDiagnostics, WorkerCapabilities } from "./types.js";

/** The four load predictors of an SLA-mode planner; all share the configured class and parameters. */
export interface LoadPredictors {
  readonly numReq: LoadPredictor;
  readonly isl: LoadPredictor;
  readonly osl: LoadPredictor;
  readonly kvHitRate: LoadPredictor;
}

/** Regression perf models of an SLA-mode planner (agg: only `agg`; otherwise per component). */
export interface RegressionModels {
  readonly prefill: PrefillRegressionModel | null;
  readonly decode: DecodeRegressionModel | null;
  readonly agg: AggRegressionModel | null;
}

export type PredictorFactory = (name: LoadPredictorName, options: PredictorOptions) => LoadPredictor;

export interface PlannerState {
  readonly config: PlannerConfig;
  readonly capabilities: WorkerCapabilities;
  readonly isAgg: boolean;
  readonly hasPrefill: boolean;
  readonly hasDecode: boolean;
  /** optimization_target ≠ sla: static thresholds, no models, no predictors. */
  readonly isEasy: boolean;
  readonly limits: BudgetLimits;
  /** Null in easy mode. */
  readonly models: RegressionModels | null;
  /** Null in easy mode. */
  readonly predictors: LoadPredictors | null;
  readonly inventory: WorkerInventory;
  /** Throughput-derived replica floors (1 until a throughput tick sets them). */
  floorPrefill: number;
  floorDecode: number;
  /** Sticky KV hit rate read by load ticks; null = never observed (no discount). Stored unclamped. */
  lastKvHitRate: number | null;
  /** Per-tick scratch, replaced at the start of every tick. */
  diag: TickDiagnostics;
}

export function emptyDiagnostics(): TickDiagnostics {
  return {
    estimatedTtftMs: null,
    estimatedItlMs: null,
    predictedNumReq: null,
    predictedIsl: null,
    predictedOsl: null,
    predictedKvHitRate: null,
    engineRpsPrefill: null,
    engineRpsDecode: null,
    throughputLowerBoundPrefill: 1,
    throughputLowerBoundDecode: 1,
    loadDecisionReason: null,
    throughputDecisionReason: null,
    loadDecisionReasonPrefill: null,
    loadDecisionReasonDecode: null,
    throughputDecisionReasonPrefill: null,
    throughputDecisionReasonDecode: null,
  };
}

export function createPlannerState(
  config: PlannerConfig,
  capabilities: WorkerCapabilities,
  createPredictor: PredictorFactory,
): PlannerState {
  const isAgg = config.mode === "agg";
  const hasPrefill = config.mode === "disagg" || config.mode === "prefill";
  const hasDecode = config.mode !== "prefill";
  const isEasy = config.optimizationTarget !== "sla";
  let models: RegressionModels | null = null;
  let predictors: LoadPredictors | null = null;
  if (!isEasy) {
    const modelOptions = {
      maxNumFpmSamples: config.maxNumFpmSamples,
      minObservations: config.loadMinObservations,
      bucketCount: config.fpmSampleBucketSize,
    };
    models = isAgg
      ? { prefill: null, decode: null, agg: new AggRegressionModel(modelOptions) }
      : {
          prefill: hasPrefill ? new PrefillRegressionModel(modelOptions) : null,
          decode: hasDecode ? new DecodeRegressionModel(modelOptions) : null,
          agg: null,
        };
    const predictorOptions: PredictorOptions = {
      log1p: config.loadPredictorLog1p,
      kalmanQLevel: config.kalmanQLevel,
      kalmanQTrend: config.kalmanQTrend,
      kalmanR: config.kalmanR,
      kalmanMinPoints: config.kalmanMinPoints,
      windowSize: config.prophetWindowSize,
    };
    const make = (): LoadPredictor => createPredictor(config.loadPredictor, predictorOptions);
    predictors = { numReq: make(), isl: make(), osl: make(), kvHitRate: make() };
  }
  return {
    config,
    capabilities,
    isAgg,
    hasPrefill,
    hasDecode,
    isEasy,
    limits: { maxGpuBudget: config.maxGpuBudget, minEndpoint: config.minEndpoint },
    models,
    predictors,
    inventory: new WorkerInventory(),
    floorPrefill: 1,
    floorDecode: 1,
    lastKvHitRate: null,
    diag: emptyDiagnostics(),
  };
}

/** Not null and not NaN (the reference lets ±Infinity through): null/NaN never overwrite sticky state. */
export function isUsableNumber(x: number | null | undefined): x is number {
  return x !== null && x !== undefined && !Number.isNaN(x);
}
