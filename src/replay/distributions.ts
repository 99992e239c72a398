// CDF points for the report's charts: at most MAX_CDF_POINTS (value, p) pairs, sorted by value, p in (0, 1].
// Point k of m sits at the 1-based rank r = ⌈k·n/m⌉ of the n sorted values with p = r/n, so the last point is
// the maximum at p = 1 and every point lies on the exact empirical CDF.

import type { LogLinearHistogram } from "../../native-free-kernels/histogram.js";
import type { RequestCollector } from "../sim/collector.js";

export const MAX_CDF_POINTS = 256;

export type CdfPoint = [value: number, p: number];

function ranks(n: number, maxPoints: number): number[] {
  const m = Math.min(n, maxPoints);
  const out: number[] = [];
  for (let k = 1; k <= m; k++) out.push(Math.ceil((k * n) / m));
  return out;
}

/** CDF of exact values (any order; not modified). */
export function cdfOfValues(values: Float64Array, maxPoints = MAX_CDF_POINTS): CdfPoint[] {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return ranks(n, maxPoints).map((r) => [sorted[r - 1] as number, r / n]);
}

/** CDF of a pooled histogram: each rank's value is the histogram's nearest-rank quantile (within its error bound). */
export function cdfOfHistogram(histogram: LogLinearHistogram, maxPoints = MAX_CDF_POINTS): CdfPoint[] {
  const n = histogram.count;
  return ranks(n, maxPoints).map((r) => {
    // quantileNearestRank picks rank round((n − 1)·percent/100); aim at the 0-based rank r − 1.
    const percent = n === 1 ? 0 : Math.min(100, (100 * (r - 1)) / (n - 1));
    return [histogram.quantileNearestRank(percent), r / n];
  });
}

/** TTFT of every completed request, ms. */
export function ttftValuesMs(collector: RequestCollector): Float64Array {
  const out: number[] = [];
  for (let id = 0; id < collector.requestCount; id++)
    if (collector.isCompleted(id)) out.push(collector.ttftMs(id));
  return Float64Array.from(out);
}

/** Mean ITL (TPOT) of every request with at least two output tokens, ms. */
export function meanItlValuesMs(collector: RequestCollector): Float64Array {
  const out: number[] = [];
  for (let id = 0; id < collector.requestCount; id++) {
    if (collector.isCompleted(id) && (collector.tokenCount[id] as number) >= 2)
      out.push(collector.tpotMs(id));
  }
  return Float64Array.from(out);
}

/** Onboarding time of every completed request that onboarded KV from a host or disk tier, ms. */
export function onboardMsValues(collector: RequestCollector): Float64Array {
  const out: number[] = [];
  for (let id = 0; id < collector.requestCount; id++) {
    if (collector.isCompleted(id) && (collector.onboardedTokens[id] as number) > 0)
      out.push(collector.onboardMs[id] as number);
  }
  return Float64Array.from(out);
}

/**
 * The planner section's tier distribution: `onboard_ms_cdf` when the workers have a host or disk tier (the HTML
 * report's tier panel), nothing otherwise, so a run without tiers writes the section it always did.
 */
export function tierDistributions(
  collector: RequestCollector,
  kvTiered: boolean,
): { readonly onboard_ms_cdf?: CdfPoint[] } {
  return kvTiered ? { onboard_ms_cdf: cdfOfValues(onboardMsValues(collector)) } : {};
}
