import { LATENCY_METRICS, type LatencyMetric, latencyKey, type ReportKey } from "../summary.js";

/**
 * The fixed layouts of a sweep row's numbers. A worker thread sends a point's metrics back as one Float64Array
 * in ROW_METRIC_KEYS order (a transferred buffer, no per-field objects); the FlatBuffers row file stores the
 * same vector with these names in its header, so every reader agrees on positions.
 */

/** Statistics of each latency distribution kept in a row (the replay report has more; these answer SLAs). */
export const ROW_LATENCY_STATS = ["mean", "median", "p90", "p95", "p99", "max"] as const;
export type RowLatencyStat = (typeof ROW_LATENCY_STATS)[number];

const ROW_SCALAR_KEYS = [
  "num_requests",
  "completed_requests",
  "duration_ms",
  "request_throughput_rps",
  "output_throughput_tok_s",
  "total_throughput_tok_s",
  "prefix_cache_reused_ratio",
] as const satisfies readonly ReportKey[];

/** Replay-report keys (docs/replay.md#the-report names) copied into every row, in this order. */
export const ROW_METRIC_KEYS: readonly ReportKey[] = Object.freeze([
  ...ROW_SCALAR_KEYS,
  ...LATENCY_METRICS.flatMap((metric) => ROW_LATENCY_STATS.map((stat) => latencyKey(stat, metric))),
]);

/**
 * A row's metric; null for a statistic with no sample (the report's null travels in a row's Float64 slot as NaN,
 * and is written null in JSONL, an empty cell in CSV; docs/sweeps-and-sharding.md#outputs).
 */
export function rowMetric(metrics: Float64Array, key: ReportKey): number | null {
  const v = metrics[rowMetricIndex(key)] as number;
  return Number.isNaN(v) ? null : v;
}

export function rowMetricIndex(key: ReportKey): number {
  const at = ROW_METRIC_KEYS.indexOf(key);
  if (at < 0) throw new RangeError(`not a sweep row metric: ${key}`);
  return at;
}

export function rowLatencyKey(stat: RowLatencyStat, metric: LatencyMetric): ReportKey {
  return latencyKey(stat, metric);
}

/**
 * Planner-in-the-loop figures of a point with a planner config (all NaN-free numbers); a point without a
 * planner has none. GPU-hours itself is the row's `gpu_hours` column for every point.
 */
export const PLANNER_ROW_KEYS = [
  "planner_gpu_hours_tick_sampled",
  "planner_peak_gpus",
  "planner_mean_gpus",
  "planner_scaling_events",
  "planner_replica_transitions",
  "planner_ttft_sla_attainment",
  "planner_itl_sla_attainment",
] as const;
export type PlannerRowKey = (typeof PLANNER_ROW_KEYS)[number];

/**
 * KV-tier figures (the replay report's kv_tiers section, docs/replay.md#kv-tiers, flattened: `onboarding.p99_ms`
 * → `onboarding_p99_ms`); columns only when some grid point has a host or disk tier (row-kv-tiers.ts).
 */
export const KV_TIER_ROW_KEYS = [
  "reused_ratio_g1",
  "reused_ratio_g2",
  "reused_ratio_g3",
  "onboarding_requests",
  "onboarding_mean_ms",
  "onboarding_p50_ms",
  "onboarding_p99_ms",
  "onboarding_bytes",
] as const;
export type KvTierRowKey = (typeof KV_TIER_ROW_KEYS)[number];
