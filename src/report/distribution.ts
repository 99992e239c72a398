import type { LogLinearHistogram } from "../../native-free-kernels/histogram.js";
import { ExactMoments } from "../sim/exact-moments.js";

/**
 * The nine statistics the report gives every distribution (docs/design.md#request-accounting): numbers, or null
 * when the distribution has no sample (TTST, TPOT and ITL when every request emits one token).
 */
export interface DistributionStats {
  readonly mean: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly median: number | null;
  readonly p75: number | null;
  readonly p90: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /** Population standard deviation. */
  readonly std: number | null;
}

/**
 * An empty distribution has no statistics: null, not 0 (a 0 ms ITL would read as a measurement). JSON writes
 * null, the tables N/A, sweep rows NaN (docs/replay.md#the-report).
 */
export const EMPTY_DISTRIBUTION: DistributionStats = Object.freeze({
  mean: null,
  min: null,
  max: null,
  median: null,
  p75: null,
  p90: null,
  p95: null,
  p99: null,
  std: null,
});

/**
 * Nearest-rank index of the `percent`-th percentile among n sorted values: round((n−1)·p/100), halves away
 * from zero (docs/design.md#request-accounting), clamped to [0, n−1]. (n−1)·p is an exact integer for
 * integral p, and the division is correctly rounded, so an exact .5 stays .5 and Math.round (which rounds +.5
 * up) rounds it away from zero.
 */
export function nearestRankIndex(n: number, percent: number): number {
  if (n <= 0) throw new RangeError("nearestRankIndex: empty distribution");
  const index = Math.round(((n - 1) * percent) / 100);
  return Math.max(0, Math.min(index, n - 1));
}

/**
 * Exact statistics of per-request values (TTFT, TTST, TPOT, E2E): percentiles are elements of the sorted
 * values; mean and std come from exact sums (order-independent). Sorts `values` in place — pass a scratch copy.
 */
export function exactDistribution(values: Float64Array): DistributionStats {
  const n = values.length;
  if (n === 0) return EMPTY_DISTRIBUTION;
  const moments = new ExactMoments();
  for (let i = 0; i < n; i++) moments.add(values[i] as number);
  values.sort();
  const at = (percent: number): number => values[nearestRankIndex(n, percent)] as number;
  return {
    mean: moments.mean,
    min: values[0] as number,
    max: values[n - 1] as number,
    median: at(50),
    p75: at(75),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    std: moments.populationStd,
  };
}

/**
 * Statistics of a pooled distribution (ITL gaps, per-user token rates): count, mean, std, min and max are exact
 * (from `moments`); percentiles come from the histogram's nearest-rank quantile, within its relative error.
 */
export function pooledDistribution(histogram: LogLinearHistogram, moments: ExactMoments): DistributionStats {
  if (moments.count === 0) return EMPTY_DISTRIBUTION;
  if (histogram.count !== moments.count) {
    throw new Error(
      `pooled distribution: histogram holds ${histogram.count} values, moments ${moments.count}`,
    );
  }
  return {
    mean: moments.mean,
    min: moments.min,
    max: moments.max,
    median: histogram.quantileNearestRank(50),
    p75: histogram.quantileNearestRank(75),
    p90: histogram.quantileNearestRank(90),
    p95: histogram.quantileNearestRank(95),
    p99: histogram.quantileNearestRank(99),
    std: moments.populationStd,
  };
}
