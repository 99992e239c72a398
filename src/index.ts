// kvsim's package entry (`import … from "kvsim"`): what a library user composes — load or synthesize a trace,
// build the cluster and planner options, run a replay (with or without the planner in the loop), a sweep or the
// study, and render the reports. At most 80 names (test/unit/api-entry-names.test.ts counts them); everything
// else a caller may reach for (kernels, engine, router, predictors, perf models, cells, file formats) is in
// `kvsim/internals` (src/internals.ts), with no stability promise. docs/api.md describes both.
// Explicit named exports, no `export *`.
// biome-ignore-all assist/source/organizeImports: grouped by what a library user does, not by file path

// load or synthesize a trace
export type { TraceReadResult } from "./trace/assemble.js";
export type { TraceColumns } from "./trace/columns.js";
export { loadKvtrace } from "./trace/kvtrace.js";
export { parseTraceJsonl, type TraceReadOptions } from "./trace/read-jsonl.js";
export { readTrace } from "./trace/read-trace.js";
export { computeTraceStats, type TraceStats } from "./trace/stats.js";
export { synthesizeTrace } from "./trace/synth/generate.js";
export { writeTraceJsonl } from "./trace/synth/jsonl-writer.js";
export { buildReplaySyntheticTrace, type ReplaySyntheticOptions } from "./trace/synth/replay-synthetic.js";
export type { SynthSpec } from "./trace/synth/synth-spec.js";
export { defaultTracePath } from "./util/package-root.js";

// build options
export type { ClusterOptions } from "./sim/cluster/cluster-options.js";
export { type ClusterOptionsInput, resolveClusterOptions } from "./sim/cluster/resolve-options.js";
export { defaultEngineArgs, type EngineArgs, parseEngineArgs } from "./sim/engine/engine-args.js";
export { DEFAULT_ROUTER_CONFIG, type KvRouterConfig, parseRouterConfig } from "./sim/router/router-config.js";

// run a replay, with or without the planner in the loop
export type { PlannerReplayOptions } from "./replay/planner-replay.js";
export { type ReplayOutputPaths, writeReplayOutputs } from "./replay/replay-outputs.js";
export { type ReplayHooks, type ReplayRun, type ReplayRunOptions, runReplay } from "./replay/run-replay.js";
export { readPlannerWarmupWindows } from "./replay/warmup-windows.js";

// run a sweep or a study
export {
  type KvReuseStudyOptions,
  type PlannerStudyOptions,
  runKvReuseStudy,
  runKvTiersStudy,
  runPlannerStudy,
} from "./parallel/study/run-study.js";
export { loadSweepGrid, type SweepGrid, sweepGridFromObject } from "./parallel/sweep/grid.js";
export { mergeSweepOutputs } from "./parallel/sweep/merge.js";
export { sweepOutputFromResult, writeSweepOutputs } from "./parallel/sweep/outputs.js";
export { type RunSweepOptions, runSweep, type SweepResult } from "./parallel/sweep/run-sweep.js";
export { readSweepTraces } from "./parallel/sweep/sweep-traces.js";
export { formatCapacityAnswer } from "./report/capacity/answer-text.js";
export { type CapacityQuestion, parseSlaFlag } from "./report/capacity/question.js";
export { type KvReuseStudyResult, writeStudyOutputs } from "./studies/kv-reuse/outputs.js";
export { writeKvTiersStudyOutputs } from "./studies/kv-tiers/outputs.js";
export { type PlannerStudyResult, writePlannerStudyOutputs } from "./studies/planners/outputs.js";

// the planner state machine and its config
export {
  defaultPlannerConfig,
  type PlannerConfig,
  type PlannerConfigInput,
  parsePlannerConfig,
  resolvePlannerConfig,
} from "./planner/config.js";
export { loadPlannerConfig } from "./planner/config-file.js";
export { PlannerStateMachine, type WarmupWindow } from "./planner/state-machine.js";
export type {
  ForwardPassMetrics,
  PlannerEffects,
  ScheduledTick,
  TickInput,
  TrafficObservation,
  WorkerCapabilities,
} from "./planner/types.js";

// reports
export { renderAiperfTable } from "./report/aiperf-table.js";
export { renderPlannerReportHtml } from "./report/html/render.js";
export type { PlannerReplayResultJson } from "./report/planner-result.js";
export { plannerResultFromJson, plannerResultToJson } from "./report/planner-result-text.js";
export { plannerSummaryLines } from "./report/planner-summary-text.js";
export { writeRequestsJsonl } from "./report/requests-jsonl.js";
export { buildReport, type ReplayReport, reportToJson, writeReportJson } from "./report/summary.js";

// errors a caller can fix (bad input, impossible config): one line, no stack trace needed
export { InputError } from "./util/errors.js";
