// `kvsim/internals`: the building blocks under the package entry (src/index.ts) — kernels, the engine and router,
// the cluster simulation and its seams, predictors and perf models, the planner loop's adapter, cells, sweep and
// study parts, file formats. Library users reach for these to build what the entry does not (a custom router
// seam, a predictor on its own, a sharded replay); they carry no stability promise and may change in any release.
// The entry's names are not repeated here. No test oracles: they live in test/oracles. docs/api.md describes both.
// Explicit named exports, no `export *`.

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
export { ValueCounter } from "../native-free-kernels/value-counter.js";
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
export { assignCells, type CellAssignment, MAX_CELLS } from "./parallel/cells/cell-assignment.js";
export { CellFaultError, CellsAbortedError } from "./parallel/cells/cell-errors.js";
export { cellOfGlobalWorker, globalWorkerId, localWorkerId } from "./parallel/cells/cell-ids.js";
export { cellWorkerCounts, planCellOptions, spreadCount } from "./parallel/cells/cell-plan.js";
export {
  appendCellsSection,
  type CellsSection,
  cellsSection,
  cellsSummaryLines,
  compareWithUnsharded,
  type MetricComparison,
  runGpuHours,
  type UnshardedComparison,
} from "./parallel/cells/cells-report.js";
export type { CellTestFault } from "./parallel/cells/protocol.js";
export {
  type CellLayout,
  type CellReplayOptions,
  type CellReplayRun,
  type CellRunStart,
  runCellReplay,
} from "./parallel/cells/run-cells.js";
export {
  DEFAULT_BLOCK_DEPTH,
  defaultShardKey,
  formatShardKey,
  parseShardKey,
  type ShardKey,
} from "./parallel/cells/shard-key.js";
export { type ParallelReadOptions, readTraceJsonlParallel } from "./parallel/ingest-pool.js";
export {
  decodeShardResult,
  encodeShardResult,
  SHARD_RESULT_VERSION,
  type ShardResultData,
} from "./parallel/schema/shard-result-file.js";
export {
  decodeSweepRows,
  encodeSweepRows,
  SWEEP_ROWS_VERSION,
  type SweepRowsFile,
} from "./parallel/schema/sweep-rows-file.js";
export type { KvTiersStudyOptions, StudyStartInfo } from "./parallel/study/run-study.js";
export {
  countSweepPoints,
  expandSweepGrid,
  pointConfigJson,
  type SweepPoint,
} from "./parallel/sweep/expand.js";
export { type ClusterShape, type GpusPerWorker, GRID_KEYS } from "./parallel/sweep/grid.js";
export type { MergeOptions } from "./parallel/sweep/merge.js";
export { SWEEP_FILES, type SweepOutput, writePartialRows } from "./parallel/sweep/outputs.js";
export { SweepPool, type SweepPoolOptions } from "./parallel/sweep/pool.js";
export { rowsToCsv, rowsToJsonl, type SweepRow, sweepRowKeys } from "./parallel/sweep/row.js";
export type { SweepStartInfo } from "./parallel/sweep/run-sweep.js";
export {
  parseShardSpec,
  type ShardSpec,
  shardPointIndexes,
  WHOLE_GRID,
} from "./parallel/sweep/shard-spec.js";
export { type SharedTrace, sharedTraceColumns, toSharedTrace } from "./parallel/sweep/shared-trace.js";
export { type PointFailure, SweepAbortedError, SweepFailedError } from "./parallel/sweep/sweep-errors.js";
export { sweepGridHash, type TraceFileReader } from "./parallel/sweep/sweep-traces.js";
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
  isCompletePlannerConfig,
  type LoadPredictorName,
  type OptimizationTarget,
  type ParsePlannerConfigOptions,
  type PlannerMode,
  scalingEnabled,
} from "./planner/config.js";
export { PLANNER_CONFIG_FIELDS, type PlannerConfigField } from "./planner/config-fields.js";
export { type LoadPlannerConfigOptions, parsePlannerConfigText } from "./planner/config-file.js";
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
export { clampKvHitRate, discountPrefillTokens, MAX_KV_HIT_RATE_DISCOUNT } from "./planner/kv-hit-rate.js";
export {
  type ObservationRecord,
  parseObservationRecord,
  type TickRecord,
} from "./planner/observations-schema.js";
export { AggRegressionModel } from "./planner/perf-model/agg.js";
export { DecodeRegressionModel } from "./planner/perf-model/decode.js";
export { fitMinNormLeastSquares, type LinearFit } from "./planner/perf-model/least-squares.js";
export { PrefillRegressionModel } from "./planner/perf-model/prefill.js";
export {
  DEFAULT_REGRESSION_MODEL_OPTIONS,
  type RegressionModelOptions,
} from "./planner/perf-model/regression-base.js";
export type { LoadPredictors, PredictorFactory, RegressionModels } from "./planner/planner-state.js";
export { ArimaPredictor } from "./planner/predictors/arima.js";
export type { ArimaFit, ArimaOrder } from "./planner/predictors/arima-fit.js";
export { autoArima } from "./planner/predictors/auto-arima.js";
export {
  DEFAULT_PREDICTOR_OPTIONS,
  type LoadPredictor,
  type PredictorOptions,
  resolvePredictorOptions,
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
export type { PlannerStateMachineOptions } from "./planner/state-machine.js";
export {
  type EngineCapabilities,
  type FpmMap,
  type FpmObservations,
  fpmKey,
  LOAD_REASONS,
  type LoadReason,
  type QueuedRequestMetrics,
  type ScalingDecision,
  type ScheduledRequestMetrics,
  THROUGHPUT_REASONS,
  type ThroughputReason,
  type TickDiagnostics,
  type WorkerCounts,
} from "./planner/types.js";
export {
  extractWarmupObservations,
  type WarmupObservation,
  warmupTrafficObservations,
} from "./planner/warmup.js";
export {
  type BenchmarkFpms,
  benchmarkFpmsFor,
  DEFAULT_BENCHMARK_GRANULARITY,
  decodeBenchmarkFpms,
  prefillBenchmarkFpms,
} from "./replay/bootstrap-fpms.js";
export { engineCapabilities, maxKvTokensOf, replayCapabilities } from "./replay/capabilities.js";
export { type CdfPoint, cdfOfHistogram, cdfOfValues, MAX_CDF_POINTS } from "./replay/distributions.js";
export { allButLastPerWorker, FpmCache } from "./replay/fpm-cache.js";
export { exactGpuHours, type GpuHours, TickSampledGpuHours } from "./replay/gpu-hours.js";
export {
  checkPlannerMode,
  PlannerReplay,
  type PlannerReplaySetup,
  plannerReplaySetup,
} from "./replay/planner-replay.js";
export { type PlannerSimulation, type StageLayout, stageLayout } from "./replay/planner-simulation.js";
export { type ReplicaStats, ReplicaTimeline, replicaStats } from "./replay/replica-stats.js";
export { ScalingLog } from "./replay/scaling-log.js";
export { type SlaAttainment, slaAttainment } from "./replay/sla-attainment.js";
// report
export { formatSweepTable } from "./report/capacity/answer-text.js";
export {
  answerCapacityQuestion,
  type CapacityAnswer,
  makeQuestion,
  type SlaBound,
} from "./report/capacity/question.js";
export { KV_TIER_ROW_KEYS, PLANNER_ROW_KEYS, ROW_METRIC_KEYS } from "./report/capacity/row-keys.js";
export { renderSweepHtml, type SweepHtmlInput } from "./report/capacity/sweep-html.js";
export {
  type DistributionStats,
  EMPTY_DISTRIBUTION,
  exactDistribution,
  nearestRankIndex,
  pooledDistribution,
} from "./report/distribution.js";
export { omitWallTime, stringifyFlat, WALL_TIME_KEYS } from "./report/json-stable.js";
export type {
  KvUtilisationJson,
  PerEngineFpmJson,
  PlannerSection,
  ScalingEvent,
  ScalingEventJson,
  TickSnapshotJson,
} from "./report/planner-result.js";
export { formatScalingEvent } from "./report/planner-summary-text.js";
export {
  REQUEST_RECORD_KEYS,
  type RequestRecord,
  requestRecord,
  writeRequestRecords,
} from "./report/requests-jsonl.js";
export { REPORT_KEYS, type ReportKey, type ReportTraceInfo } from "./report/summary.js";
export { FPM_LAYOUT, fpmToMetrics } from "./signals/fpm-layout.js";
export { TrafficAccumulator, type TrafficStats } from "./signals/traffic-accumulator.js";
// sim
export type {
  ClusterEngine,
  ClusterSeams,
  EngineFactory,
  EngineSpec,
  RouterFactory,
} from "./sim/cluster/cluster-engine.js";
export type { ClusterMode } from "./sim/cluster/cluster-options.js";
export { ClusterSimulation } from "./sim/cluster/cluster-simulation.js";
export { completeClusterOptions, isResolvedClusterOptions } from "./sim/cluster/resolve-options.js";
export {
  type CollectorState,
  POOLED_HISTOGRAM_BITS,
  RequestCollector,
  type RequestLatencies,
} from "./sim/collector.js";
export { kvHandoffMs, type PreemptionMode, type WorkerType } from "./sim/engine/engine-args.js";
export { type EngineRole, EngineWorker, type EngineWorkerOptions } from "./sim/engine/engine-worker.js";
export { KvEventKind, type KvEventKindValue, KvEventLog } from "./sim/engine/kv-event-log.js";
export { PassResult } from "./sim/engine/pass-result.js";
export { type PassTimeModelArg, passTimeModelFromArgs } from "./sim/engine/pass-time-arg.js";
export { InterpolatedPassTimeModel } from "./sim/engine/pass-time-interpolated.js";
export type { PassTimeModel } from "./sim/engine/pass-time-model.js";
export { PolynomialPassTimeModel } from "./sim/engine/pass-time-polynomial.js";
export {
  type InterpolatedTable,
  loadInterpolatedTable,
  parseInterpolatedTable,
} from "./sim/engine/pass-time-table.js";
export { ExactMoments } from "./sim/exact-moments.js";
export { ActiveBlockTracker, PrefillTokenTracker } from "./sim/router/active-sequences.js";
export { AdmissionBuffer, type AdmissionList } from "./sim/router/admission-list.js";
export { type BaselineRouterOptions, RandomRouter, RoundRobinRouter } from "./sim/router/baseline-routers.js";
export type { KvEventBatch } from "./sim/router/kv-event-batch.js";
export { KvRouter, type KvRouterOptions } from "./sim/router/kv-router.js";
export { PendingQueue, queueKey } from "./sim/router/pending-queue.js";
export { KvIndexError, MAX_WORKER_ID, PrefixIndex } from "./sim/router/prefix-index.js";
export { GeneralPrefixIndex } from "./sim/router/prefix-index-general.js";
export type { Router } from "./sim/router/router.js";
export {
  decodeStageRouterConfig,
  prefillStageRouterConfig,
  QUEUE_POLICIES,
  type QueuePolicy,
} from "./sim/router/router-config.js";
export {
  ROUTER_MODES,
  ROUTER_POLICIES,
  type RouterContext,
  type RouterMode,
  type RouterPolicy,
} from "./sim/router/router-policies.js";
export { selectMinimum, softmaxProbabilities, softmaxSample, workerLogit } from "./sim/router/selector.js";
export { cellTrace, traceArrivalOriginMs } from "./sim/workload/trace-subset.js";
export { WorkloadDriver, type WorkloadOptions } from "./sim/workload/workload-driver.js";
export { renderStudyChartSvg } from "./studies/kv-reuse/chart.js";
export {
  expandKvReuseMatrix,
  type StudyCadence,
  type StudyMode,
  type StudyPoint,
  type StudyWorkloadName,
  studyPlannerFile,
} from "./studies/kv-reuse/design.js";
export { STUDY_FILES, studyJson, studyMarkdown } from "./studies/kv-reuse/outputs.js";
export {
  runStudyPoint,
  type StickyHitRateSummary,
  type StudyPointFigures,
  type StudyPointResult,
  studyClusterOptions,
} from "./studies/kv-reuse/point-run.js";
export { STUDY_COLUMNS, studyTableMarkdown, studyTableText } from "./studies/kv-reuse/table.js";
export { buildStudyWorkloads, type StudyWorkload } from "./studies/kv-reuse/workloads.js";
export {
  expandKvTiersMatrix,
  type KvTiersPoint,
  type KvTiersWorkloadName,
  tierEngineArgs,
} from "./studies/kv-tiers/design.js";
export type { KvTiersStudyResult } from "./studies/kv-tiers/outputs.js";
export {
  type KvTiersPointFigures,
  type KvTiersPointResult,
  runKvTiersPoint,
} from "./studies/kv-tiers/point-run.js";
export { defaultMooncakeTracePath } from "./studies/study-traces.js";
// trace
export { DEFAULT_TRACE_BLOCK_SIZE } from "./trace/columns.js";
export { decodeKvtrace, encodeKvtrace, KVTRACE_VERSION, writeKvtrace } from "./trace/kvtrace.js";
export { readTraceJsonl } from "./trace/read-jsonl.js";
export { detectTraceFormat, type TraceFormat } from "./trace/read-trace.js";
export { type DistributionSummary, type TraceStatsJson, traceStatsToJson } from "./trace/stats.js";
export type { ArrivalKind } from "./trace/synth/arrivals.js";
export {
  type Distribution,
  fixed,
  formatDistribution,
  lognormal,
  parseDistribution,
  uniform,
} from "./trace/synth/distributions.js";
export { generateTrace } from "./trace/synth/generate.js";
export { forEachJsonlChunk, traceJsonlChecksum, traceToJsonl } from "./trace/synth/jsonl-writer.js";
export {
  constantRate,
  parseRateProfile,
  type RatePoint,
  type RateProfile,
} from "./trace/synth/rate-profile.js";
export { isReplayWorkloadSynthetic } from "./trace/synth/replay-synthetic.js";
export {
  DEFAULT_SYNTH_SPEC,
  resolveSynthSpec,
  SYNTH_PRESETS,
  type SynthPresetName,
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
export { inputErrorAt, isInputError } from "./util/errors.js";
export { packageRoot } from "./util/package-root.js";
