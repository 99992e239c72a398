// kvsim's public library API: every named export a user (or the thread pool, or the planner loop) needs.
// Explicit named exports only, grouped by layer; no `export *`.

// kernels
export { completeEngineBlocks, expandEngineBlockHashes } from "../native-free-kernels/block-hash.js";
export { EventHeap } from "../native-free-kernels/heap.js";
export {
  HISTOGRAM_HIGHEST_EXACT_VALUE_EXCLUSIVE,
  HISTOGRAM_LOWEST_EXACT_VALUE,
  LogLinearHistogram,
} from "../native-free-kernels/histogram.js";
export { LruList } from "../native-free-kernels/lru.js";
export { Prng } from "../native-free-kernels/prng.js";
export { NOT_FOUND, NumberIntTable } from "../native-free-kernels/table.js";
// cli
export { runCli } from "./cli/main.js";
export {
  type CounterProgress,
  type CounterProgressOptions,
  createCounterProgress,
  createProgress,
  type Progress,
  type ProgressOptions,
} from "./cli/progress.js";
// parallel
export { type ParallelReadOptions, readTraceJsonlParallel } from "./parallel/ingest-pool.js";
// planner
export {
  applyGlobalBudget,
  applySingleBudget,
  type BudgetLimits,
  budgetClamp,
  type ReplicaPair,
} from "./planner/budget.js";
export { TICK_MERGE_TOLERANCE_S } from "./planner/cadence.js";
export {
  defaultPlannerConfig,
  type LoadPredictorName,
  type OptimizationTarget,
  type ParsePlannerConfigOptions,
  type PlannerConfig,
  type PlannerMode,
  parsePlannerConfig,
  scalingEnabled,
} from "./planner/config.js";
export { PLANNER_CONFIG_FIELDS, type PlannerConfigField } from "./planner/config-fields.js";
export {
  type LoadPlannerConfigOptions,
  loadPlannerConfig,
  parsePlannerConfigText,
} from "./planner/config-file.js";
export {
  countReplicaTransitions,
  DiagnosticsRecorder,
  type DiagnosticsReportBatch,
  type DiagnosticsSummary,
  defaultReportFileName,
  MAX_DIAGNOSTIC_SNAPSHOTS,
  type ObservedTraffic,
  type PerEngineFpm,
  type RecordTickArgs,
  type TickSnapshot,
} from "./planner/diagnostics-recorder.js";
export { fpmMatchesWorkerCount } from "./planner/inventory.js";
export {
  clampKvHitRate,
  discountPrefillTokens,
  MAX_KV_HIT_RATE_DISCOUNT,
} from "./planner/kv-hit-rate.js";
export {
  type ObservationRecord,
  parseObservationRecord,
  type TickRecord,
} from "./planner/observations-schema.js";
export { AggRegressionModel } from "./planner/perf-model/agg.js";
export { DecodeRegressionModel } from "./planner/perf-model/decode.js";
export { fitMinNormLeastSquares, type LinearFit } from "./planner/perf-model/least-squares.js";
export { PrefillRegressionModel } from "./planner/perf-model/prefill.js";
export type { RegressionModelOptions } from "./planner/perf-model/regression-base.js";
export type { LoadPredictors, PredictorFactory, RegressionModels } from "./planner/planner-state.js";
export { ArimaPredictor } from "./planner/predictors/arima.js";
export type { ArimaFit, ArimaOrder } from "./planner/predictors/arima-fit.js";
export { autoArima } from "./planner/predictors/auto-arima.js";
export {
  DEFAULT_PREDICTOR_OPTIONS,
  type LoadPredictor,
  type PredictorOptions,
} from "./planner/predictors/base.js";
export { ConstantPredictor } from "./planner/predictors/constant.js";
export { createPredictor, PREDICTOR_NAMES, type PredictorName } from "./planner/predictors/factory.js";
export { HoltPredictor } from "./planner/predictors/holt.js";
export { fitHolt, type HoltFit } from "./planner/predictors/holt-smoothing.js";
export { KalmanPredictor } from "./planner/predictors/kalman.js";
export {
  type PlannedTick,
  type RecordedTick,
  type ReplayRecordedOptions,
  type ReplayRecordedSummary,
  replayRecordedTicks,
} from "./planner/recorded-ticks.js";
export {
  PlannerStateMachine,
  type PlannerStateMachineOptions,
  type WarmupWindow,
} from "./planner/state-machine.js";
export { TrafficAccumulator, type TrafficStats } from "./planner/traffic-accumulator.js";
export {
  type EngineCapabilities,
  type ForwardPassMetrics,
  type FpmMap,
  type FpmObservations,
  fpmKey,
  LOAD_REASONS,
  type LoadReason,
  type PlannerEffects,
  type QueuedRequestMetrics,
  type ScalingDecision,
  type ScheduledRequestMetrics,
  type ScheduledTick,
  THROUGHPUT_REASONS,
  type ThroughputReason,
  type TickDiagnostics,
  type TickInput,
  type TrafficObservation,
  type WorkerCapabilities,
  type WorkerCounts,
} from "./planner/types.js";
export {
  extractWarmupObservations,
  type WarmupObservation,
  warmupTrafficObservations,
} from "./planner/warmup.js";
// report
export { renderAiperfTable } from "./report/aiperf-table.js";
export {
  type DistributionStats,
  EMPTY_DISTRIBUTION,
  exactDistribution,
  nearestRankIndex,
  pooledDistribution,
} from "./report/distribution.js";
export { omitWallTime, stringifyFlat, WALL_TIME_KEYS } from "./report/json-stable.js";
export {
  REQUEST_RECORD_KEYS,
  type RequestRecord,
  requestRecord,
  writeRequestRecords,
  writeRequestsJsonl,
} from "./report/requests-jsonl.js";
export {
  buildReport,
  REPORT_KEYS,
  type ReplayReport,
  type ReportKey,
  type ReportTraceInfo,
  reportToJson,
  writeReportJson,
} from "./report/summary.js";
// sim
export {
  type CollectorState,
  POOLED_HISTOGRAM_BITS,
  RequestCollector,
  type RequestLatencies,
} from "./sim/collector.js";
export {
  defaultEngineArgs,
  type EngineArgs,
  kvHandoffMs,
  type PerfModelArg,
  type PreemptionMode,
  parseEngineArgs,
  type QueuePolicy,
  type WorkerType,
} from "./sim/engine/engine-args.js";
export { type EngineRole, EngineWorker, type EngineWorkerOptions } from "./sim/engine/engine-worker.js";
export { FPM_LAYOUT, fpmToMetrics } from "./sim/engine/fpm-layout.js";
export { KvEventKind, type KvEventKindValue, KvEventLog } from "./sim/engine/kv-event-log.js";
export { PassResult } from "./sim/engine/pass-result.js";
export {
  InterpolatedPerfModel,
  type PerfModel,
  PolynomialPerfModel,
  perfModelFromArgs,
} from "./sim/engine/perf-model.js";
export {
  type InterpolatedTable,
  loadInterpolatedTable,
  parseInterpolatedTable,
} from "./sim/engine/perf-table.js";
export { ExactMoments } from "./sim/exact-moments.js";
export { ReferenceEngine, type RefPassResult } from "./sim/reference/reference-engine.js";
export {
  ReferenceRadixTree,
  ReferenceRouter,
  type ReferenceRouterOptions,
} from "./sim/reference/reference-router.js";
export { ActiveBlockTracker, PrefillTokenTracker } from "./sim/router/active-sequences.js";
export { AdmissionBuffer, type AdmissionList } from "./sim/router/admission-list.js";
export {
  type BaselineRouterOptions,
  RandomRouter,
  RoundRobinRouter,
} from "./sim/router/baseline-routers.js";
export type { KvEventBatch } from "./sim/router/kv-event-batch.js";
export { KvRouter, type KvRouterOptions } from "./sim/router/kv-router.js";
export { PendingQueue, queueKey } from "./sim/router/pending-queue.js";
export { KvIndexError, MAX_WORKER_ID, PrefixIndex } from "./sim/router/prefix-index.js";
export type { Router } from "./sim/router/router.js";
export {
  DEFAULT_ROUTER_CONFIG,
  decodeStageRouterConfig,
  type KvRouterConfig,
  parseRouterConfig,
  prefillStageRouterConfig,
  type RouterQueuePolicy,
} from "./sim/router/router-config.js";
export {
  selectMinimum,
  softmaxProbabilities,
  softmaxSample,
  workerLogit,
} from "./sim/router/selector.js";
export { WorkloadDriver, type WorkloadOptions } from "./sim/workload/workload-driver.js";
// trace
export type { TraceReadResult } from "./trace/assemble.js";
export { DEFAULT_TRACE_BLOCK_SIZE, type TraceColumns } from "./trace/columns.js";
export {
  decodeKvtrace,
  encodeKvtrace,
  KVTRACE_VERSION,
  loadKvtrace,
  writeKvtrace,
} from "./trace/kvtrace.js";
export { parseTraceJsonl, readTraceJsonl, type TraceReadOptions } from "./trace/read-jsonl.js";
export { detectTraceFormat, readTrace, type TraceFormat } from "./trace/read-trace.js";
export {
  computeTraceStats,
  type DistributionSummary,
  type TraceStats,
  type TraceStatsJson,
  traceStatsToJson,
} from "./trace/stats.js";
export type { ArrivalKind } from "./trace/synth/arrivals.js";
export {
  type Distribution,
  fixed,
  formatDistribution,
  lognormal,
  parseDistribution,
  uniform,
} from "./trace/synth/distributions.js";
export { generateTrace, synthesizeTrace } from "./trace/synth/generate.js";
export {
  forEachJsonlChunk,
  traceJsonlChecksum,
  traceToJsonl,
  writeTraceJsonl,
} from "./trace/synth/jsonl-writer.js";
export {
  constantRate,
  parseRateProfile,
  type RatePoint,
  type RateProfile,
} from "./trace/synth/rate-profile.js";
export {
  buildReplaySyntheticTrace,
  isReplayWorkloadSynthetic,
  type ReplaySyntheticOptions,
} from "./trace/synth/replay-synthetic.js";
export {
  DEFAULT_SYNTH_SPEC,
  resolveSynthSpec,
  SYNTH_PRESETS,
  type SynthPresetName,
  type SynthSpec,
} from "./trace/synth/synth-spec.js";
export { type SynthSummary, summarizeTrace } from "./trace/synth/synth-summary.js";
export {
  formatSkipSummary,
  type LineError,
  type SkipSummary,
  TRACE_RULES,
  type TraceRule,
} from "./trace/trace-rules.js";
// util
export { AtomicFileWriter, writeFileAtomic } from "./util/atomic-write.js";
export { InputError, inputErrorAt, isInputError } from "./util/errors.js";
export { defaultTracePath, packageRoot } from "./util/package-root.js";
