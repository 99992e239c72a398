import type { RequestCollector } from "../sim/collector.js";
import type { TraceColumns } from "../trace/columns.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { type DistributionStats, exactDistribution, pooledDistribution } from "./distribution.js";
import { stringifyFlat, WALL_TIME_KEYS, type WallTimeKey } from "./json-stable.js";
import { outputPathError } from "./output-error.js";

/**
 * The replay report (docs/replay.md#the-report): one flat object of numbers with exactly REPORT_KEYS, in that
 * order.
 *
 * Every field is a deterministic function of the simulated events except WALL_TIME_KEYS (host time). Per-request
 * distributions (TTFT, TTST, TPOT, E2E) are exact; the pooled ones (ITL, per-user rate) have exact mean, std,
 * min and max and histogram percentiles within 2^−10 relative error (see POOLED_HISTOGRAM_BITS).
 */

export const DISTRIBUTION_STATS = [
  "mean",
  "min",
  "max",
  "median",
  "p75",
  "p90",
  "p95",
  "p99",
  "std",
] as const;
export type DistributionStat = (typeof DISTRIBUTION_STATS)[number];

export const LATENCY_METRICS = ["ttft", "ttst", "tpot", "itl", "e2e_latency"] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

type LatencyKey = `${DistributionStat}_${LatencyMetric}_ms`;
type PerUserKey = `${DistributionStat}_output_token_throughput_per_user`;

const COUNT_KEYS = [
  "num_requests",
  "completed_requests",
  "total_input_tokens",
  "total_output_tokens",
] as const;
const TIMING_KEYS = [
  "duration_ms",
  "wall_time_ms",
  "request_throughput_rps",
  "input_throughput_tok_s",
  "output_throughput_tok_s",
  "total_throughput_tok_s",
  "processed_tokens",
  "processed_tokens_per_s",
  "processed_output_tokens_per_s",
  "prefix_cache_reused_ratio",
] as const;

export type ReportKey =
  | (typeof COUNT_KEYS)[number]
  | (typeof TIMING_KEYS)[number]
  | WallTimeKey
  | LatencyKey
  | PerUserKey;

export function latencyKey(stat: DistributionStat, metric: LatencyMetric): LatencyKey {
  return `${stat}_${metric}_ms`;
}

export function perUserKey(stat: DistributionStat): PerUserKey {
  return `${stat}_output_token_throughput_per_user`;
}

/** Every report key in output order: counts, timing and throughput, latency distributions, per-user rates. */
export const REPORT_KEYS: readonly ReportKey[] = Object.freeze([
  ...COUNT_KEYS,
  ...TIMING_KEYS,
  ...LATENCY_METRICS.flatMap((metric) => DISTRIBUTION_STATS.map((stat) => latencyKey(stat, metric))),
  ...DISTRIBUTION_STATS.map(perUserKey),
]);

/** Keys that hold a statistic of a distribution: null when the distribution has no sample. */
export type DistributionKey = LatencyKey | PerUserKey;

/**
 * The report: counts, times and throughputs are numbers; a distribution statistic is null when no request gave
 * it a sample (docs/replay.md#the-report).
 */
export type ReplayReport = Readonly<
  Record<Exclude<ReportKey, DistributionKey>, number> & Record<DistributionKey, number | null>
>;

/** The trace lengths the report sums (request id = row). */
export type ReportTraceInfo = Pick<TraceColumns, "inputTokens" | "outputTokens">;

/**
 * Throughputs divide by at least this many seconds (docs/replay.md#the-report), so an instant replay gives
 * finite numbers.
 */
export const MIN_DURATION_S = 1e-9;

function putDistribution(
  out: Record<string, number | null>,
  stats: DistributionStats,
  key: (stat: DistributionStat) => string,
): void {
  for (const stat of DISTRIBUTION_STATS) out[key(stat)] = stats[stat];
}

/**
 * A statistic the caller knows has samples (e.g. TTFT of a run whose requests all completed); a RangeError
 * naming the key otherwise.
 */
export function sampled(value: number | null, key: string): number {
  if (value === null) throw new RangeError(`report field ${key} has no sample`);
  return value;
}

/** Builds the report from a finished replay's collector; `wallTimeMs` is the host time the replay took. */
export function buildReport(
  collector: RequestCollector,
  trace: ReportTraceInfo,
  wallTimeMs: number,
): ReplayReport {
  const n = collector.requestCount;
  if (trace.inputTokens.length !== n || trace.outputTokens.length !== n) {
    throw new RangeError(`buildReport: collector has ${n} requests, trace ${trace.inputTokens.length}`);
  }
  if (!(wallTimeMs >= 0 && Number.isFinite(wallTimeMs))) {
    throw new RangeError(`buildReport: wall time must be finite and ≥ 0, got ${wallTimeMs}`);
  }
  let arrived = 0;
  let completed = 0;
  let withTwoTokens = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let reusedTokens = 0;
  let durationMs = 0;
  for (let id = 0; id < n; id++) {
    if (collector.hasArrived(id)) arrived++;
    if (!collector.isCompleted(id)) continue;
    completed++;
    if ((collector.tokenCount[id] as number) >= 2) withTwoTokens++;
    inputTokens += trace.inputTokens[id] as number;
    outputTokens += trace.outputTokens[id] as number;
    reusedTokens += collector.reusedTokens[id] as number;
    const lastMs = collector.lastTokenMs[id] as number;
    if (lastMs > durationMs) durationMs = lastMs;
  }

  const ttft = new Float64Array(completed);
  const e2e = new Float64Array(completed);
  const ttst = new Float64Array(withTwoTokens);
  const tpot = new Float64Array(withTwoTokens);
  for (let id = 0, k = 0, j = 0; id < n; id++) {
    if (!collector.isCompleted(id)) continue;
    ttft[k] = collector.ttftMs(id);
    e2e[k++] = collector.e2eMs(id);
    if ((collector.tokenCount[id] as number) >= 2) {
      ttst[j] = collector.ttstMs(id);
      tpot[j++] = collector.tpotMs(id);
    }
  }

  const durationS = Math.max(durationMs / 1000, MIN_DURATION_S);
  const wallS = Math.max(wallTimeMs / 1000, MIN_DURATION_S);
  const processedTokens = inputTokens + outputTokens;
  const out: Record<string, number | null> = {
    num_requests: arrived,
    completed_requests: completed,
    total_input_tokens: inputTokens,
    total_output_tokens: outputTokens,
    duration_ms: durationMs,
    wall_time_ms: wallTimeMs,
    request_throughput_rps: completed / durationS,
    input_throughput_tok_s: inputTokens / durationS,
    output_throughput_tok_s: outputTokens / durationS,
    total_throughput_tok_s: processedTokens / durationS,
    processed_tokens: processedTokens,
    processed_tokens_per_s: processedTokens / wallS,
    processed_output_tokens_per_s: outputTokens / wallS,
    prefix_cache_reused_ratio: inputTokens === 0 ? 0 : reusedTokens / inputTokens,
  };
  const byMetric: Record<LatencyMetric, DistributionStats> = {
    ttft: exactDistribution(ttft),
    ttst: exactDistribution(ttst),
    tpot: exactDistribution(tpot),
    itl: pooledDistribution(collector.itlHistogram, collector.itlMoments),
    e2e_latency: exactDistribution(e2e),
  };
  for (const metric of LATENCY_METRICS) putDistribution(out, byMetric[metric], (s) => latencyKey(s, metric));
  putDistribution(out, pooledDistribution(collector.rateHistogram, collector.rateMoments), perUserKey);

  const report: Record<string, number | null> = {};
  for (const key of REPORT_KEYS) report[key] = out[key] as number | null;
  return Object.freeze(report) as ReplayReport;
}

export interface ReportJsonOptions {
  /** Leave out WALL_TIME_KEYS, giving text that is byte-identical between runs of the same replay. */
  readonly omitWallTime?: boolean;
}

/** The report as pretty JSON with a trailing newline, keys in REPORT_KEYS order. */
export function reportToJson(report: ReplayReport, options: ReportJsonOptions = {}): string {
  const wall: readonly string[] = WALL_TIME_KEYS;
  const keys = options.omitWallTime === true ? REPORT_KEYS.filter((k) => !wall.includes(k)) : REPORT_KEYS;
  const record: Record<string, number | null> = {};
  for (const key of keys) record[key] = report[key];
  return `${stringifyFlat(record, keys)}\n`;
}

/** Writes the report JSON atomically (whole file or nothing). */
export function writeReportJson(path: string, report: ReplayReport): void {
  try {
    writeFileAtomic(path, reportToJson(report));
  } catch (error) {
    throw outputPathError(path, error);
  }
}
