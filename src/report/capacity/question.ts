import { describeValue } from "../../sim/engine/input-issue.js";
import { InputError } from "../../util/errors.js";
import { LATENCY_METRICS, type LatencyMetric, type ReportKey } from "../summary.js";
import { ROW_LATENCY_STATS, type RowLatencyStat, rowLatencyKey, rowMetricIndex } from "./row-keys.js";

/**
 * The capacity question a sweep answers: "which is the cheapest configuration whose TTFT p99 ≤ X ms and ITL
 * p99 ≤ Y ms?". Bounds are written `<metric>_<stat>_ms` (ttft_p99_ms, itl_p99_ms, e2e_latency_p90_ms,
 * tpot_mean_ms; p50 is an alias of median) and are inclusive. A point passes when it completed every request
 * and meets every bound; the cheapest passing point is the one with the fewest GPUs, then the fewest
 * GPU-hours, then the lowest TTFT p99, then the lowest ITL p99, then the earliest in grid order.
 */

export interface SlaBound {
  /** As written, e.g. "ttft_p99_ms". */
  readonly key: string;
  /** The row metric it bounds, e.g. "p99_ttft_ms": `stat` of the `metric` distribution. */
  readonly metricKey: ReportKey;
  readonly metric: LatencyMetric;
  readonly stat: RowLatencyStat;
  readonly maxMs: number;
}

export interface CapacityQuestion {
  readonly bounds: readonly SlaBound[];
}

const STAT_ALIASES: Readonly<Record<string, RowLatencyStat>> = { p50: "median" };

/** `ttft_p99_ms` → metric ttft, stat p99; null when the key names no row metric. */
function parseBoundKey(key: string): { metric: LatencyMetric; stat: RowLatencyStat } | null {
  const match = /^(.+)_([a-z0-9]+)_ms$/.exec(key);
  if (match === null) return null;
  const metric = match[1] as string;
  const statText = match[2] as string;
  const stat = STAT_ALIASES[statText] ?? statText;
  if (!(LATENCY_METRICS as readonly string[]).includes(metric)) return null;
  if (!(ROW_LATENCY_STATS as readonly string[]).includes(stat)) return null;
  return { metric: metric as LatencyMetric, stat: stat as RowLatencyStat };
}

/** `ttft_p99_ms` → `p99_ttft_ms`; null when the key names no row metric. */
export function boundMetricKey(key: string): ReportKey | null {
  const parsed = parseBoundKey(key);
  return parsed === null ? null : rowLatencyKey(parsed.stat, parsed.metric);
}

export const QUESTION_KEY_HELP = `<metric>_<stat>_ms with metric ${LATENCY_METRICS.join("|")} and stat ${[
  ...ROW_LATENCY_STATS,
  "p50",
].join("|")}`;

/**
 * Builds a question from `{key: bound}` pairs. `where(key)` turns a rule into an error for that key (the grid
 * names file and line, the CLI names the flag).
 */
export function makeQuestion(
  entries: Readonly<Record<string, unknown>>,
  where: (key: string | null, rule: string) => InputError,
): CapacityQuestion {
  const bounds: SlaBound[] = [];
  for (const [key, value] of Object.entries(entries)) {
    const parsed = parseBoundKey(key);
    if (parsed === null) throw where(key, `unknown bound (use ${QUESTION_KEY_HELP}, e.g. ttft_p99_ms)`);
    const metricKey = rowLatencyKey(parsed.stat, parsed.metric);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw where(key, `must be a finite number of milliseconds >= 0 (got ${describeValue(value)})`);
    }
    if (bounds.some((b) => b.metricKey === metricKey))
      throw where(key, "bounds the same metric as another key");
    bounds.push({ key, metricKey, metric: parsed.metric, stat: parsed.stat, maxMs: value });
  }
  if (bounds.length === 0) throw where(null, "a question needs at least one bound, e.g. ttft_p99_ms: 2000");
  return { bounds };
}

/** `--sla ttft_p99_ms=2000,itl_p99_ms=50`. */
export function parseSlaFlag(text: string, flag = "--sla"): CapacityQuestion {
  const entries: Record<string, unknown> = {};
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const raw = eq < 0 ? "" : part.slice(eq + 1).trim();
    if (key === "" || raw === "")
      throw new InputError(`${flag}: expected KEY=MS[,KEY=MS...] (got "${text}")`);
    entries[key] = Number(raw);
  }
  return makeQuestion(
    entries,
    (key, rule) => new InputError(`${flag}: ${key === null ? "" : `${key}: `}${rule}`),
  );
}

/** Combines questions (CLI flags override the grid's bounds on the same metric). */
export function mergeQuestions(
  base: CapacityQuestion | null,
  override: CapacityQuestion | null,
): CapacityQuestion | null {
  if (override === null) return base;
  if (base === null) return override;
  const kept = base.bounds.filter((b) => !override.bounds.some((o) => o.metricKey === b.metricKey));
  return { bounds: [...kept, ...override.bounds] };
}

/** The question as plain data (manifest, HTML). */
export function questionToJson(q: CapacityQuestion): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of q.bounds) out[b.key] = b.maxMs;
  return out;
}

const NUM_REQUESTS = rowMetricIndex("num_requests");
const COMPLETED = rowMetricIndex("completed_requests");

/**
 * Whether a row's metrics (ROW_METRIC_KEYS order) answer yes: every request completed, every bound met. A bound
 * on a statistic with no sample (NaN: ITL when every request emits one token) holds — no sample exceeds it.
 */
export function meetsQuestion(metrics: Float64Array, q: CapacityQuestion): boolean {
  if (metrics[COMPLETED] !== metrics[NUM_REQUESTS]) return false;
  for (const b of q.bounds) {
    const value = metrics[rowMetricIndex(b.metricKey)] as number;
    if (!Number.isNaN(value) && !(value <= b.maxMs)) return false;
  }
  return true;
}

/**
 * Largest metric/bound ratio of a row (≤ 1 when every bound holds): how far a failing point is from passing.
 * Infinite for a point that left requests unfinished — its percentiles cover only the requests that did.
 */
export function worstBoundRatio(metrics: Float64Array, q: CapacityQuestion): number {
  if (metrics[COMPLETED] !== metrics[NUM_REQUESTS]) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (const b of q.bounds) {
    const value = metrics[rowMetricIndex(b.metricKey)] as number;
    if (Number.isNaN(value)) continue; // no sample: the bound holds (meetsQuestion)
    const ratio = b.maxMs === 0 ? (value === 0 ? 0 : Number.POSITIVE_INFINITY) : value / b.maxMs;
    if (ratio > worst) worst = ratio;
  }
  return worst;
}

/** What ranking needs from a row. */
export interface RankedRow {
  readonly index: number;
  readonly gpuCount: number;
  readonly gpuHours: number;
  readonly metrics: Float64Array;
}

const P99_TTFT = rowMetricIndex("p99_ttft_ms");
const P99_ITL = rowMetricIndex("p99_itl_ms");

/** A latency for ranking: no sample (NaN) ranks as 0, below every measured latency. */
function latencyRank(metrics: Float64Array, at: number): number {
  const v = metrics[at] as number;
  return Number.isNaN(v) ? 0 : v;
}

/** Cheaper-first order: GPUs, GPU-hours, TTFT p99, ITL p99, grid position. */
export function compareCost(a: RankedRow, b: RankedRow): number {
  return (
    a.gpuCount - b.gpuCount ||
    a.gpuHours - b.gpuHours ||
    latencyRank(a.metrics, P99_TTFT) - latencyRank(b.metrics, P99_TTFT) ||
    latencyRank(a.metrics, P99_ITL) - latencyRank(b.metrics, P99_ITL) ||
    a.index - b.index
  );
}

export type CapacityAnswer<R extends RankedRow> =
  | { readonly kind: "cheapest"; readonly row: R; readonly passing: number; readonly total: number }
  | { readonly kind: "none"; readonly closest: R | null; readonly passing: 0; readonly total: number };

/** The cheapest row that meets the question, or (when none does) the row closest to meeting it. */
export function answerCapacityQuestion<R extends RankedRow>(
  rows: readonly R[],
  q: CapacityQuestion,
): CapacityAnswer<R> {
  let best: R | null = null;
  let passing = 0;
  for (const row of rows) {
    if (!meetsQuestion(row.metrics, q)) continue;
    passing++;
    if (best === null || compareCost(row, best) < 0) best = row;
  }
  if (best !== null) return { kind: "cheapest", row: best, passing, total: rows.length };
  let closest: R | null = null;
  let closestRatio = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    const ratio = worstBoundRatio(row.metrics, q);
    if (
      ratio < closestRatio ||
      (ratio === closestRatio && closest !== null && compareCost(row, closest) < 0)
    ) {
      closest = row;
      closestRatio = ratio;
    }
  }
  return { kind: "none", closest, passing: 0, total: rows.length };
}

/** "ttft p99 ≤ 2000 ms, itl p99 ≤ 50 ms". */
export function describeQuestion(q: CapacityQuestion): string {
  return q.bounds
    .map((b) => {
      const m = /^(.+)_([a-z0-9]+)_ms$/.exec(b.key);
      const text = m === null ? b.key : `${(m[1] as string).replace("_latency", "")} ${m[2]}`;
      return `${text} ≤ ${b.maxMs} ms`;
    })
    .join(", ");
}
