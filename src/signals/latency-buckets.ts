// Latency counts in fixed buckets, as a frontend's histograms expose them (Prometheus `…_bucket{le=…}`
// counters): time to first token per request, and each finished request's mean inter-token latency. The kvsim
// planner reads from them how many requests of a window met an SLA, without the simulation knowing the SLA.
// Bounds in ms; the last bucket is +Inf.

export const TTFT_BUCKET_BOUNDS_MS: readonly number[] = [
  25,
  50,
  100,
  250,
  500,
  750,
  1000,
  1500,
  2000,
  3000,
  4000,
  5000,
  6000,
  8000,
  10_000,
  15_000,
  20_000,
  30_000,
  60_000,
  Number.POSITIVE_INFINITY,
];

export const TTFT_BUCKET_COUNT = TTFT_BUCKET_BOUNDS_MS.length;

export const ITL_BUCKET_BOUNDS_MS: readonly number[] = [
  5,
  10,
  15,
  20,
  25,
  30,
  35,
  40,
  45,
  50,
  60,
  75,
  100,
  150,
  200,
  300,
  500,
  1000,
  Number.POSITIVE_INFINITY,
];

export const ITL_BUCKET_COUNT = ITL_BUCKET_BOUNDS_MS.length;

/** The bucket of a latency: the first whose bound is ≥ it (le semantics). */
export function bucketOf(bounds: readonly number[], latencyMs: number): number {
  let b = 0;
  while (latencyMs > (bounds[b] as number)) b++;
  return b;
}

/** The TTFT bucket of a first token. */
export function ttftBucketOf(ttftMs: number): number {
  return bucketOf(TTFT_BUCKET_BOUNDS_MS, ttftMs);
}

/**
 * Requests at or under `slaMs`: every bucket whose bound is ≤ slaMs, plus the straddling bucket's count scaled
 * by where slaMs falls in it (linear, as histogram_quantile assumes); none of the +Inf bucket.
 */
export function countWithin(bounds: readonly number[], counts: ArrayLike<number>, slaMs: number): number {
  let within = 0;
  let lower = 0;
  for (let b = 0; b < bounds.length; b++) {
    const upper = bounds[b] as number;
    const n = counts[b] as number;
    if (upper <= slaMs) within += n;
    else {
      if (Number.isFinite(upper) && slaMs > lower) within += (n * (slaMs - lower)) / (upper - lower);
      break;
    }
    lower = upper;
  }
  return within;
}

/** First tokens at or under `slaMs` (countWithin on the TTFT buckets). */
export function countWithinMs(counts: ArrayLike<number>, slaMs: number): number {
  return countWithin(TTFT_BUCKET_BOUNDS_MS, counts, slaMs);
}
