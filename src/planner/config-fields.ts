// Every planner config field in one table: file key, TypeScript name, default, unit and notes. The README's
// config table and the "did you mean" hint for unknown keys both come from here.

import type { PlannerConfig } from "./config-types.js";

/** One row per config field: file key, object key, default, unit and meaning (README's table comes from here). */
export interface PlannerConfigField {
  readonly key: string;
  readonly name: keyof PlannerConfig;
  readonly defaultText: string;
  readonly unit: string;
  readonly notes: string;
  /** Written to a result's config only when the scaling policy is not `dynamo` (keeps dynamo results as before). */
  readonly beyondReference?: true;
  /** Written to a result's config only when the replayed workers have host or disk KV tiers (any policy). */
  readonly withKvTiersOnly?: true;
}

export const PLANNER_CONFIG_FIELDS: readonly PlannerConfigField[] = [
  f(
    "pre_deployment_sweeping_mode",
    "preDeploymentSweepingMode",
    "rapid",
    "",
    "none|rapid|thorough; not none when throughput scaling is on",
  ),
  f("environment", "environment", "kubernetes", "", "kubernetes|virtual|global-planner"),
  f(
    "namespace",
    "namespace",
    'env DYN_NAMESPACE or "dynamo"',
    "",
    "dashes become underscores in router queries",
  ),
  f("backend", "backend", "vllm", "", "vllm|sglang|trtllm|mocker"),
  f("mode", "mode", "disagg", "", "disagg|prefill|decode|agg"),
  f(
    "optimization_target",
    "optimizationTarget",
    "throughput",
    "",
    "throughput|latency|sla; non-sla forces load on, throughput off",
  ),
  f("log_dir", "logDir", "null", "", ""),
  f("throughput_adjustment_interval", "throughputAdjustmentIntervalS", "180", "s", "integer > 0"),
  f("max_gpu_budget", "maxGpuBudget", "8", "GPUs", "negative disables the budget"),
  f("min_endpoint", "minEndpoint", "1", "replicas", "floor per component"),
  f(
    "decode_engine_num_gpu",
    "decodeEngineNumGpu",
    "null",
    "GPUs/replica",
    "null: budget not applied to decode",
  ),
  f(
    "prefill_engine_num_gpu",
    "prefillEngineNumGpu",
    "null",
    "GPUs/replica",
    "null: budget not applied to prefill",
  ),
  f("profile_results_dir", "profileResultsDir", "profiling_results", "", "legacy profiler data"),
  f("ttft", "ttftMs", "500.0", "ms", "TTFT SLA"),
  f("itl", "itlMs", "50.0", "ms", "ITL SLA"),
  f("load_predictor", "loadPredictor", "arima", "", "constant|arima|kalman|holt; prophet = alias of holt"),
  f("load_predictor_log1p", "loadPredictorLog1p", "false", "", "predict in log1p space"),
  f("prophet_window_size", "prophetWindowSize", "50", "points", "window of the holt/prophet predictor"),
  f(
    "load_predictor_warmup_trace",
    "loadPredictorWarmupTrace",
    "null",
    "",
    "mooncake JSONL used to warm the num_req/isl/osl predictors",
  ),
  f("kalman_q_level", "kalmanQLevel", "1.0", "", "process noise of the level"),
  f("kalman_q_trend", "kalmanQTrend", "0.1", "", "process noise of the trend"),
  f("kalman_r", "kalmanR", "10.0", "", "measurement noise"),
  f("kalman_min_points", "kalmanMinPoints", "5", "points", "stored, not enforced (as in the reference)"),
  f(
    "metric_pulling_prometheus_endpoint",
    "metricPullingPrometheusEndpoint",
    "env PROMETHEUS_ENDPOINT or kube-prometheus :9090",
    "",
    "",
  ),
  f(
    "metric_reporting_prometheus_port",
    "metricReportingPrometheusPort",
    "env PLANNER_PROMETHEUS_PORT or 0",
    "",
    "0 = planner metrics off",
  ),
  f(
    "throughput_metrics_source",
    "throughputMetricsSource",
    "frontend",
    "",
    "frontend|router; KV hit rate only with router",
  ),
  f("model_name", "modelName", "null", "", "required by the virtual connector"),
  f("global_planner_namespace", "globalPlannerNamespace", "null", "", "required for global-planner"),
  f("enable_throughput_scaling", "enableThroughputScaling", "true", "", ""),
  f("enable_load_scaling", "enableLoadScaling", "false", "", ""),
  f(
    "load_adjustment_interval",
    "loadAdjustmentIntervalS",
    "5",
    "s",
    "also the FPM feed cadence; integer > 0",
  ),
  f(
    "max_num_fpm_samples",
    "maxNumFpmSamples",
    "64",
    "samples",
    "regression sample cap and moving-average window",
  ),
  f("fpm_sample_bucket_size", "fpmSampleBucketSize", "16", "buckets", "must be a perfect square"),
  f(
    "load_scaling_down_sensitivity",
    "loadScalingDownSensitivityPct",
    "80",
    "%",
    "scale down below SLA × value/100; 0..100",
  ),
  f("load_metric_samples", "loadMetricSamples", "10", "", "unused by the state machine"),
  f("load_min_observations", "loadMinObservations", "5", "samples", "regression cold-start threshold"),
  f("advisory", "advisory", "false", "", "log decisions without scaling (native only)"),
  f("report_interval_hours", "reportIntervalHours", "24.0", "h", "null disables periodic reports"),
  f("report_output_dir", "reportOutputDir", "./planner_reports", "", ""),
  f("report_filename", "reportFilename", "null", "", "fixed report file name"),
  f("live_dashboard_port", "liveDashboardPort", "8080", "", "0 disables"),
  f(
    "kv_hit_rate_awareness",
    "kvHitRateAwareness",
    "true",
    "",
    "kvsim: false feeds null hit rates (no discount)",
  ),
  {
    ...f(
      "kv_tier_discount",
      "kvTierDiscount",
      "true",
      "",
      "kvsim, with KV tiers; false: no tier discount (docs/planner.md#kv-tier-discount)",
    ),
    withKvTiersOnly: true,
  },
  beyond("scaling_policy", "scalingPolicy", "dynamo", "", "dynamo|kvsim|hindsight (see docs/planner.md)"),
  beyond("sla_attainment_target", "slaAttainmentTarget", "0.95", "", "(0, 1]; share meeting both SLAs"),
  beyond("hindsight_window", "hindsightWindowS", "null", "s", "> 0; null = load_adjustment_interval"),
  beyond("scale_down_cooldown", "scaleDownCooldownS", "120", "s", "kvsim: >= 0"),
  beyond("sla_headroom", "slaHeadroom", "0.9", "", "kvsim: (0, 1]; plan for SLA × value"),
];

function beyond(
  key: string,
  name: keyof PlannerConfig,
  defaultText: string,
  unit: string,
  notes: string,
): PlannerConfigField {
  return { key, name, defaultText, unit, notes, beyondReference: true };
}

function f(
  key: string,
  name: keyof PlannerConfig,
  defaultText: string,
  unit: string,
  notes: string,
): PlannerConfigField {
  return { key, name, defaultText, unit, notes };
}
