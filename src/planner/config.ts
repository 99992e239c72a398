// Planner configuration (docs/planner.md#config). Files use the reference's snake_case keys; the TypeScript
// object uses camelCase names that carry their unit (`ttft` → `ttftMs`, `load_adjustment_interval` →
// `loadAdjustmentIntervalS`). Every field, default and unit lives in PLANNER_CONFIG_FIELDS below.

import { z } from "zod";
import { InputError, inputErrorAt } from "../util/errors.js";
import { PLANNER_CONFIG_FIELDS } from "./config-fields.js";
import { type PlannerConfig, SCALING_POLICIES } from "./config-types.js";
import { DEFAULT_REGRESSION_MODEL_OPTIONS } from "./perf-model/regression-base.js";
import { DEFAULT_PREDICTOR_OPTIONS } from "./predictors/base.js";

export type {
  LoadPredictorName,
  OptimizationTarget,
  PlannerConfig,
  PlannerMode,
  ScalingPolicy,
} from "./config-types.js";

export const DEFAULT_PROMETHEUS_ENDPOINT =
  "http://prometheus-kube-prometheus-prometheus.monitoring.svc.cluster.local:9090";

const str = z.string({ error: "must be a string" });
const optStr = str.nullable();
const bool = z.boolean({ error: "must be true or false" });
const int = z.number({ error: "must be a finite number" }).int({ error: "must be an integer" });
const num = z.number({ error: "must be a finite number" });

/**
 * Upper ends of the numeric keys (docs/limits.md). MAX_MIN_ENDPOINT equals MAX_POOL_WORKERS (the most workers a
 * simulated pool holds, src/sim/cluster/cluster-limits.ts; a test keeps them equal): a floor of 100,000 replicas
 * would allocate 100,000 workers. Intervals, windows and sample counts stop at 10^6 (11.6 days, a million
 * samples); SLAs at 10^9 ms.
 */
export const MAX_MIN_ENDPOINT = 10_000;
export const MAX_GPU_BUDGET = 1_000_000;
export const MAX_ENGINE_NUM_GPU = 1024;
const MAX_COUNT = 1_000_000;
const MAX_SECONDS = 1_000_000;
const MAX_SLA_MS = 1e9;
const MAX_KALMAN_VARIANCE = 1e12;

/** An integer in [min, max], with the range in the message. */
const intIn = (min: number, max: number) =>
  int.min(min, { error: `must be an integer in ${min}..${max}` }).max(max, {
    error: `must be an integer in ${min}..${max}`,
  });
/** A number in (0, max]. */
const positiveUpTo = (max: number, note = "") =>
  num.gt(0, { error: `must be in (0, ${max}]${note}` }).max(max, { error: `must be in (0, ${max}]${note}` });
/** A number in [0, max]. */
const nonNegativeUpTo = (max: number) =>
  num.min(0, { error: `must be in [0, ${max}]` }).max(max, { error: `must be in [0, ${max}]` });

function isPerfectSquare(n: number): boolean {
  const r = Math.round(Math.sqrt(n));
  return r * r === n;
}

/** The file schema: snake_case keys, every default, unknown keys rejected. */
const fileSchema = z.strictObject({
  pre_deployment_sweeping_mode: z.enum(["none", "rapid", "thorough"]).default("rapid"),
  environment: z.enum(["kubernetes", "virtual", "global-planner"]).default("kubernetes"),
  namespace: str.optional(),
  backend: z.enum(["vllm", "sglang", "trtllm", "mocker"]).default("vllm"),
  mode: z.enum(["disagg", "prefill", "decode", "agg"]).default("disagg"),
  optimization_target: z.enum(["throughput", "latency", "sla"]).default("throughput"),
  log_dir: optStr.default(null),
  throughput_adjustment_interval: intIn(1, MAX_SECONDS).default(180),
  max_gpu_budget: int
    .max(MAX_GPU_BUDGET, { error: `must be an integer <= ${MAX_GPU_BUDGET} (negative = no budget)` })
    .default(8),
  min_endpoint: intIn(0, MAX_MIN_ENDPOINT).default(1),
  decode_engine_num_gpu: intIn(1, MAX_ENGINE_NUM_GPU).nullable().default(null),
  prefill_engine_num_gpu: intIn(1, MAX_ENGINE_NUM_GPU).nullable().default(null),
  profile_results_dir: str.default("profiling_results"),
  ttft: positiveUpTo(MAX_SLA_MS).default(500),
  itl: positiveUpTo(MAX_SLA_MS).default(50),
  load_predictor: z.enum(["constant", "arima", "kalman", "holt", "prophet"]).default("arima"),
  load_predictor_log1p: bool.default(DEFAULT_PREDICTOR_OPTIONS.log1p),
  prophet_window_size: intIn(1, MAX_COUNT).default(DEFAULT_PREDICTOR_OPTIONS.windowSize),
  load_predictor_warmup_trace: optStr.default(null),
  kalman_q_level: nonNegativeUpTo(MAX_KALMAN_VARIANCE).default(DEFAULT_PREDICTOR_OPTIONS.kalmanQLevel),
  kalman_q_trend: nonNegativeUpTo(MAX_KALMAN_VARIANCE).default(DEFAULT_PREDICTOR_OPTIONS.kalmanQTrend),
  kalman_r: nonNegativeUpTo(MAX_KALMAN_VARIANCE).default(DEFAULT_PREDICTOR_OPTIONS.kalmanR),
  kalman_min_points: intIn(1, MAX_COUNT).default(DEFAULT_PREDICTOR_OPTIONS.kalmanMinPoints),
  metric_pulling_prometheus_endpoint: str.optional(),
  metric_reporting_prometheus_port: int
    .min(0, { error: "must be >= 0" })
    .max(65535, { error: "must be <= 65535" })
    .optional(),
  throughput_metrics_source: z.enum(["frontend", "router"]).default("frontend"),
  model_name: optStr.default(null),
  global_planner_namespace: optStr.default(null),
  enable_throughput_scaling: bool.default(true),
  enable_load_scaling: bool.default(false),
  load_adjustment_interval: intIn(1, MAX_SECONDS).default(5),
  max_num_fpm_samples: intIn(1, MAX_COUNT).default(DEFAULT_REGRESSION_MODEL_OPTIONS.maxNumFpmSamples),
  fpm_sample_bucket_size: intIn(1, MAX_COUNT)
    .refine(isPerfectSquare, { error: "must be a perfect square" })
    .default(DEFAULT_REGRESSION_MODEL_OPTIONS.bucketCount),
  load_scaling_down_sensitivity: int
    .min(0, { error: "must be >= 0" })
    .max(100, { error: "must be <= 100" })
    .default(80),
  load_metric_samples: intIn(1, MAX_COUNT).default(10),
  load_min_observations: intIn(1, MAX_COUNT).default(DEFAULT_REGRESSION_MODEL_OPTIONS.minObservations),
  advisory: bool.default(false),
  report_interval_hours: positiveUpTo(MAX_SECONDS, " (or null to disable)").nullable().default(24),
  report_output_dir: str.default("./planner_reports"),
  report_filename: optStr.default(null),
  live_dashboard_port: int
    .min(0, { error: "must be >= 0" })
    .max(65535, { error: "must be <= 65535" })
    .default(8080),
  kv_hit_rate_awareness: bool.default(true),
  kv_tier_discount: bool.default(true),
  scaling_policy: z.enum(SCALING_POLICIES).default("dynamo"),
  sla_attainment_target: num
    .gt(0, { error: "must be in (0, 1]" })
    .max(1, { error: "must be in (0, 1]" })
    .default(0.95),
  hindsight_window: positiveUpTo(MAX_SECONDS, " (or null for the load interval)").nullable().default(null),
  scale_down_cooldown: nonNegativeUpTo(MAX_SECONDS).default(120),
  sla_headroom: num.gt(0, { error: "must be in (0, 1]" }).max(1, { error: "must be in (0, 1]" }).default(0.9),
});

type FileConfig = z.output<typeof fileSchema>;

const DEFAULT_TTFT_MS = 500;
const DEFAULT_ITL_MS = 50;

export interface ParsePlannerConfigOptions {
  /** Names the source in error messages, e.g. the file name. */
  readonly source?: string;
  /** Environment for env-derived defaults (namespace, Prometheus endpoint/port); default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Receives non-fatal notes, e.g. SLA values ignored by a non-sla target. */
  readonly onWarning?: (message: string) => void;
  /** Line of a top-level field in the source text, so errors can point at it (null when unknown). */
  readonly lineOf?: (field: string) => number | null;
}

/** Validates a parsed config object (from JSON or YAML) and returns the normalised config. */
export function parsePlannerConfig(raw: unknown, options: ParsePlannerConfigOptions = {}): PlannerConfig {
  const source = options.source ?? "planner config";
  const parsed = fileSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const unknownKey = issues.find((i) => i.code === "unrecognized_keys");
    throw issueToError(source, unknownKey ?? issues[0], options.lineOf);
  }
  return finishConfig(parsed.data, source, options);
}

/** All defaults, as with an empty config file. */
export function defaultPlannerConfig(): PlannerConfig {
  return parsePlannerConfig({});
}

/** A planner config built from code: any subset of the camelCase fields of PlannerConfig. */
export type PlannerConfigInput = Partial<PlannerConfig>;

/** True when every field is present: what parsePlannerConfig returns (or a copy of it with fields changed). */
export function isCompletePlannerConfig(config: PlannerConfigInput): config is PlannerConfig {
  if (config === null || typeof config !== "object") return false;
  return PLANNER_CONFIG_FIELDS.every((field) => config[field.name] !== undefined);
}

/**
 * A config from camelCase fields, resolved exactly as a file with the same keys would be: missing fields take the
 * file defaults (some depend on others, e.g. the scaling switches on optimization_target), then the field and
 * cross-field rules apply. Errors name the camelCase field and its file key; an unknown field is a TypeError.
 */
export function resolvePlannerConfig(input: PlannerConfigInput, where = "planner config"): PlannerConfig {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new TypeError(`${where}: must be an object of PlannerConfig fields (got ${describeValue(input)})`);
  }
  const file: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const field = PLANNER_CONFIG_FIELDS.find((f) => f.name === name);
    if (field === undefined) throw new TypeError(`${where}: unknown field "${name}"`);
    if (value !== undefined) file[field.key] = value;
  }
  try {
    return parsePlannerConfig(file, { source: where });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // The parser names file keys; a caller who wrote camelCase should see its own name first.
    throw new InputError(
      error.message.replace(/field "([a-z0-9_]+)"/, (whole, key: string) => {
        const name = PLANNER_CONFIG_FIELDS.find((f) => f.key === key)?.name;
        return name === undefined ? whole : `field "${name}" (file key "${key}")`;
      }),
    );
  }
}

/** Cross-field rules (docs/planner.md#config), applied after field validation, in the reference's order. */
function finishConfig(c: FileConfig, source: string, options: ParsePlannerConfigOptions): PlannerConfig {
  const env = options.env ?? {};
  const fail = (field: string, rule: string): InputError =>
    inputErrorAt(source, options.lineOf?.(field) ?? null, field, rule);
  if (c.environment === "global-planner" && c.global_planner_namespace === null) {
    throw fail("global_planner_namespace", 'required when environment is "global-planner"');
  }
  let enableLoad = c.enable_load_scaling;
  let enableThroughput = c.enable_throughput_scaling;
  if (c.optimization_target !== "sla") {
    // Easy targets are threshold autoscalers on live load only.
    enableLoad = true;
    enableThroughput = false;
    if (c.ttft !== DEFAULT_TTFT_MS || c.itl !== DEFAULT_ITL_MS) {
      options.onWarning?.(
        `${source}: ttft/itl are ignored with optimization_target "${c.optimization_target}" (only "sla" uses them)`,
      );
    }
  }
  if (c.scaling_policy !== "dynamo" && c.optimization_target !== "sla") {
    throw fail(
      "scaling_policy",
      `"${c.scaling_policy}" sizes pools against the ttft/itl SLAs: it needs optimization_target "sla" (got "${c.optimization_target}")`,
    );
  }
  if (!enableLoad && !enableThroughput) {
    throw fail(
      "enable_load_scaling",
      "at least one of enable_load_scaling / enable_throughput_scaling must be true",
    );
  }
  if (enableThroughput && c.pre_deployment_sweeping_mode === "none") {
    throw fail("pre_deployment_sweeping_mode", 'cannot be "none" when throughput scaling is enabled');
  }
  if (enableLoad && enableThroughput && c.load_adjustment_interval >= c.throughput_adjustment_interval) {
    throw fail(
      "load_adjustment_interval",
      `must be < throughput_adjustment_interval when both scaling modes are on (got ${c.load_adjustment_interval} >= ${c.throughput_adjustment_interval})`,
    );
  }
  const portText = env.PLANNER_PROMETHEUS_PORT;
  const envPort = portText === undefined || portText === "" ? 0 : Number(portText);
  if (c.metric_reporting_prometheus_port === undefined && !(Number.isInteger(envPort) && envPort >= 0)) {
    throw new InputError(
      `${source}: environment PLANNER_PROMETHEUS_PORT is not a port number (got "${portText}")`,
    );
  }
  return {
    preDeploymentSweepingMode: c.pre_deployment_sweeping_mode,
    environment: c.environment,
    namespace: c.namespace ?? env.DYN_NAMESPACE ?? "dynamo",
    backend: c.backend,
    mode: c.mode,
    optimizationTarget: c.optimization_target,
    logDir: c.log_dir,
    throughputAdjustmentIntervalS: c.throughput_adjustment_interval,
    maxGpuBudget: c.max_gpu_budget,
    minEndpoint: c.min_endpoint,
    decodeEngineNumGpu: c.decode_engine_num_gpu,
    prefillEngineNumGpu: c.prefill_engine_num_gpu,
    profileResultsDir: c.profile_results_dir,
    ttftMs: c.ttft,
    itlMs: c.itl,
    loadPredictor: c.load_predictor === "prophet" ? "holt" : c.load_predictor,
    loadPredictorLog1p: c.load_predictor_log1p,
    prophetWindowSize: c.prophet_window_size,
    loadPredictorWarmupTrace: c.load_predictor_warmup_trace,
    kalmanQLevel: c.kalman_q_level,
    kalmanQTrend: c.kalman_q_trend,
    kalmanR: c.kalman_r,
    kalmanMinPoints: c.kalman_min_points,
    metricPullingPrometheusEndpoint:
      c.metric_pulling_prometheus_endpoint ?? env.PROMETHEUS_ENDPOINT ?? DEFAULT_PROMETHEUS_ENDPOINT,
    metricReportingPrometheusPort: c.metric_reporting_prometheus_port ?? envPort,
    throughputMetricsSource: c.throughput_metrics_source,
    modelName: c.model_name,
    globalPlannerNamespace: c.global_planner_namespace,
    enableThroughputScaling: enableThroughput,
    enableLoadScaling: enableLoad,
    loadAdjustmentIntervalS: c.load_adjustment_interval,
    maxNumFpmSamples: c.max_num_fpm_samples,
    fpmSampleBucketSize: c.fpm_sample_bucket_size,
    loadScalingDownSensitivityPct: c.load_scaling_down_sensitivity,
    loadMetricSamples: c.load_metric_samples,
    loadMinObservations: c.load_min_observations,
    advisory: c.advisory,
    reportIntervalHours: c.report_interval_hours,
    reportOutputDir: c.report_output_dir,
    reportFilename: c.report_filename,
    liveDashboardPort: c.live_dashboard_port,
    kvHitRateAwareness: c.kv_hit_rate_awareness,
    kvTierDiscount: c.kv_tier_discount,
    scalingPolicy: c.scaling_policy,
    slaAttainmentTarget: c.sla_attainment_target,
    hindsightWindowS: c.hindsight_window,
    scaleDownCooldownS: c.scale_down_cooldown,
    slaHeadroom: c.sla_headroom,
  };
}

/** `either scaling flag on` (reference `scaling_enabled()`). */
export function scalingEnabled(config: PlannerConfig): boolean {
  return config.enableLoadScaling || config.enableThroughputScaling;
}

// ---- error messages ----

type Issue = z.core.$ZodIssue | undefined;

function describeValue(v: unknown): string {
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return String(v);
}

const TYPE_WORDS: Record<string, string> = {
  number: "must be a finite number",
  int: "must be an integer",
  string: "must be a string",
  boolean: "must be true or false",
  object: "must be a mapping of fields",
};

function issueToError(
  source: string,
  issue: Issue,
  lineOf: ((field: string) => number | null) | undefined,
): InputError {
  if (issue === undefined) return new InputError(`${source}: invalid planner config`);
  const field = issue.path.map(String).join(".");
  const got = "input" in issue ? ` (got ${describeValue(issue.input)})` : "";
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "?";
    const hint = closestKey(key);
    return inputErrorAt(
      source,
      lineOf?.(key) ?? null,
      key,
      `unknown field${hint === null ? "" : ` (did you mean "${hint}"?)`}`,
    );
  }
  if (field === "") {
    return new InputError(`${source}: the planner config must be a mapping of fields${got}`);
  }
  let rule = issue.message;
  if (issue.code === "invalid_value") rule = `must be one of ${issue.values.map(String).join("|")}`;
  else if (issue.code === "invalid_type" && rule.startsWith("Invalid input")) {
    rule = TYPE_WORDS[issue.expected] ?? `must be of type ${issue.expected}`;
  }
  const top = String(issue.path[0] ?? "");
  return inputErrorAt(source, lineOf?.(top) ?? null, field, `${rule}${got}`);
}

function closestKey(key: string): string | null {
  let best: string | null = null;
  let bestDistance = 4;
  for (const field of PLANNER_CONFIG_FIELDS) {
    const d = editDistance(key, field.key);
    if (d < bestDistance) {
      bestDistance = d;
      best = field.key;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
